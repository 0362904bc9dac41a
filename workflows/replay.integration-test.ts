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
import { beforeAll, describe, expect, it } from 'vitest';
import { historyFromJson } from '../test/support/history-json.js';
import { testWorkflowBundle } from '../test/support/workflow-bundle.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const historiesDir = path.join(here, 'histories');
const files = readdirSync(historiesDir)
  .filter((file) => file.endsWith('.json'))
  .sort();

/** What replaying each file gave: undefined when it replayed, else the error. */
const outcomes = new Map<string, Error | undefined>();
beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  // One replay worker for every history, on the bundle the test run made exactly as the worker
  // makes it (a worker per history cost a second each: it loads the 5 MB bundle anew).
  const histories = files.map((file) => ({
    workflowId: path.basename(file, '.json'),
    history: historyFromJson(JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8'))),
  }));
  for await (const result of Worker.runReplayHistories({ workflowBundle: testWorkflowBundle(), replayName: 'recorded-histories' }, histories)) {
    outcomes.set(result.workflowId, result.error);
  }
});

describe('recorded workflow histories', () => {
  it('are present (an empty folder would make this suite pass vacuously)', ({ expect }) => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('replays %s with the current workflow code', (file) => {
    const workflowId = path.basename(file, '.json');
    expect(outcomes.has(workflowId), `${file} was not replayed`).toBe(true);
    // A DeterminismViolationError (or ReplayError) when the code no longer fits the history.
    const error = outcomes.get(workflowId);
    if (error) throw error;
  });
});
