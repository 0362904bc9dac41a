// The conversation workflow: one per conversation (`conversation-<id>`). It owns the lifecycle
// (queued → open → snoozed / resolved → closed, reopen, transfer, merge), routing, and the SLA
// clocks with their Temporal timers and escalation ladder, and self-service: the bot may answer
// the first message (status `bot`) until the customer finds it helpful or wants a person. Every change it makes is written by
// an activity (database + event log); the workflow keeps the state that drives its timers.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ConversationActivities, ConversationChange, PreparedConversation } from '../activities/conversation-activities.js';
import type { AiActivities } from '../activities/ai-activities.js';
import type { NotificationActivities } from '../activities/notification-activities.js';
import type { RuleActionResult, RuleActivities } from '../activities/rule-activities.js';
import { botFeedbackOutcomes, selfServiceEvents, type HandOffReason } from '../domain/self-service.js';
import { priorities, type ConversationStatus, type SlaState } from '../domain/vocabulary.js';
import { aiActivity, localDbActivity, shortActivity } from './activity-options.js';
import { ruleEventsApply, ruleRunner } from './automation-rules.js';
import { oneAtATime } from './one-at-a-time.js';
import { publishChanges } from './publish-changes.js';
import { conversationSearchAttributes } from './search-attributes.js';
import {
  agentsAvailableSignal,
  botFeedbackUpdate,
  conversationFailures,
  csatReceivedSignal,
  tagsAddedSignal,
  mergeUpdate,
  messagePostedSignal,
  reopenUpdate,
  requeueSignal,
  resolveUpdate,
  setPriorityUpdate,
  slaPolicyChangedSignal,
  snoozeUpdate,
  stateQuery,
  transferUpdate,
  type ConversationState,
  type ConversationWorkflowInput,
} from './conversation.messages.js';
import { applyPlan, dueDates, dueSlaEvents, nextSlaInstant, pauseMetric, resumeMetric, slaStateAt, startMetric, stopMetric } from './conversation-sla.js';

/** Quick database work runs as local activities. */
const activities = proxyLocalActivities<ConversationActivities>(localDbActivity);
/** Offering the queue signals other workflows: a normal activity, retried on its own schedule. */
const queue = proxyActivities<Pick<ConversationActivities, 'offerQueuedConversations'>>(shortActivity);
/** Email leaves the product: a normal activity, retried on its own schedule. */
const notifications = proxyActivities<NotificationActivities>(shortActivity);
/** An automation rule's action: its own activity; one that keeps failing is recorded as failed. */
const ruleActions = proxyActivities<Pick<RuleActivities, 'runRuleAction'>>({ ...shortActivity, retry: { ...shortActivity.retry, maximumAttempts: 5 } });
/** Calls into the AI layer (maybe a remote model): normal activities, fewer retries. */
const ai = proxyActivities<AiActivities>(aiActivity);

const refuse = (message: string, type: string = conversationFailures.invalidTransition) => ApplicationFailure.nonRetryable(message, type);

function requireStatus(state: ConversationState, allowed: readonly ConversationStatus[], action: string): void {
  if (!allowed.includes(state.status)) throw refuse(`Cannot ${action} a conversation that is ${state.status}.`);
}

function requireUser(byUserId: unknown): void {
  if (typeof byUserId !== 'string' || byUserId.length === 0) throw refuse('byUserId is required', conversationFailures.invalidInput);
}

