// Two projects: `unit` (pure modules, no services; console components too, in a happy-dom page
// where a test file asks for it) and `integration` (real PostgreSQL and a real Temporal dev
// server, started once per run by test/global-setup.ts).
import { availableParallelism } from 'node:os';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

const integrationFiles = ['**/*.integration-test.ts', '**/*.e2e-test.ts'];
const ignored = ['**/node_modules/**', '.data/**', '.venv/**', 'console/dist/**', 'tmp/**'];

export default defineConfig({
  test: {
    // At least two files at a time, also on 2 cores (vitest's default there is one): integration
    // files mostly wait on PostgreSQL, Temporal and Chromium, so two overlap their waits. Fault
    // tests stop only servers of their own (test/support/restartable-temporal.ts, their own
    // PostgreSQL), never the shared ones, so they can run beside any other file.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        // Compiles .vue files for the component tests (`// @vitest-environment happy-dom`).
        plugins: [vue()],
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...ignored, ...integrationFiles],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: integrationFiles,
          exclude: ignored,
          environment: 'node',
          globalSetup: ['test/global-setup.ts'],
          // Each file gets its own database cloned from a migrated, seeded template; files share
          // one Temporal server through their own task queues.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
