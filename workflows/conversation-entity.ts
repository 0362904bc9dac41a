// The conversation as an entity: its state and the steps that change it (route, requeue, reopen,
// unsnooze, the bot's self-service and hand-off, rule actions, timers). workflows/conversation.ts
// registers the handlers and runs the main loop; everything here reaches Temporal only through
// the ports it is given (activities, `patched`, one writer at a time), so the steps are unit
// tested with fakes (conversation-entity.test.ts) and the workflow replays them unchanged.
//
// Every change is written by an activity (database + event log) before the state mirrors it;
// the state is what drives the timers. The order of the activity calls in each step is part of
// the recorded histories: change it only behind `patched()`.
import { ApplicationFailure } from '@temporalio/workflow';
import type { AiActivities, BotAttempt } from '../activities/ai-activities.js';
import type { BotActionActivities, BotActionStep } from '../activities/bot-action-activities.js';
import type {
  ConversationActivities,
  ConversationChange,
  PreparedConversation,
  RoutedAtStart,
  StartedConversation,
} from '../activities/conversation-activities.js';
import type { NotificationActivities } from '../activities/notification-activities.js';
import type { RuleActionResult } from '../activities/rule-activities.js';
import { agentReplyTakes, conversationAllows, statusAfterAssignment, type ConversationAction } from '../domain/conversation-lifecycle.js';
import type { RuleEvent } from '../domain/rules/matcher.js';
import { botFeedbackOutcomes, selfServiceEvents, type BotFeedbackOutcome, type HandOffReason } from '../domain/self-service.js';
import { priorities } from '../domain/vocabulary.js';
import {
  conversationFailures,
  type ConversationState,
  type MergeInput,
  type MessagePostedInput,
  type SetPriorityInput,
  type SnoozeInput,
  type TransferInput,
} from './conversation.messages.js';
import {
  applyPlan,
  dueDates,
  dueSlaEvents,
  nextSlaInstant,
  pauseMetric,
  resumeMetric,
  slaStateAt,
  startConversationClocks,
  startMetric,
  stopMetric,
} from './conversation-sla.js';

/** What the entity asks of the outside world; the workflow passes Temporal's, tests pass fakes. */
export interface ConversationPorts {
  /** Quick database work (local activities in the workflow). */
  db: Omit<ConversationActivities, 'offerQueuedConversations'>;
  /** Offering the queue signals other workflows (a normal activity). */
  queue: Pick<ConversationActivities, 'offerQueuedConversations'>;
  notifications: NotificationActivities;
  ai: AiActivities;
  /** The bot's answer as a local activity, for an AI layer that runs in-process (absent: always `ai`). */
  localAi?: Pick<AiActivities, 'answerWithBot'>;
  /** The bot's HTTP actions (issue 20, item 6); absent: the bot never calls one. */
  actions?: BotActionActivities;
  /** The automation rules: events handlers queue, and events run at once (SLA events). */
  rules: { push(event: RuleEvent): void; run(event: RuleEvent): Promise<void> };
  /** Runs a step once no other writer runs (workflows/subject-runtime.ts). */
  exclusive<T>(action: () => Promise<T>): Promise<T>;
  /** Tells the main loop that something changed, so it re-plans its timers. */
  changed(): void;
  /** Temporal's `patched` (runs started before a change replay without it). */
  patched(patchId: string): boolean;
  now(): Date;
}

/** How an action is named in the refusal ("Cannot snooze a conversation that is queued."). */
const refusedAction: Record<ConversationAction, string> = {
  resolve: 'resolve',
  reopen: 'reopen',
  snooze: 'snooze',
  transfer: 'transfer',
  priority: 'change the priority of',
  merge: 'merge',
  botFeedback: 'give feedback on the bot in',
};

const refuse = (message: string, type: string = conversationFailures.invalidTransition) => ApplicationFailure.nonRetryable(message, type);

export function requireUser(byUserId: unknown): void {
  if (typeof byUserId !== 'string' || byUserId.length === 0) throw refuse('byUserId is required', conversationFailures.invalidInput);
}

/**
 * messagePosted signals numbered by the API's outbox (`seq`): a repeated one is ignored rather
 * than one stored a moment earlier, and a late agent reply still stops the first-response clock.
 * Runs that took signals before keep the old rule on replay.
 */