/** One durable workflow per conversation, id `conversation-<id>`. */
export async function conversationWorkflow(input: ConversationWorkflowInput): Promise<ConversationState> {
  const { conversationId } = input;
  // Handlers are registered before the first await (an update may arrive with the first task);
  // they wait for the preparation below through `exclusive`.
  const state: ConversationState = input.carried ?? initialState(conversationId);
  let routingWanted = false;
  /** The bot is deciding whether to answer (its activity runs); see trySelfService. */
  let botAttempting = false;
  /** Bumped by every handler, so the main loop re-plans its timers after any change. */
  let changes = 0;
  /** Actions that write run one at a time: a transfer never interleaves with routing. */
  const writer = oneAtATime(() => true, () => (changes += 1));
  const exclusive = <T>(action: () => Promise<T>) => writer.run(action);

  const now = () => new Date();

  const write = (change: ConversationChange, type: string, actorId: string | null, details: Record<string, unknown> = {}) =>
    activities.applyConversationChange({ conversationId, change, event: { type, actorId, details } });

  const publishIfChanged = publishChanges((sla: { slaState: SlaState; dueDates: ReturnType<typeof dueDates> }) => activities.saveSla({ conversationId, ...sla }));
  /** Writes the SLA state and due dates, and the search attributes, when they changed. */
  const publish = () => {
    state.slaState = slaStateAt(state, now());
    return publishIfChanged(conversationSearchAttributes(state), { slaState: state.slaState, dueDates: dueDates(state) });
  };

  /** Frees the holder's seat, so the oldest queued conversations try routing at once. */
  const releaseCapacity = (reason: string) => queue.offerQueuedConversations({ reason });

  const requeue = async (reason: string, actorId: string | null) => {
    const previous = state.assigneeId;
    await write({ status: 'queued', assigneeId: null }, 'conversation.requeued', actorId, { reason, previousAssigneeId: previous });
    state.status = 'queued';
    state.assigneeId = null;
    routingWanted = true;
    if (previous) await releaseCapacity(`conversation ${conversationId} left agent ${previous}`);
  };

  const route = async () => {
    const { agentId } = await activities.findAssignee({ conversationId, tier: state.tier, teamId: state.teamId, skill: state.skill });
    if (!agentId || state.status !== 'queued') return;
    const result = await activities.assignConversation({ conversationId, agentId, checkCapacity: true, actorId: null });
    if (result.assigned) {
      state.status = 'open';
      state.assigneeId = agentId;
      state.teamId = result.teamId;
    } else {
      routingWanted = true; // someone else took the last seat: decide again
    }
  };

  /** SLA clocks measure people: they start when a person is needed, not while the bot serves. */
  const startHumanClocks = (at: Date) => {
    startMetric(state, 'first_response', at);
    startMetric(state, 'resolution', at);
  };

  /** A model's view of the first message; the rules' classification stands when it fails. */
  const refineClassification = async () => {
    try {
      Object.assign(state, await ai.classifyWithModel({ conversationId }));
    } catch {
      // routing goes on with the rules' tier and skill
    }
  };

  /** On the first message: the bot answers when it is confident enough, else routing goes on. */
  const trySelfService = async () => {
    let attempt;
    botAttempting = true;
    try {
      attempt = await ai.answerWithBot({ conversationId });
    } catch {
      return; // the bot is a convenience: when the AI layer fails, a person answers
    } finally {
      botAttempting = false;
    }
    if (!attempt.answered || state.status !== 'queued') return;
    Object.assign(state, { status: 'bot', waitingOn: 'customer', botAnsweredAt: now().toISOString(), botIdleMinutes: attempt.idleMinutes });
    state.clocks = [];
    state.reported = {};
  };

  /** From the bot to a person, with a summary for the agent; routing takes it from there. */
  const handOff = async (reason: HandOffReason) => {
    if (state.status !== 'bot') return; // feedback and a new message may both ask
    await ai.handOffToHuman({ conversationId, reason });
    Object.assign(state, { status: 'queued', waitingOn: 'agent', botAnsweredAt: null });
    startHumanClocks(now());
    routingWanted = true;
  };

  /** The bot's answer settled it: marked helpful, or the customer left without asking more. */
  const resolveByBot = async (eventType: string) => {
    const resolvedAt = now().toISOString();
    await write({ status: 'resolved', waitingOn: null, resolvedAt }, eventType, null);
    Object.assign(state, { status: 'resolved', waitingOn: null, resolvedAt, botAnsweredAt: null });
  };

  /** Mirrors what a rule's action changed; routes again when the holder no longer fits. */
  const mirrorRuleAction = async (result: RuleActionResult) => {
    Object.assign(state, result.state);
    if (result.state.priority) applyPlan(state, await activities.resolveSlaPlan({ conversationId, priority: result.state.priority }));
    if (result.slaPlan) applyPlan(state, result.slaPlan);
    if (result.state.status === 'snoozed') pauseMetric(state, 'resolution', now());
    if (result.state.status === 'resolved' || result.state.status === 'closed') {
      state.clocks = [];
      state.reported = {};
    }
    if (result.freedSeatOf) await releaseCapacity(`a rule resolved conversation ${conversationId}`);
    if (result.requeue) await requeue('an automation rule changed its tier or team', null);
    if (state.status === 'queued') routingWanted = true;
  };

  /**
   * messagePosted signals numbered by the API's outbox (`seq`): a repeated one is ignored rather
   * than one stored a moment earlier, and a late agent reply still stops the first-response clock.
   * Runs that took signals before keep the old rule on replay.
   */
  const orderedMessageSignals = 'ordered-message-signals';

  /** Runs started before rules existed replay without them (checked before any scheduling). */
  const rulesApply = () => patched('automation-rules');

  const rules = ruleRunner({
    subject: { conversationId },
    watched: () => ({ status: state.status, assigneeId: state.assigneeId, priority: state.priority }),
    clock: () => (state.ruleClock ??= { checkedUntil: now().toISOString(), nextDueAt: null }),
    runAction: (input) => ruleActions.runRuleAction({ conversationId, ...input }),
    mirror: mirrorRuleAction,
  });

  setHandler(stateQuery, () => state);

  setHandler(messagePostedSignal, ({ authorKind, at, seq }) => {
    if (patched(orderedMessageSignals)) {
      if (isLateMessage(state, { at, seq })) {
        // A newer message already decided who the conversation waits on. But an agent's reply,
        // however late it arrives, means the first response was given: that clock stops. (Once a
        // late first reply was dropped here, and the SLA breached a conversation answered in time.)
        if (authorKind === 'agent' && state.clocks.some((clock) => clock.metric === 'first_response')) {
          stopMetric(state, 'first_response');
          changes += 1;
        }
        return;
      }
      if (seq !== undefined) state.lastMessageSeq = seq;
      if (!state.lastMessageAt || Date.parse(at) > Date.parse(state.lastMessageAt)) state.lastMessageAt = at;
    } else {
      // Runs from before signals carried `seq`: the API's relay may deliver a signal late, after a
      // newer one, and the newer message already decided who the conversation waits on.
      if (state.lastMessageAt && Date.parse(at) < Date.parse(state.lastMessageAt)) return;
      state.lastMessageAt = at;
    }
    const when = new Date(at);
    if (authorKind === 'customer' && state.status === 'bot') {
      // The bot answers the first message only: anything more is for a person.
      void exclusive(() => handOff('customer_wrote_again'));
      return;
    }
    // Written while the bot is still thinking: if it does answer, a person takes over after it.
    if (authorKind === 'customer' && botAttempting) void exclusive(() => handOff('customer_wrote_again'));
    if (authorKind === 'customer' && state.status === 'resolved') {
      void exclusive(() => reopen(null));
      return;
    }
    if (authorKind === 'customer') {
      state.waitingOn = 'agent';
      if (state.status === 'snoozed') void exclusive(() => unsnooze('the customer wrote'));
      resumeMetric(state, 'resolution', when);
      if (!state.clocks.some((clock) => clock.metric === 'first_response')) startMetric(state, 'next_response', when);
    } else {
      state.waitingOn = 'customer';
      stopMetric(state, 'first_response');
      stopMetric(state, 'next_response');
      pauseMetric(state, 'resolution', when);
    }
    // Matched by the main loop, in order: rule actions never race the handler that caused them.
    if (rulesApply()) rules.push({ on: 'message_received', from: authorKind });
    changes += 1;
  });

  setHandler(tagsAddedSignal, ({ tags }) => {
    if (rulesApply() && ruleEventsApply()) for (const tag of tags) rules.push({ on: 'tag_added', tag });
    changes += 1;
  });

  setHandler(csatReceivedSignal, () => {
    if (rulesApply() && ruleEventsApply()) rules.push({ on: 'csat_received' });
    changes += 1;
  });

  setHandler(slaPolicyChangedSignal, () => {
    void exclusive(async () => {
      if (state.status === 'closed') return;
      applyPlan(state, await activities.resolveSlaPlan({ conversationId, priority: state.priority }));
      state.slaState = slaStateAt(state, now());
      await activities.saveSla({ conversationId, slaState: state.slaState, dueDates: dueDates(state), replanned: { reason: 'the SLA policy changed' } });
    });
  });

  setHandler(agentsAvailableSignal, () => {
    if (state.status === 'queued') routingWanted = true;
  });

  setHandler(requeueSignal, ({ fromAgentId, reason }) => {
    if (state.assigneeId !== fromAgentId || (state.status !== 'open' && state.status !== 'snoozed')) return;
    void exclusive(() => requeue(reason, null));
  });

  setHandler(
    resolveUpdate,
    ({ byUserId }) =>
      exclusive(async () => {
        requireStatus(state, ['bot', 'queued', 'open', 'snoozed'], 'resolve');
        const resolvedAt = now().toISOString();
        await write({ status: 'resolved', waitingOn: null, snoozedUntil: null, resolvedAt }, 'conversation.resolved', byUserId);
        const holder = state.assigneeId;
        Object.assign(state, { status: 'resolved', waitingOn: null, snoozedUntil: null, resolvedAt });
        state.clocks = [];
        state.reported = {};
        if (holder) await releaseCapacity(`agent ${holder} resolved conversation ${conversationId}`);
        return state;
      }),
    { validator: ({ byUserId }) => (requireUser(byUserId), requireStatus(state, ['bot', 'queued', 'open', 'snoozed'], 'resolve')) },
  );

  setHandler(
    reopenUpdate,
    ({ byUserId }) => exclusive(async () => (await reopen(byUserId), state)),
    { validator: ({ byUserId }) => (requireUser(byUserId), requireStatus(state, ['resolved'], 'reopen')) },
  );

  const reopen = async (byUserId: string | null) => {
    requireStatus(state, ['resolved'], 'reopen');
    const at = now();
    // Back to the same agent unless they have gone offline; then it is routed like a new one.
    const keep = state.assigneeId !== null && (await activities.agentPresence({ agentId: state.assigneeId })) !== 'offline';
    const change: ConversationChange = keep ? { status: 'open' } : { status: 'queued', assigneeId: null };
    const reopenCount = state.reopenCount + 1;
    await write({ ...change, waitingOn: 'agent', resolvedAt: null, reopenCount }, 'conversation.reopened', byUserId);
    Object.assign(state, change, { waitingOn: 'agent', resolvedAt: null, reopenCount });
    startMetric(state, 'next_response', at);
    startMetric(state, 'resolution', at);
    routingWanted = state.status === 'queued';
  };

  setHandler(
    snoozeUpdate,
    ({ byUserId, until }) =>
      exclusive(async () => {
        requireStatus(state, ['open'], 'snooze');
        await write({ status: 'snoozed', snoozedUntil: until }, 'conversation.snoozed', byUserId, { until });
        state.status = 'snoozed';
        state.snoozedUntil = until;
        pauseMetric(state, 'resolution', now());
        return state;
      }),
    {
      validator: ({ byUserId, until }) => {
        requireUser(byUserId);
        requireStatus(state, ['open'], 'snooze');
        if (until !== null && !(Date.parse(until) > Date.now())) throw refuse('until must be a future instant', conversationFailures.invalidInput);
      },
    },
  );

  setHandler(
    transferUpdate,
    ({ byUserId, toAgentId, toTeamId }) =>
      exclusive(async () => {
        requireStatus(state, ['bot', 'queued', 'open', 'snoozed'], 'transfer');
        const previous = state.assigneeId;
        if (state.status === 'bot') {
          state.botAnsweredAt = null;
          startHumanClocks(now());
        }
        if (toAgentId) {
          const result = await activities.assignConversation({ conversationId, agentId: toAgentId, checkCapacity: false, actorId: byUserId });
          if (!result.assigned) throw refuse('That agent cannot take conversations.', conversationFailures.transferRefused);
          state.status = state.status === 'snoozed' ? 'snoozed' : 'open';
          state.assigneeId = toAgentId;
          state.teamId = result.teamId;
        } else if (toTeamId) {
          const team = await activities.moveToTeam({ conversationId, teamId: toTeamId, actorId: byUserId });
          state.teamId = toTeamId;
          state.tier = team.tier;
          await requeue(`transferred to team ${team.name}`, byUserId);
        }
        if (previous && previous !== state.assigneeId) await releaseCapacity(`conversation ${conversationId} transferred away from ${previous}`);
        return state;
      }),
    {
      validator: ({ byUserId, toAgentId, toTeamId }) => {
        requireUser(byUserId);
        requireStatus(state, ['bot', 'queued', 'open', 'snoozed'], 'transfer');
        if (Boolean(toAgentId) === Boolean(toTeamId)) throw refuse('Give exactly one of toAgentId and toTeamId.', conversationFailures.invalidInput);
      },
    },
  );

  setHandler(
    setPriorityUpdate,
    ({ byUserId, priority }) =>
      exclusive(async () => {
        await write({ priority }, 'conversation.priority_changed', byUserId, { from: state.priority, to: priority });
        state.priority = priority;
        applyPlan(state, await activities.resolveSlaPlan({ conversationId, priority }));
        return state;
      }),
    {
      validator: ({ byUserId, priority }) => {
        requireUser(byUserId);
        requireStatus(state, ['bot', 'queued', 'open', 'snoozed', 'resolved'], 'change the priority of');
        if (!priorities.includes(priority)) throw refuse(`Unknown priority ${String(priority)}`, conversationFailures.invalidInput);
      },
    },
  );

  setHandler(
    mergeUpdate,
    ({ byUserId, intoConversationId }) =>
      exclusive(async () => {
        requireStatus(state, ['bot', 'queued', 'open', 'snoozed', 'resolved'], 'merge');
        await activities.mergeConversations({ sourceId: conversationId, targetId: intoConversationId, byUserId });
        const holder = state.assigneeId;
        state.status = 'closed';
        state.clocks = [];
        if (holder) await releaseCapacity(`conversation ${conversationId} merged`);
        return state;
      }),
    {
      validator: ({ byUserId, intoConversationId }) => {
        requireUser(byUserId);
        requireStatus(state, ['bot', 'queued', 'open', 'snoozed', 'resolved'], 'merge');
        if (intoConversationId === conversationId) throw refuse('A conversation cannot be merged into itself.', conversationFailures.mergeRefused);
      },
    },
  );

  setHandler(
    botFeedbackUpdate,
    ({ outcome }) =>
      exclusive(async () => {
        requireStatus(state, ['bot'], 'give feedback on the bot in');
        if (outcome === 'helpful') {
          await resolveByBot(selfServiceEvents.helpful);
          return state;
        }
        if (outcome === 'not_helpful') await write({}, selfServiceEvents.notHelpful, null);
        await handOff(outcome);
        return state;
      }),
    {
      validator: ({ outcome }) => {
        if (!botFeedbackOutcomes.includes(outcome)) throw refuse(`Unknown outcome ${String(outcome)}`, conversationFailures.invalidInput);
        // The customer may see the answer before this workflow has heard the activity finish:
        // the handler then waits its turn behind the attempt and checks again.
        if (!botAttempting) requireStatus(state, ['bot'], 'give feedback on the bot in');
      },
    },
  );

  /** Back from snooze: to its agent, or to the queue when it has none any more. */
  const unsnooze = async (reason: string) => {
    if (state.status !== 'snoozed') return; // the timer and a customer message may both ask
    const status = state.assigneeId ? 'open' : 'queued';
    await write({ status, snoozedUntil: null }, 'conversation.unsnoozed', null, { reason });
    state.status = status;
    state.snoozedUntil = null;
    if (state.waitingOn === 'agent') resumeMetric(state, 'resolution', now());
    routingWanted = status === 'queued';
  };

  /** Timers that have come due: snooze end, reopen window end, SLA warnings and breaches. */
  const onTime = async () => {
    const at = now();
    if (state.status === 'bot' && botWaitEnd(state) <= at.getTime()) {
      await resolveByBot(selfServiceEvents.assumedResolved);
    }
    if (state.status === 'snoozed' && state.snoozedUntil && Date.parse(state.snoozedUntil) <= at.getTime()) {
      await unsnooze('the snooze time came');
    }
    if (state.status === 'resolved' && state.resolvedAt && reopenWindowEnd(state) <= at.getTime()) {
      await write({ status: 'closed' }, 'conversation.closed', null, { reason: 'reopen window elapsed' });
      state.status = 'closed';
      return;
    }
    for (const event of dueSlaEvents(state, at)) {
      state.reported[event.metric] = event.kind;
      state.slaState = slaStateAt(state, at);
      await activities.saveSla({ conversationId, slaState: state.slaState, dueDates: dueDates(state), event });
      if (rulesApply()) await rules.run({ on: event.kind === 'breached' ? 'sla_breach' : 'sla_warning' });
      if (event.kind === 'breached') {
        for (const step of state.sla?.escalation ?? []) {
          const result = await activities.escalate({ conversationId, step, metric: event.metric });
          Object.assign(state, result.state);
          if (step.action === 'notify' && patched('sla-email')) await notifications.emailSlaBreach({ subject: { conversationId }, metric: event.metric });
          if (result.requeue) await requeue(`SLA breach: ${step.action}`, null);
        }
      }
    }
  };

  if (!input.carried) {
    const prepared = await exclusive(() => prepare(state));
    // Runs started before these steps existed replay without them.
    if (prepared.refineClassification && patched('model-classification')) await exclusive(refineClassification);
    if (state.status === 'queued' && prepared.selfService && patched('self-service-bot')) await exclusive(trySelfService);
    if (rulesApply()) {
      rules.baseline();
      await exclusive(() => rules.run({ on: 'conversation_created' }));
      // The first message is a message received too (it arrives with the conversation, not by signal).
      await exclusive(() => rules.run({ on: 'message_received', from: 'customer' }));
    }
  }
  routingWanted = state.status === 'queued';
  await publish();
  while (state.status !== 'closed') {
    // Changes are noted between writers only, so a handler's own rule events come before the
    // ones derived from what it changed (as in the ticket workflow).
    if (rulesApply() && ruleEventsApply() && !(writer.busy && patched('note-changes-between-writers'))) rules.noteChanges();
    if (rules.hasPending()) {
      await exclusive(rules.runNext);
      await publish();
      continue;
    }
    if (state.status === 'queued' && routingWanted) {
      routingWanted = false;
      await exclusive(route);
      await publish();
      continue;
    }
    const seen = changes;
    const wakeAt = rules.wakeAt(nextWake(state));
    const timeout = wakeAt === null ? undefined : Math.max(1, wakeAt - Date.now());
    await condition(() => changes !== seen || rules.hasPending() || (state.status === 'queued' && routingWanted), timeout);
    rules.tick(now());
    await exclusive(onTime);
    await publish();

    // Histories stay small: a long conversation starts a fresh run carrying its state.
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > state.settings.maxHistoryEvents) {
      await condition(() => allHandlersFinished() && !writer.busy);
      await continueAsNew<typeof conversationWorkflow>({ conversationId, carried: state });
    }
  }
  // Let an update that closed the conversation (merge) finish before the run completes.
  await condition(allHandlersFinished);
  return state;
}

