// `npx tsx scripts/record-webhook-lane-history.ts <ordered|unordered>`: records a webhook lane
// workflow's history for the replay test (workflows/histories/webhook-lane-<which>.json) on the
// time-skipping server with scripted activities (no database, no receiver).
// - ordered: a conversation's lane sends one delivery after the other; the first fails twice
//   (the activity's retries are the back-off), the second is refused and given up, a signal
//   arrives meanwhile, then the lane is empty and ends.
// - unordered: the endpoint's one unordered lane sends its due deliveries in batches, sleeps until
//   the earliest retry, is woken by a signal, then ends once nothing is pending.
// Its own script, not a scenario of record-histories.ts: the back-off is server time, which only
// the time-skipping server lets pass at once. Re-record only on purpose (see record-histories.ts).
import { writeFileSync } from 'node:fs';
import { ApplicationFailure } from '@temporalio/activity';
import { historyToJson } from '../test/support/history-json.js';
import { recordingWorker, startTimeSkipping } from '../test/support/time-skipping.js';
import { webhookFailures, webhookLaneWorkflowName, webhookPendingSignal } from '../workflows/webhook-lane.messages.js';

const which = process.argv[2];
if (which !== 'ordered' && which !== 'unordered') throw new Error('usage: record-webhook-lane-history.ts <ordered|unordered>');

const retry = { initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 4_000, giveUpAfterMs: 60_000, attemptTimeoutMs: 5_000 };
const timeSkipping = await startTimeSkipping();
const { env } = timeSkipping;

// The ordered lane's script: two deliveries, then none.
const queue = ['d1', 'd2'];
let tries = 0;
// The unordered lane's script: what each batch finds.
const batches: unknown[] = [
  { kind: 'sent', sent: 3, retryInMs: null, more: true },
  { kind: 'sent', sent: 2, retryInMs: 2_000, more: false },
  { kind: 'sent', sent: 1, retryInMs: null, more: false },
  { kind: 'sent', sent: 1, retryInMs: null, more: false },
];
let batch = 0;

const worker = await recordingWorker(timeSkipping, {
  nextWebhookDelivery: async () => (queue.length > 0 ? { kind: 'send', deliveryId: queue[0], retry } : { kind: 'none' }),
  sendWebhookDelivery: async ({ deliveryId }: { deliveryId: string }) => {
    if (deliveryId === 'd2') {
      queue.shift();
      throw ApplicationFailure.nonRetryable('refused', webhookFailures.refused);
    }
    tries += 1;
    if (tries < 3) throw new Error('500');
    queue.shift();
  },
  giveUpWebhookDelivery: async () => undefined,
  sendDueWebhookDeliveries: async () => batches[batch++] ?? { kind: 'sent', sent: 0, retryInMs: null, more: false },
});
await worker.runUntil(async () => {
  const lane = which === 'ordered' ? 'conversation-c1' : 'unordered';
  const handle = await env.client.workflow.start(webhookLaneWorkflowName, {
    taskQueue: 'record',
    workflowId: `webhook-e1-${lane}`,
    args: [{ endpointId: 'e1', lane }],
  });
  await env.sleep(1_500);
  await handle.signal(webhookPendingSignal);
  await env.sleep(10_000);
  if ((await handle.describe()).status.name === 'RUNNING') await handle.signal(webhookPendingSignal);
  await handle.result();
  const history = await handle.fetchHistory();
  writeFileSync(`workflows/histories/webhook-lane-${which}.json`, historyToJson(history));
  console.log('events', history.events?.length);
});
await env.teardown();