const orderedMessageSignals = 'ordered-message-signals';

/**
 * tagsAdded and csatReceived signals numbered by the outbox (`seq`): a repeated delivery (a relay
 * that died after Temporal took the signal) no longer runs the rules on it twice.
 */
const ruleSignalsOnce = 'rule-signals-once';
/**
 * An agent's public reply to a queued conversation assigns it to them (issue 21; Chatwoot does the
 * same). Runs from before it replay without the assignment.
 */
const replyTakesConversation = 'reply-takes-conversation';
/**
 * A person who resolves a conversation nobody owns takes it first (issue 21; Zendesk assigns the
 * solver), so every conversation a person resolved names its owner. Runs from before it replay
 * resolving it unowned.
 */
const resolverTakesConversation = 'resolver-takes-conversation';
/**
 * A message marked `autoAnswer: false` (an auto-reply, a bounce, a sender past the hourly limit of
 * automatic answers) is not answered automatically: no bot, no rules on its arrival. Runs that took
 * such a message before replay as they ran (they answered it).
 */
export const quietAutomatedMail = 'quiet-automated-mail';
/**
 * Routing decides and writes in one activity (routeConversation) instead of two (findAssignee, then
 * assignConversation): one local activity per attempt. Runs that routed before replay with two.
 */
export const routeInOneStep = 'route-in-one-step';

/**
 * The bot's HTTP actions (issue 20, item 6): a first message that asks for one starts it — the
 * bot asks for a missing input and the customer's next message answers it instead of handing
 * off, or the action is called at once. Runs started before replay without.
 */
export const botActionsPatch = 'bot-actions';

/**
 * With a model, function calling drives the bot's actions (the model's tool call, checked, or its
 * question for an input; the answer from the result by the model, verified): the activities get
 * `tools`. Runs started before replay with slot filling alone.
 */
export const botActionToolsPatch = 'bot-action-tools';

/**
 * While the bot waits for an action's input, its idle timer does not run: the customer was asked a
 * question, so their silence is not an answer that helped (no `bot.assumed_resolved`); the
 * conversation stays the bot's until they write (or a person takes it). Runs from before replay
 * with the timer.
 */
export const botActionIdlePatch = 'bot-action-no-idle';

export class ConversationEntity {
  /** Routing is wanted: the main loop routes a queued conversation when this is set. */
  routingWanted = false;
  /** An action the first message gave every input for: the workflow calls it after the bot's attempt (runReadyBotAction). */
  readyBotAction: { actionId: string; values: Record<string, string>; idleMinutes: number; byModel?: boolean } | null = null;
  /** The bot is deciding whether to answer (its activity runs); see trySelfService. */
  botAttempting = false;

  constructor(
    readonly state: ConversationState,
    private readonly ports: ConversationPorts,
  ) {}

  get conversationId(): string {
    return this.state.conversationId;
  }

  /** Runs started before rules existed replay without them (checked before any scheduling). */
  rulesApply(): boolean {
    return this.ports.patched('automation-rules');
  }

  /**
   * Whether a tagsAdded or csatReceived signal was taken before: the outbox delivers a
   * conversation's rows in id order, so one numbered at or below the last taken is a repeat.
   */
  isRepeatedRuleSignal(seq: number | undefined): boolean {
    if (seq === undefined || !this.ports.patched(ruleSignalsOnce)) return false;
    const last = this.state.lastRuleSignalSeq;
    if (last !== undefined && seq <= last) return true;
    this.state.lastRuleSignalSeq = seq;
    return false;
  }

  /**
   * Whether the product may answer a message automatically (bot, rules on its arrival). Only a
   * message marked `autoAnswer: false` asks for the patch, so other runs' histories stay as they were.
   */
  mayAnswerAutomatically(autoAnswer: boolean | undefined): boolean {
    return autoAnswer !== false || !this.ports.patched(quietAutomatedMail);
  }

  /** Refuses an action the lifecycle (domain/conversation-lifecycle.ts) does not allow now. */
  require(action: ConversationAction): void {
    if (!conversationAllows(action, this.state.status)) throw refuse(`Cannot ${refusedAction[action]} a conversation that is ${this.state.status}.`);
  }

