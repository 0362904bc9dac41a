// Determinism check: every history in workflows/histories/ was recorded with earlier workflow code
// (`npm run histories:record`) and is replayed here with the current code. Running workflows are
// replayed exactly like this whenever a worker picks them up again (after a deploy, a restart or
// a cache eviction), so a change that would break them — a command added, removed or reordered,
// an activity renamed, a timer moved — fails here first with a DeterminismViolationError.
// Re-record the files only once such a change is made safe with `patched()` or versioning (and
// keep the old files: they are the workflows still running in production).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { beforeAll, describe, it } from 'vitest';
import { historyFromJson } from '../test/support/history-json.js';
import { testWorkflowBundle } from '../test/support/workflow-bundle.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const historiesDir = path.join(here, 'histories');
const files = readdirSync(historiesDir)
  .filter((file) => file.endsWith('.json'))
  .sort();

// Bundled once for the test run, exactly as the worker bundles it, and shared by every replay.
const bundle = testWorkflowBundle();
beforeAll(() => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
});

describe('recorded workflow histories', () => {
  it('are present (an empty folder would make this suite pass vacuously)', ({ expect }) => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('replays %s with the current workflow code', async (file) => {
    const history = historyFromJson(JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8')));
    // Throws DeterminismViolationError (or ReplayError) when the code no longer fits the history.
    await Worker.runReplayHistory({ workflowBundle: bundle, replayName: `replay-${file}` }, history, path.basename(file, '.json'));
  });
});
