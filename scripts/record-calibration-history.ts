// `npx tsx scripts/record-calibration-history.ts`: records the knowledge calibration workflow's
// history for the replay test (workflows/histories/knowledge-calibration.json) on the time-skipping
// server with a scripted recalibration: four article changes make one debounced run, then an
// admin's request a run at once. Its own script, not a scenario of record-histories.ts: the
// debounce is minutes of server time, which only the time-skipping server lets pass at once.
// Re-record only on purpose (see record-histories.ts).
import { writeFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { startTimeSkipping } from '../test/support/time-skipping.js';
import { historyToJson } from '../test/support/history-json.js';
import { knowledgeCalibrationWorkflowName, knowledgeChangedSignal, knowledgeCalibrationStateQuery } from '../workflows/knowledge-calibration.messages.js';

const { env, bundle } = await startTimeSkipping();
let calls = 0;
const worker = await Worker.create({
  connection: env.nativeConnection,
  taskQueue: 'record',
  workflowBundle: bundle,
  activities: {
    recalibrateKnowledgeBase: async () => (
      calls++,
      [
        { locale: 'en', version: calls, fitted: true },
        { locale: 'zh-CN', version: calls, fitted: false },
      ]
    ),
  },
});
await worker.runUntil(async () => {
  const handle = await env.client.workflow.start(knowledgeCalibrationWorkflowName, {
    taskQueue: 'record',
    workflowId: 'knowledge-calibration-1',
    args: [{ organizationId: 1 }],
  });
  for (let i = 0; i < 4; i++) await handle.signal(knowledgeChangedSignal, { trigger: 'article_changed' });
  await env.sleep(5 * 60_000);
  await handle.signal(knowledgeChangedSignal, { trigger: 'manual' });
  await env.sleep(1000);
  while ((await handle.query(knowledgeCalibrationStateQuery)).runs < 2) await env.sleep(1000);
  const history = await handle.fetchHistory();
  writeFileSync('workflows/histories/knowledge-calibration.json', historyToJson(history));
  console.log('events', history.events?.length, 'calls', calls);
  await handle.terminate();
});
await env.teardown();