  private write(change: ConversationChange, type: string, actorId: string | null, details: Record<string, unknown> = {}) {
    return this.ports.db.applyConversationChange({ conversationId: this.conversationId, change, event: { type, actorId, details } });
  }

  /** Frees the holder's seat, so the oldest queued conversations try routing at once. */
  private releaseCapacity(reason: string) {
    return this.ports.queue.offerQueuedConversations({ reason });
  }

  /**
   * The first run: classification, SLA policy and settings, from the stored conversation. `answer`:
   * the first message may be answered automatically, and the preparation may let the in-process bot
   * try (its attempt is adopted here, as trySelfService would, before any other writer runs).
   */
  prepare(answer = false): Promise<PreparedConversation> {
    return this.prepareWith((input) => this.ports.db.prepareConversation(input), answer);
  }

  /**
   * prepare, in one step with the SLA save and routing when routing is what comes next
   * (startConversation). `routed` is not adopted here: the workflow does, after the first run's
   * rules took their baseline (adoptRoutingAtStart).
   */
  start(answer = false): Promise<StartedConversation> {
    return this.prepareWith((input) => this.ports.db.startConversation(input), answer);
  }

  private async prepareWith<Prepared extends PreparedConversation>(
    step: (input: { conversationId: string; answer?: boolean }) => Promise<Prepared>,
    answer: boolean,
  ): Promise<Prepared> {
    const { state } = this;
    // A customer message while the bot may be answering is handed to a person after it (messagePosted).
    this.botAttempting = answer;
    let prepared: Prepared;
    try {
      prepared = await step(answer ? { conversationId: state.conversationId, answer } : { conversationId: state.conversationId });
    } finally {
      this.botAttempting = false;
    }
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
    startConversationClocks(state, prepared, this.ports.now());
    if (prepared.bot && state.status === 'queued' && this.ports.patched('self-service-bot')) this.adoptBotAttempt(prepared.bot);
    return prepared;
  }

  /** What the first run's step routed: the state follows, and the main loop does not route again now. */
  adoptRoutingAtStart(routed: RoutedAtStart): void {
    this.routingWanted = false;
    this.adoptRouting(routed);
  }

  async requeue(reason: string, actorId: string | null): Promise<void> {
    const { state } = this;
    const previous = state.assigneeId;
    await this.write({ status: 'queued', assigneeId: null }, 'conversation.requeued', actorId, { reason, previousAssigneeId: previous });
    state.status = 'queued';
    state.assigneeId = null;
    this.routingWanted = true;
    if (previous) await this.releaseCapacity(`conversation ${this.conversationId} left agent ${previous}`);
  }

  async route(): Promise<void> {
    const { state, conversationId } = this;
    if (this.ports.patched(routeInOneStep)) {
      this.adoptRouting(await this.ports.db.routeConversation({ conversationId, tier: state.tier, teamId: state.teamId, skill: state.skill }));
      return;
    }
    const { agentId } = await this.ports.db.findAssignee({ conversationId, tier: state.tier, teamId: state.teamId, skill: state.skill });
    if (!agentId || state.status !== 'queued') return;
    const result = await this.ports.db.assignConversation({ conversationId, agentId, checkCapacity: true, actorId: null });
    if (result.assigned) {
      state.status = 'open';
      state.assigneeId = agentId;
      state.teamId = result.teamId;
    } else {
      this.routingWanted = true; // someone else took the last seat: decide again
    }
  }

  /** routeConversation's result. */
  private adoptRouting(result: { agentId: string | null; assigned: boolean; teamId: string | null }): void {
    const { state } = this;
    if (!result.agentId) return; // nobody online has a free seat: an offer wakes it
    if (result.assigned) {
      state.status = 'open';
      state.assigneeId = result.agentId;
      state.teamId = result.teamId;
    } else {
      this.routingWanted = true; // someone else took the last seat: decide again
    }
  }

  /** SLA clocks measure people: they start when a person is needed, not while the bot serves. */
  private startHumanClocks(at: Date): void {
    startMetric(this.state, 'first_response', at);
    startMetric(this.state, 'resolution', at);
  }

