// The conversation workflow: one per conversation (`conversation-<id>`). It owns the lifecycle
// (queued → open → snoozed / resolved → closed, reopen, transfer, merge; the rules are in
// domain/conversation-lifecycle.ts), routing, the SLA clocks with their Temporal timers and
// escalation ladder, and self-service: the bot may answer the first message (status `bot`) until
// the customer finds it helpful or wants a person.
//
// This file registers the handlers and runs the main loop (workflows/subject-runtime.ts, shared
// with tickets); the state and the steps are the ConversationEntity (conversation-entity.ts).
import { continueAsNew, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { AiActivities } from '../activities/ai-activities.js';
import type { BotActionActivities } from '../activities/bot-action-activities.js';
import type { ConversationActivities, RoutedAtStart, StartedConversation } from '../activities/conversation-activities.js';
import type { NotificationActivities } from '../activities/notification-activities.js';
import type { RuleActivities } from '../activities/rule-activities.js';
import { holdsSeat } from '../domain/conversation-lifecycle.js';
import { listensTo } from '../domain/rules/rule-clock.js';
import type { SlaState } from '../domain/vocabulary.js';
import { aiActivity, botActionActivity, localAiActivity, localDbActivity, ruleActionActivity, shortActivity } from './activity-options.js';
import { ruleEventsApply, ruleRunner } from './automation-rules.js';
import { ConversationEntity, initialConversationState, requireUser } from './conversation-entity.js';
import { dueDates, slaStateAt } from './conversation-sla.js';
import {
  agentsAvailableSignal,
  botFeedbackUpdate,
  callMissedSignal,
  csatReceivedSignal,
  mergeUpdate,
  messagePostedSignal,
  reminderDueUpdate,
  reopenUpdate,
  requeueSignal,
  resolveUpdate,
  setPriorityUpdate,
  slaPolicyChangedSignal,
  snoozeUpdate,
  stateQuery,
  tagsAddedSignal,
  transferUpdate,
  type ConversationState,
  type ConversationWorkflowInput,
} from './conversation.messages.js';
import { conversationBaseline, conversationBaselineDec8, patched, startBaseline } from './patches.js';
import { publishChanges } from './publish-changes.js';
import { conversationSearchAttributes } from './search-attributes.js';
import { subjectRuntime } from './subject-runtime.js';

/** Quick database work runs as local activities. */
const db = proxyLocalActivities<ConversationActivities>(localDbActivity);
/** Offering the queue signals other workflows: a normal activity, retried on its own schedule. */
const queue = proxyActivities<Pick<ConversationActivities, 'offerQueuedConversations'>>(shortActivity);
/** Email leaves the product: a normal activity, retried on its own schedule. */
const notifications = proxyActivities<NotificationActivities>(shortActivity);
/** An automation rule's action: its own activity; one that keeps failing is recorded as failed. */
const ruleActions = proxyActivities<Pick<RuleActivities, 'runRuleAction'>>(ruleActionActivity);
/** Calls into the AI layer (maybe a remote model): normal activities, fewer retries. */
const ai = proxyActivities<AiActivities>(aiActivity);
/** The bot's answer when the AI layer runs in-process (the local fallback): a local activity. */
const localAi = proxyLocalActivities<Pick<AiActivities, 'answerWithBot'>>(localAiActivity);
/** The bot's HTTP actions: the call leaves the product, with a timeout and a few tries. */
const actions = proxyActivities<BotActionActivities>(botActionActivity);

/**
 * The first run takes the quick path: the bot's answer is a local activity when the AI layer runs
 * in-process, and the first message's rule events are matched only when an enabled rule listens to
 * them (prepareConversation says which triggers do), instead of one matching each. Runs started
 * before it replay without.
 */
const quickStart = 'quick-start';
/**
 * With an in-process AI layer, prepareConversation also makes the bot's attempt on the first message
 * (one local activity instead of two); the entity adopts it. Runs started before replay without.
 */
const botInPreparationPatch = 'bot-in-preparation';
/**
 * The first run prepares, saves the SLA and routes in one local activity (startConversation) when
 * routing is what comes next, instead of three: every activation is a call into the workflow's
 * sandbox, and the worker's CPU per conversation bounds routing under load (issue 19). Runs
 * started before replay with three.
 */
const firstRunInOneStep = 'first-run-in-one-step';

/** One durable workflow per conversation, id `conversation-<id>`. */
export async function conversationWorkflow(input: ConversationWorkflowInput): Promise<ConversationState> {
  // One marker for every patch up to the newest baseline (workflows/patches.ts): before any other command.
  startBaseline(conversationBaselineDec8, conversationBaseline);
  const { conversationId } = input;
  // Handlers are registered before the first await (an update may arrive with the first task);
  // they wait for the preparation below through `exclusive`.
  const runtime = subjectRuntime();
  const { exclusive } = runtime;
  const now = () => new Date();
  const conversation: ConversationEntity = new ConversationEntity(input.carried ?? initialConversationState(conversationId), {
    db,
    queue,
    notifications,
    ai,
    localAi,
    actions,
    rules: { push: (event) => rules.push(event), run: (event) => rules.run(event) },
    exclusive,
    changed: runtime.changed,
    patched,
    now,
  });
  const { state } = conversation;

  const rules = ruleRunner({
    subject: { conversationId },
    watched: () => ({ status: state.status, assigneeId: state.assigneeId, priority: state.priority }),
    clock: () => (state.ruleClock ??= { checkedUntil: now().toISOString(), nextDueAt: null }),
    runAction: (action) => ruleActions.runRuleAction({ conversationId, ...action, ...(state.quiet ? { quiet: true } : {}) }),
    mirror: (result) => conversation.mirrorRuleAction(result),
  });
  const rulesApply = () => conversation.rulesApply();

  const publishIfChanged = publishChanges((sla: { slaState: SlaState; dueDates: ReturnType<typeof dueDates> }) => db.saveSla({ conversationId, ...sla }));
  /** Writes the SLA state and due dates, and the search attributes, when they changed. */
  const publish = () => {
    state.slaState = slaStateAt(state, now());
    return publishIfChanged(conversationSearchAttributes(state), { slaState: state.slaState, dueDates: dueDates(state) });
  };

  setHandler(stateQuery, () => state);

  setHandler(messagePostedSignal, (message) => conversation.messagePosted(message));

  setHandler(tagsAddedSignal, ({ tags, seq }) => {
    if (conversation.isRepeatedRuleSignal(seq)) return;
    if (rulesApply() && ruleEventsApply()) for (const tag of tags) rules.push({ on: 'tag_added', tag });
    runtime.changed();
  });

  setHandler(csatReceivedSignal, (input) => {
    if (conversation.isRepeatedRuleSignal(input?.seq)) return;
    if (rulesApply() && ruleEventsApply()) rules.push({ on: 'csat_received' });
    runtime.changed();
  });

  // New with calls (issue 24): older runs never received it, so they replay unchanged.
  setHandler(callMissedSignal, () => {
    if (!patched('call-missed-rules')) return;
    if (rulesApply() && ruleEventsApply()) rules.push({ on: 'call_missed' });
    runtime.changed();
  });

  setHandler(slaPolicyChangedSignal, () => void exclusive(() => conversation.replanSla()));

  setHandler(agentsAvailableSignal, () => {
    if (state.status === 'queued') conversation.routingWanted = true;
  });

  setHandler(requeueSignal, ({ fromAgentId, reason }) => {
    // Late signals: only the agent who still holds a seat with it gives it up.
    if (state.assigneeId !== fromAgentId || !holdsSeat(state.status)) return;
    void exclusive(() => conversation.requeue(reason, null));
  });

  setHandler(resolveUpdate, ({ byUserId }) => exclusive(() => conversation.resolve(byUserId)), {
    validator: ({ byUserId }) => (requireUser(byUserId), conversation.require('resolve')),
  });

  setHandler(reopenUpdate, ({ byUserId }) => exclusive(async () => (await conversation.reopen(byUserId), state)), {
    validator: ({ byUserId }) => (requireUser(byUserId), conversation.require('reopen')),
  });

  // New with reminders: no recorded history calls it, so it needs no patch.
  setHandler(reminderDueUpdate, ({ userId }) => exclusive(() => conversation.reminderDue(userId)), { validator: ({ userId }) => requireUser(userId) });

  setHandler(snoozeUpdate, (snooze) => exclusive(() => conversation.snooze(snooze)), { validator: (snooze) => conversation.validateSnooze(snooze) });

  setHandler(transferUpdate, (transfer) => exclusive(() => conversation.transfer(transfer)), {
    validator: (transfer) => conversation.validateTransfer(transfer),
  });

  setHandler(setPriorityUpdate, (change) => exclusive(() => conversation.setPriority(change)), {
    validator: (change) => conversation.validateSetPriority(change),
  });

  setHandler(mergeUpdate, (merge) => exclusive(() => conversation.merge(merge)), { validator: (merge) => conversation.validateMerge(merge) });

  setHandler(botFeedbackUpdate, ({ outcome }) => exclusive(() => conversation.botFeedback(outcome)), {
    validator: ({ outcome }) => conversation.validateBotFeedback(outcome),
  });

  let routedAtStart: RoutedAtStart | undefined;
  if (!input.carried) {
    // An auto-reply or a bounce: on every event, no rule's words to the customer (runs before this replay without).
    if (input.autoAnswer === false && patched('quiet-rule-actions')) state.quiet = true;
    // The preparation may let the in-process bot answer the first message in the same step (older runs replay without).
    const botInPreparation = patched(botInPreparationPatch);
    const answer = () => botInPreparation && conversation.mayAnswerAutomatically(input.autoAnswer);
    const prepared: StartedConversation = patched(firstRunInOneStep)
      ? await exclusive(() => conversation.start(answer()))
      : await exclusive(() => conversation.prepare(answer()));
    const quick = patched(quickStart);
    // Runs started before these steps existed replay without them.
    if (prepared.refineClassification && patched('model-classification')) await exclusive(() => conversation.refineClassification());
    // An auto-reply or a bounce (input.autoAnswer false) gets neither the bot nor the rules; routing still brings it to a person.
    const answers = conversation.mayAnswerAutomatically(input.autoAnswer);
    if (state.status === 'queued' && prepared.selfService && answers && !prepared.bot && patched('self-service-bot'))
      await exclusive(() => conversation.trySelfService(quick && prepared.botRunsLocally === true));
    // The first message gave an HTTP action every input (only with botActionsPatch): the bot calls it now.
    if (conversation.readyBotAction) await exclusive(() => conversation.runReadyBotAction());
    if (rulesApply()) {
      rules.baseline();
      // What the enabled rules listen to, known from the preparation: as if a matching had said so.
      const watching = quick ? prepared.watching : undefined;
      if (watching) (state.ruleClock ??= { checkedUntil: now().toISOString(), nextDueAt: null }).watching = watching;
      if (answers) {
        if (listensTo(watching, 'conversation_created')) await exclusive(() => rules.run({ on: 'conversation_created' }));
        // The first message is a message received too (it arrives with the conversation, not by signal).
        if (listensTo(watching, 'message_received')) await exclusive(() => rules.run({ on: 'message_received', from: 'customer' }));
      }
    }
    // Routed in the first step: adopted after the rules' baseline, so routing's changes become
    // rule events as when the main loop routes; the SLA the step saved is not saved again.
    routedAtStart = prepared.routed;
    if (routedAtStart) {
      conversation.adoptRoutingAtStart(routedAtStart);
      publishIfChanged.saved(routedAtStart.sla);
    }
  }
  if (!routedAtStart) conversation.routingWanted = state.status === 'queued';
  await runtime.run({
    rules,
    // A handler's own rule events come before the ones derived from what it changed (as in the ticket workflow).
    notesRuleChanges: () => rulesApply() && ruleEventsApply(),
    closed: () => state.status === 'closed',
    publish,
    work: {
      pending: () => state.status === 'queued' && conversation.routingWanted,
      start: () => void (conversation.routingWanted = false),
      run: () => conversation.route(),
    },
    nextWake: () => conversation.nextWake(),
    onTime: () => conversation.onTime(),
    continueAsNew: {
      maxHistoryEvents: () => state.settings.maxHistoryEvents,
      start: () => continueAsNew<typeof conversationWorkflow>({ conversationId, carried: state }),
    },
  });
  return state;
}