/**
 * Whether a messagePosted signal comes after a newer one. With `seq` (the API's outbox order) only
 * a repeated delivery is: the relay delivers a conversation's signals in the order they were
 * stored. Without it (signals sent before the outbox numbered them), the stored instant decides.
 */
function isLateMessage(state: ConversationState, message: { at: string; seq?: number }): boolean {
  if (message.seq !== undefined) return state.lastMessageSeq !== undefined && message.seq <= state.lastMessageSeq;
  return state.lastMessageAt !== undefined && Date.parse(message.at) < Date.parse(state.lastMessageAt);
}

function reopenWindowEnd(state: ConversationState): number {
  return Date.parse(state.resolvedAt!) + state.settings.reopenWindowHours * 3_600_000;
}

/** When the bot stops waiting for the customer's reaction to its answer. */
function botWaitEnd(state: ConversationState): number {
  return Date.parse(state.botAnsweredAt ?? new Date(0).toISOString()) + (state.botIdleMinutes ?? 30) * 60_000;
}

/** The earliest instant something is due: an SLA event, the snooze end or the reopen window end. */
function nextWake(state: ConversationState): number | null {
  const at = new Date();
  const candidates = [nextSlaInstant(state, at)];
  if (state.status === 'snoozed' && state.snoozedUntil) candidates.push(Date.parse(state.snoozedUntil));
  if (state.status === 'resolved' && state.resolvedAt) candidates.push(reopenWindowEnd(state));
  if (state.status === 'bot') candidates.push(botWaitEnd(state));
  const due = candidates.filter((value): value is number => value !== null);
  return due.length ? Math.min(...due) : null;
}