  /** A model's view of the first message; the rules' classification stands when it fails. */
  async refineClassification(): Promise<void> {
    try {
      Object.assign(this.state, await this.ports.ai.classifyWithModel({ conversationId: this.conversationId }));
    } catch {
      // routing goes on with the rules' tier and skill
    }
  }

  /**
   * On the first message: the bot answers when it is confident enough, else routing goes on.
   * `locally`: the AI layer runs in-process, so the answer is a local activity (ports.localAi).
   */
  async trySelfService(locally = false): Promise<void> {
    let attempt;
    this.botAttempting = true;
    try {
      const bot = locally && this.ports.localAi ? this.ports.localAi : this.ports.ai;
      attempt = await bot.answerWithBot({ conversationId: this.conversationId, ...this.toolsAllowed() });
    } catch {
      return; // the bot is a convenience: when the AI layer fails, a person answers
    } finally {
      this.botAttempting = false;
    }
    this.adoptBotAttempt(attempt);
  }

  /** Function calling for the bot's actions, in runs with botActionToolsPatch (the activities use it only with a model). */
  private toolsAllowed(): { tools?: true } {
    return this.ports.patched(botActionToolsPatch) ? { tools: true } : {};
  }

  /** The bot serves the conversation and its idle timer runs: not while it waits for an action's input (botActionIdlePatch). */
  private botIdleRuns(): boolean {
    return this.state.status === 'bot' && !(this.state.botAction && this.ports.patched(botActionIdlePatch));
  }

  /** The bot answered a queued conversation: it serves it (status `bot`), with no SLA clock running. */
  private adoptBotAttempt(attempt: BotAttempt): void {
    if (attempt.action && this.state.status === 'queued' && this.ports.actions && this.ports.patched(botActionsPatch)) {
      if (attempt.answered) this.state.botAction = attempt.action;
      else this.readyBotAction = attempt.action;
    }
    if (!attempt.answered || this.state.status !== 'queued') return;
    Object.assign(this.state, { status: 'bot', waitingOn: 'customer', botAnsweredAt: this.ports.now().toISOString(), botIdleMinutes: attempt.idleMinutes });
    this.state.clocks = [];
    this.state.reported = {};
  }

  /** Calls the action the first message gave every input for (adoptBotAttempt kept it). */
  async runReadyBotAction(): Promise<void> {
    const ready = this.readyBotAction;
    this.readyBotAction = null;
    if (ready) await this.callBotAction(ready.actionId, ready.values, ready.idleMinutes, ready.byModel);
  }

  /** The customer answered the bot's question for an action's input: the next question, the call, or a person. */
  private async continueBotAction(): Promise<void> {
    const { state } = this;
    const pending = state.botAction;
    if (!pending || state.status !== 'bot' || !this.ports.actions) return;
    let step: BotActionStep;
    try {
      step = await this.ports.actions.fillBotAction({ conversationId: this.conversationId, pending, ...this.toolsAllowed() });
    } catch {
      step = { kind: 'gave_up' };
    }
    if (state.status !== 'bot') return;
    if (step.kind === 'asked') {
      state.botAction = step.pending;
      state.botAnsweredAt = this.ports.now().toISOString();
      return;
    }
    delete state.botAction;
    if (step.kind === 'ready') await this.callBotAction(step.actionId, step.values, state.botIdleMinutes ?? 30, step.byModel);
    else await this.handOff('customer_wrote_again');
  }

  /**
   * The action's call (its own activity, with its retries): the bot answered from the response and
   * waits on the customer as after any answer; or the call failed, the customer got an apology, and
   * a person takes over.
   */
  private async callBotAction(actionId: string, values: Record<string, string>, idleMinutes: number, byModel?: boolean): Promise<void> {
    const { state } = this;
    let ok = false;
    try {
      const call = { conversationId: this.conversationId, actionId, values, ...this.toolsAllowed(), ...(byModel ? { byModel } : {}) };
      ok = (await this.ports.actions!.callBotAction(call)).ok;
    } catch {
      // The activity itself kept failing (its records included): as a failed call, a person takes over.
    }
    if (ok && (state.status === 'queued' || state.status === 'bot')) {
      if (state.status === 'queued') {
        state.clocks = [];
        state.reported = {};
      }
      Object.assign(state, { status: 'bot', waitingOn: 'customer', botAnsweredAt: this.ports.now().toISOString(), botIdleMinutes: idleMinutes });
      return;
    }
    if (ok) return;
    if (state.status === 'bot') await this.handOff('action_failed');
    else if (state.status === 'queued') {
      await this.ports.ai.handOffToHuman({ conversationId: this.conversationId, reason: 'action_failed' });
      this.routingWanted = true;
    }
  }

