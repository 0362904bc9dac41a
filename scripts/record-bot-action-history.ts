// `npx tsx scripts/record-bot-action-history.ts`: records workflows/histories/conversation-bot-action.json
// for the replay test, on the time-skipping server with scripted activities (no database): the
// bot answers a first message by asking for an HTTP action's input (the `bot-actions`,
// `bot-action-tools` and `bot-action-no-idle` patches), a day passes with no idle resolution
// while it waits, the customer's reply completes the action (the model's tool call, checked), the
// call answers, and the customer's silence then resolves it as after any answer.
// Re-record only on purpose (see record-histories.ts).
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { BotActionActivities } from '../activities/bot-action-activities.js';
import { fakeConversationActivities } from '../test/support/fake-conversation-activities.js';
import { historyToJson } from '../test/support/history-json.js';
import { recordingWorker, startTimeSkipping } from '../test/support/time-skipping.js';
import {
  conversationWorkflowName,
  messagePostedSignal,
  stateQuery,
  type ConversationState,
  type ConversationWorkflowInput,
} from '../workflows/conversation.messages.js';

const timeSkipping = await startTimeSkipping();
const { env } = timeSkipping;
const createdAt = new Date(await env.currentTimeMs()).toISOString();
const pending = { actionId: 'action-order-status', values: {}, awaiting: 'order', misses: 0 };
const fake = fakeConversationActivities({
  prepared: {
    status: 'queued',
    waitingOn: 'agent',
    priority: 'normal',
    tier: 'junior',
    assigneeId: null,
    teamId: null,
    skill: null,
    sla: null,
    settings: { reopenWindowHours: 72, maxHistoryEvents: 4000 },
    createdAt,
    firstResponseAt: null,
    refineClassification: false,
    selfService: true,
  },
  serverTime: () => env.currentTimeMs(),
});
const actions: BotActionActivities = {
  fillBotAction: async () => ({ kind: 'ready', actionId: pending.actionId, values: { order: 'SO12345' }, byModel: true }),
  callBotAction: async () => ({ ok: true }),
};
const activities = {
  ...fake.activities,
  ...actions,
  answerWithBot: async () => ({ answered: true as const, confidence: 1, idleMinutes: 30, action: pending }),
};

const worker = await recordingWorker(timeSkipping, activities);
await worker.runUntil(async () => {
  const handle = await env.client.workflow.start(conversationWorkflowName, {
    taskQueue: 'record',
    workflowId: `conversation-${randomUUID()}`,
    args: [{ conversationId: randomUUID() } satisfies ConversationWorkflowInput],
  });
  const waitFor = async (what: string, ready: (state: ConversationState) => boolean) => {
    for (let tries = 0; tries < 100; tries += 1) if (ready(await handle.query(stateQuery))) return;
    throw new Error(`the workflow never reached: ${what}`);
  };
  await waitFor('the bot waiting for the order number', (state) => state.status === 'bot' && state.botAction?.awaiting === 'order');
  await env.sleep('1 day');
  await waitFor('still the bot, still waiting', (state) => state.status === 'bot' && state.botAction !== undefined);
  await handle.signal(messagePostedSignal, { messageId: randomUUID(), authorKind: 'customer', at: new Date(await env.currentTimeMs()).toISOString(), seq: 2 });
  await waitFor('the action called and answered', (state) => state.status === 'bot' && state.botAction === undefined);
  await env.sleep('31 minutes');
  await waitFor('resolved by the silence after the answer', (state) => state.status === 'resolved');
  const history = await handle.fetchHistory();
  writeFileSync('workflows/histories/conversation-bot-action.json', historyToJson(history));
  console.log('conversation-bot-action events', history.events?.length);
});
await env.teardown();
