// `npx tsx scripts/record-what-if-history.ts`: records the what-if job's histories for the replay
// test on the time-skipping server with scripted activities (no database):
// - workflows/histories/what-if-completed.json: three batches, the last finds none left;
// - workflows/histories/what-if-cancelled.json: cancelled while its first batch runs (the batch
//   heartbeats until it hears of it), then the run is marked cancelled.
// Re-record only on purpose (see record-histories.ts).
import { writeFileSync } from 'node:fs';
import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import { historyToJson } from '../test/support/history-json.js';
import { startTimeSkipping } from '../test/support/time-skipping.js';
import { whatIfWorkflowId, whatIfWorkflowName } from '../workflows/what-if.messages.js';

const { env, bundle } = await startTimeSkipping();
let batch = 0;
let started!: () => void;
const batchStarted = new Promise<void>((resolve) => (started = resolve));

const worker = await Worker.create({
  connection: env.nativeConnection,
  taskQueue: 'record',
  workflowBundle: bundle,
  activities: {
    replayWhatIfBatch: async ({ runId }: { runId: string }) => {
      if (runId === 'completed') {
        batch += 1;
        return { processed: Math.min(batch, 2) * 2, total: 4, done: batch === 3 };
      }
      started();
      // Waits for the cancellation, heartbeating (as a long batch does).
      for (;;) {
        Context.current().heartbeat();
        await Context.current().sleep(100);
      }
    },
    finishWhatIf: async () => undefined,
  },
});
await worker.runUntil(async () => {
  for (const runId of ['completed', 'cancelled']) {
    const handle = await env.client.workflow.start(whatIfWorkflowName, {
      taskQueue: 'record',
      workflowId: whatIfWorkflowId(runId),
      args: [{ runId, batchSize: 2 }],
    });
    if (runId === 'cancelled') {
      await batchStarted;
      await handle.cancel();
    }
    await handle.result().catch(() => undefined);
    const history = await handle.fetchHistory();
    writeFileSync(`workflows/histories/what-if-${runId}.json`, historyToJson(history));
    console.log(runId, 'events', history.events?.length);
  }
});
await env.teardown();