  /** From the bot to a person, with a summary for the agent; routing takes it from there. */
  async handOff(reason: HandOffReason): Promise<void> {
    if (this.state.status !== 'bot') return; // feedback and a new message may both ask
    delete this.state.botAction;
    await this.ports.ai.handOffToHuman({ conversationId: this.conversationId, reason });
    Object.assign(this.state, { status: 'queued', waitingOn: 'agent', botAnsweredAt: null });
    this.startHumanClocks(this.ports.now());
    this.routingWanted = true;
  }

  /** The bot's answer settled it: marked helpful, or the customer left without asking more. */
  private async resolveByBot(eventType: string): Promise<void> {
    const resolvedAt = this.ports.now().toISOString();
    await this.write({ status: 'resolved', waitingOn: null, resolvedAt }, eventType, null);
    Object.assign(this.state, { status: 'resolved', waitingOn: null, resolvedAt, botAnsweredAt: null });
  }

  /** Mirrors what a rule's action changed; routes again when the holder no longer fits. */
  async mirrorRuleAction(result: RuleActionResult): Promise<void> {
    const { state, conversationId } = this;
    Object.assign(state, result.state);
    if (result.state.priority) applyPlan(state, await this.ports.db.resolveSlaPlan({ conversationId, priority: result.state.priority }));
    if (result.slaPlan) applyPlan(state, result.slaPlan);
    if (result.state.status === 'snoozed') pauseMetric(state, 'resolution', this.ports.now());
    if (result.state.status === 'resolved' || result.state.status === 'closed') {
      state.clocks = [];
      state.reported = {};
    }
    if (result.freedSeatOf) await this.releaseCapacity(`a rule resolved conversation ${conversationId}`);
    if (result.requeue) await this.requeue('an automation rule changed its tier or team', null);
    if (state.status === 'queued') this.routingWanted = true;
  }