function initialState(conversationId: string): ConversationState {
  return {
    conversationId,
    status: 'queued',
    waitingOn: 'agent',
    priority: 'normal',
    tier: 'junior',
    assigneeId: null,
    teamId: null,
    skill: null,
    slaState: 'none',
    sla: null,
    clocks: [],
    reported: {},
    snoozedUntil: null,
    resolvedAt: null,
    reopenCount: 0,
    settings: { reopenWindowHours: 72, maxHistoryEvents: 4000 },
  };
}

/** The first run: classification, SLA policy and settings, from the stored conversation. */
async function prepare(state: ConversationState): Promise<PreparedConversation> {
  const prepared = await activities.prepareConversation({ conversationId: state.conversationId });
  Object.assign(state, {
    status: prepared.status,
    waitingOn: prepared.waitingOn,
    priority: prepared.priority,
    tier: prepared.tier,
    assigneeId: prepared.assigneeId,
    teamId: prepared.teamId,
    skill: prepared.skill,
    settings: prepared.settings,
  });
  applyPlan(state, prepared.sla);
  const createdAt = new Date(prepared.createdAt);
  if (prepared.firstResponseAt === null) startMetric(state, 'first_response', createdAt);
  startMetric(state, 'resolution', createdAt);
  if (state.waitingOn === 'customer') pauseMetric(state, 'resolution', new Date());
  return prepared;
}