  /** A message was stored: who the conversation waits on, its SLA clocks, and what it ends. */
  messagePosted({ authorKind, authorUserId, at, seq, autoAnswer }: MessagePostedInput): void {
    const { state, ports } = this;
    // The customer wrote a mail that may be answered: rules may write to them again.
    if (state.quiet && authorKind === 'customer' && autoAnswer !== false) delete state.quiet;
    if (ports.patched(orderedMessageSignals)) {
      if (isLateMessage(state, { at, seq })) {
        // A newer message already decided who the conversation waits on. But an agent's reply,
        // however late it arrives, means the first response was given: that clock stops. (Once a
        // late first reply was dropped here, and the SLA breached a conversation answered in time.)
        if (authorKind === 'agent' && state.clocks.some((clock) => clock.metric === 'first_response')) {
          stopMetric(state, 'first_response');
          ports.changed();
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
    // The answer to the bot's question for an action's input (set only in runs with botActionsPatch).
    if (authorKind === 'customer' && state.status === 'bot' && state.botAction) {
      void ports.exclusive(() => this.continueBotAction());
      return;
    }
    if (authorKind === 'customer' && state.status === 'bot') {
      // The bot answers the first message only: anything more is for a person.
      void ports.exclusive(() => this.handOff('customer_wrote_again'));
      return;
    }
    // Written while the bot is still thinking: if it does answer, a person takes over after it.
    if (authorKind === 'customer' && this.botAttempting) void ports.exclusive(() => this.handOff('customer_wrote_again'));
    if (authorKind === 'customer' && state.status === 'resolved') {
      void ports.exclusive(() => this.reopen(null));
      return;
    }
    if (authorKind === 'customer') {
      state.waitingOn = 'agent';
      if (state.status === 'snoozed') void ports.exclusive(() => this.unsnooze('the customer wrote'));
      resumeMetric(state, 'resolution', when);
      if (!state.clocks.some((clock) => clock.metric === 'first_response')) startMetric(state, 'next_response', when);
    } else {
      // Replying to a queued conversation takes it (domain/conversation-lifecycle.ts, agentReplyTakes).
      if (authorUserId && agentReplyTakes(state.status) && ports.patched(replyTakesConversation)) void ports.exclusive(() => this.takeByReply(authorUserId));
      state.waitingOn = 'customer';
      stopMetric(state, 'first_response');
      stopMetric(state, 'next_response');
      pauseMetric(state, 'resolution', when);
    }
    // Matched by the main loop, in order: rule actions never race the handler that caused them.
    // Mail nothing may answer automatically still moves the lifecycle above (a person sees it).
    if (this.rulesApply() && this.mayAnswerAutomatically(autoAnswer)) ports.rules.push({ on: 'message_received', from: authorKind });
    ports.changed();
  }

  /** An admin changed the SLA policy: plan again, keeping the time used. */
  async replanSla(): Promise<void> {
    const { state, conversationId } = this;
    if (state.status === 'closed') return;
    applyPlan(state, await this.ports.db.resolveSlaPlan({ conversationId, priority: state.priority }));
    state.slaState = slaStateAt(state, this.ports.now());
    await this.ports.db.saveSla({ conversationId, slaState: state.slaState, dueDates: dueDates(state), replanned: { reason: 'the SLA policy changed' } });
  }

  async resolve(byUserId: string): Promise<ConversationState> {
    const { state } = this;
    this.require('resolve');
    // Read before the resolver takes it: a seat held only for the resolution frees nothing for the queue.
    const holder = state.assigneeId;
    if (holder === null && this.ports.patched(resolverTakesConversation)) await this.takeToResolve(byUserId);
    const resolvedAt = this.ports.now().toISOString();
    await this.write({ status: 'resolved', waitingOn: null, snoozedUntil: null, resolvedAt }, 'conversation.resolved', byUserId);
    Object.assign(state, { status: 'resolved', waitingOn: null, snoozedUntil: null, resolvedAt });
    state.clocks = [];
    state.reported = {};
    if (holder) await this.releaseCapacity(`agent ${holder} resolved conversation ${this.conversationId}`);
    return state;
  }

  /** Back from resolved: to the same agent unless they have gone offline, else routed like a new one. */
  async reopen(byUserId: string | null): Promise<void> {
    const { state } = this;
    this.require('reopen');
    const at = this.ports.now();
    const keep = state.assigneeId !== null && (await this.ports.db.agentPresence({ agentId: state.assigneeId })) !== 'offline';
    const change: ConversationChange = keep ? { status: 'open' } : { status: 'queued', assigneeId: null };
    const reopenCount = state.reopenCount + 1;
    await this.write({ ...change, waitingOn: 'agent', resolvedAt: null, reopenCount }, 'conversation.reopened', byUserId);
    Object.assign(state, change, { waitingOn: 'agent', resolvedAt: null, reopenCount });
    startMetric(state, 'next_response', at);
    startMetric(state, 'resolution', at);
    this.routingWanted = state.status === 'queued';
  }

  validateSnooze({ byUserId, until }: SnoozeInput): void {
    requireUser(byUserId);
    this.require('snooze');
    if (until !== null && !(Date.parse(until) > this.ports.now().getTime())) throw refuse('until must be a future instant', conversationFailures.invalidInput);
  }

  async snooze({ byUserId, until }: SnoozeInput): Promise<ConversationState> {
    const { state } = this;
    this.require('snooze');
    await this.write({ status: 'snoozed', snoozedUntil: until }, 'conversation.snoozed', byUserId, { until });
    state.status = 'snoozed';
    state.snoozedUntil = until;
    pauseMetric(state, 'resolution', this.ports.now());
    return state;
  }

  /** Back from snooze: to its agent, or to the queue when it has none any more. */
  async unsnooze(reason: string): Promise<void> {
    const { state } = this;
    if (state.status !== 'snoozed') return; // the timer and a customer message may both ask
    const status = state.assigneeId ? 'open' : 'queued';
    await this.write({ status, snoozedUntil: null }, 'conversation.unsnoozed', null, { reason });
    state.status = status;
    state.snoozedUntil = null;
    if (state.waitingOn === 'agent') resumeMetric(state, 'resolution', this.ports.now());
    this.routingWanted = status === 'queued';
  }

  /**
   * The agent who replied to a queued conversation takes it, whatever their seats (they chose to
   * answer it). Routing may have given it to someone in the meantime: then it stays theirs.
   */
  async takeByReply(agentId: string): Promise<void> {
    const { state, conversationId } = this;
    if (!agentReplyTakes(state.status) || state.assigneeId) return;
    const result = await this.ports.db.assignConversation({ conversationId, agentId, checkCapacity: false, actorId: agentId });
    if (!result.assigned) return; // not an agent any more: routing goes on
    state.status = statusAfterAssignment(state.status);
    state.assigneeId = agentId;
    state.teamId = result.teamId;
    this.routingWanted = false;
  }

  /**
   * An agent's reminder came due: the conversation comes back to their inbox. Snoozed, it wakes;
   * resolved, it reopens (in their name); then, if nobody holds it, it is theirs. One a colleague
   * holds stays with that colleague: Intercom brings a snoozed or reminded conversation back to
   * whoever it is assigned to, and Chatwoot reopens a snoozed one into its assignee's "Mine",
   * neither takes it from them — the reminder itself still reaches its owner. Closed stays closed.
   */
  async reminderDue(userId: string): Promise<ConversationState> {
    const { state } = this;
    if (state.status === 'snoozed') await this.unsnooze('a reminder came due');
    else if (state.status === 'resolved') await this.reopen(userId);
    // Queued (unowned, or its assignee offline at the reopen): taken as an agent's reply takes it.
    await this.takeByReply(userId);
    return state;
  }

  /** The person resolving an unowned conversation becomes its assignee (an account that cannot take it resolves it unowned). */
  private async takeToResolve(byUserId: string): Promise<void> {
    const { state, conversationId } = this;
    const result = await this.ports.db.assignConversation({ conversationId, agentId: byUserId, checkCapacity: false, actorId: byUserId });
    if (!result.assigned) return;
    state.status = statusAfterAssignment(state.status);
    state.assigneeId = byUserId;
    state.teamId = result.teamId;
    this.routingWanted = false;
  }

  validateTransfer({ byUserId, toAgentId, toTeamId }: TransferInput): void {
    requireUser(byUserId);
    this.require('transfer');
    if (Boolean(toAgentId) === Boolean(toTeamId)) throw refuse('Give exactly one of toAgentId and toTeamId.', conversationFailures.invalidInput);
  }

  async transfer({ byUserId, toAgentId, toTeamId }: TransferInput): Promise<ConversationState> {
    const { state, conversationId } = this;
    this.require('transfer');
    const previous = state.assigneeId;
    if (state.status === 'bot') {
      state.botAnsweredAt = null;
      this.startHumanClocks(this.ports.now());
    }
    if (toAgentId) {
      const result = await this.ports.db.assignConversation({ conversationId, agentId: toAgentId, checkCapacity: false, actorId: byUserId });
      if (!result.assigned) throw refuse('That agent cannot take conversations.', conversationFailures.transferRefused);
      state.status = statusAfterAssignment(state.status);
      state.assigneeId = toAgentId;
      state.teamId = result.teamId;
    } else if (toTeamId) {
      const team = await this.ports.db.moveToTeam({ conversationId, teamId: toTeamId, actorId: byUserId });
      state.teamId = toTeamId;
      state.tier = team.tier;
      await this.requeue(`transferred to team ${team.name}`, byUserId);
    }
    if (previous && previous !== state.assigneeId) await this.releaseCapacity(`conversation ${conversationId} transferred away from ${previous}`);
    return state;
  }

  validateSetPriority({ byUserId, priority }: SetPriorityInput): void {
    requireUser(byUserId);
    this.require('priority');
    if (!priorities.includes(priority)) throw refuse(`Unknown priority ${String(priority)}`, conversationFailures.invalidInput);
  }

  async setPriority({ byUserId, priority }: SetPriorityInput): Promise<ConversationState> {
    const { state } = this;
    await this.write({ priority }, 'conversation.priority_changed', byUserId, { from: state.priority, to: priority });
    state.priority = priority;
    applyPlan(state, await this.ports.db.resolveSlaPlan({ conversationId: this.conversationId, priority }));
    return state;
  }

  validateMerge({ byUserId, intoConversationId }: MergeInput): void {
    requireUser(byUserId);
    this.require('merge');
    if (intoConversationId === this.conversationId) throw refuse('A conversation cannot be merged into itself.', conversationFailures.mergeRefused);
  }

  async merge({ byUserId, intoConversationId }: MergeInput): Promise<ConversationState> {
    const { state, conversationId } = this;
    this.require('merge');
    await this.ports.db.mergeConversations({ sourceId: conversationId, targetId: intoConversationId, byUserId });
    const holder = state.assigneeId;
    state.status = 'closed';
    state.clocks = [];
    if (holder) await this.releaseCapacity(`conversation ${conversationId} merged`);
    return state;
  }

  validateBotFeedback(outcome: BotFeedbackOutcome): void {
    if (!botFeedbackOutcomes.includes(outcome)) throw refuse(`Unknown outcome ${String(outcome)}`, conversationFailures.invalidInput);
    // The customer may see the answer before this workflow has heard the activity finish:
    // the handler then waits its turn behind the attempt and checks again.
    if (!this.botAttempting) this.require('botFeedback');
  }

  /** The customer's verdict on the bot's answer: helpful resolves it; otherwise a person takes over. */
  async botFeedback(outcome: BotFeedbackOutcome): Promise<ConversationState> {
    this.require('botFeedback');
    if (outcome === 'helpful') {
      await this.resolveByBot(selfServiceEvents.helpful);
      return this.state;
    }
    if (outcome === 'not_helpful') await this.write({}, selfServiceEvents.notHelpful, null);
    await this.handOff(outcome);
    return this.state;
  }

  /** Timers that have come due: the bot's wait, snooze end, reopen window end, SLA warnings and breaches. */
  async onTime(): Promise<void> {
    const { state, conversationId, ports } = this;
    const at = ports.now();
    if (this.botIdleRuns() && botWaitEnd(state) <= at.getTime()) {
      await this.resolveByBot(selfServiceEvents.assumedResolved);
    }
    if (state.status === 'snoozed' && state.snoozedUntil && Date.parse(state.snoozedUntil) <= at.getTime()) {
      await this.unsnooze('the snooze time came');
    }
    if (state.status === 'resolved' && state.resolvedAt && reopenWindowEnd(state) <= at.getTime()) {
      await this.write({ status: 'closed' }, 'conversation.closed', null, { reason: 'reopen window elapsed' });
      state.status = 'closed';
      return;
    }
    for (const event of dueSlaEvents(state, at)) {
      state.reported[event.metric] = event.kind;
      state.slaState = slaStateAt(state, at);
      await ports.db.saveSla({ conversationId, slaState: state.slaState, dueDates: dueDates(state), event });
      if (this.rulesApply()) await ports.rules.run({ on: event.kind === 'breached' ? 'sla_breach' : 'sla_warning' });
      if (event.kind === 'breached') {
        for (const step of state.sla?.escalation ?? []) {
          const result = await ports.db.escalate({ conversationId, step, metric: event.metric });
          Object.assign(state, result.state);
          if (step.action === 'notify' && ports.patched('sla-email'))
            await ports.notifications.emailSlaBreach({ subject: { conversationId }, metric: event.metric });
          if (result.requeue) await this.requeue(`SLA breach: ${step.action}`, null);
        }
      }
    }
  }

  /** The earliest instant something is due: an SLA event, the bot's wait, the snooze end or the reopen window end. */
  nextWake(): number | null {
    const { state } = this;
    const candidates = [nextSlaInstant(state, this.ports.now())];
    if (state.status === 'snoozed' && state.snoozedUntil) candidates.push(Date.parse(state.snoozedUntil));
    if (state.status === 'resolved' && state.resolvedAt) candidates.push(reopenWindowEnd(state));
    if (this.botIdleRuns()) candidates.push(botWaitEnd(state));
    const due = candidates.filter((value): value is number => value !== null);
    return due.length ? Math.min(...due) : null;
  }
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

/** The state of a conversation's first run, before `prepare` reads the stored conversation. */
export function initialConversationState(conversationId: string): ConversationState {
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
