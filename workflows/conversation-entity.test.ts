// The conversation's steps without Temporal: fake activities record what the steps ask for, and
// the state shows what they decided. The workflow around them (handlers, timers, replay) is
// covered by conversation.integration-test.ts and replay.integration-test.ts.
import { ApplicationFailure } from '@temporalio/workflow';
import { describe, expect, it, vi } from 'vitest';
import type { SlaPlan } from '../domain/sla-plan.js';
import type { RuleEvent } from '../domain/rules/matcher.js';
import type { PreparedConversation } from '../activities/conversation-activities.js';
import { ConversationEntity, initialConversationState, type ConversationPorts } from './conversation-entity.js';
import type { ConversationState } from './conversation.messages.js';

const plan: SlaPlan = {
  policyId: 'policy-normal',
  policyName: 'Normal priority',
  firstResponseMinutes: 60,
  nextResponseMinutes: 120,
  resolutionMinutes: 24 * 60,
  warningPercent: 80,
  escalation: [{ action: 'notify' }, { action: 'move_to_expert' }],
  calendar: null,
};

const start = new Date('2025-03-10T09:00:00.000Z');

/** An entity over fake activities; `clock.at` is "now"; `overrides` replace single activities. */
function conversationWith(
  state: Partial<ConversationState> = {},
  overrides: { db?: Partial<ConversationPorts['db']>; ai?: Partial<ConversationPorts['ai']>; patches?: string[] } = {},
) {
  const clock = { at: start };
  const pushed: RuleEvent[] = [];
  const ran: RuleEvent[] = [];
  const db = {
    prepareConversation: vi.fn(),
    resolveSlaPlan: vi.fn(async () => plan),
    findAssignee: vi.fn(async () => ({ agentId: 'agent-1' as string | null })),
    assignConversation: vi.fn(async () => ({ assigned: true, teamId: 'team-1' as string | null })),
    routeConversation: vi.fn(async () => ({ agentId: 'agent-1' as string | null, assigned: true, teamId: 'team-1' as string | null })),
    moveToTeam: vi.fn(async () => ({ tier: 'expert' as const, name: 'Experts' })),
    applyConversationChange: vi.fn(async (_input: { event: { type: string } }) => {}),
    saveSla: vi.fn(async () => {}),
    escalate: vi.fn(async () => ({ state: {}, requeue: false })),
    mergeConversations: vi.fn(async () => {}),
    agentPresence: vi.fn(async (_input: { agentId: string }): Promise<'online' | 'away' | 'offline'> => 'online'),
  };
  // Replaced in place, so `db` keeps the mocks' types.
  Object.assign(db, overrides.db);
  const queue = { offerQueuedConversations: vi.fn(async (_input: { reason: string }) => 0) };
  const notifications = { emailSlaBreach: vi.fn(async () => {}) };
  const ai = {
    classifyWithModel: vi.fn(async () => ({ tier: 'expert' as const, skill: 'billing' })),
    answerWithBot: vi.fn(async () => ({ answered: true as const, confidence: 0.9, idleMinutes: 30 })),
    handOffToHuman: vi.fn(async () => ({ summary: 'summary' })),
  };
  Object.assign(ai, overrides.ai);
  /** The bot as a local activity (an in-process AI layer). */
  const localAi = { answerWithBot: vi.fn(async () => ({ answered: true as const, confidence: 0.8, idleMinutes: 15 })) };
  /** The writer's queue, as the runtime runs it: actions one after another. */
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(action: () => Promise<T>): Promise<T> => {
    const result = tail.then(action);
    tail = result.catch(() => {});
    return result;
  };
  const changed = vi.fn();
  const patches = overrides.patches ?? ['automation-rules', 'ordered-message-signals', 'sla-email', 'rule-signals-once'];
  const entity = new ConversationEntity(
    { ...initialConversationState('c-1'), sla: plan, ...state },
    {
      db: db as unknown as ConversationPorts['db'],
      queue,
      notifications,
      ai: ai as unknown as ConversationPorts['ai'],
      localAi,
      rules: { push: (event) => void pushed.push(event), run: async (event) => void ran.push(event) },
      exclusive,
      changed,
      patched: (patchId) => patches.includes(patchId),
      now: () => clock.at,
    },
  );
  /** Waits for every step queued on the writer. */
  const settled = async () => {
    let seen;
    do {
      seen = tail;
      await tail;
    } while (seen !== tail);
  };
  return { entity, state: entity.state, db, queue, notifications, ai, localAi, pushed, ran, clock, changed, settled, exclusive };
}

const written = (db: ReturnType<typeof conversationWith>['db']) => db.applyConversationChange.mock.calls.map(([input]) => input.event.type);

const failureType = (action: () => unknown) => {
  try {
    action();
  } catch (error) {
    return error instanceof ApplicationFailure ? error.type : String(error);
  }
  return null;
};

describe('prepare', () => {
  it('takes the stored conversation and starts its clocks from when it was created', async () => {
    const createdAt = new Date(start.getTime() - 10 * 60_000);
    const prepareConversation = vi.fn(async () => ({
      status: 'queued' as const,
      waitingOn: 'agent' as const,
      priority: 'high' as const,
      tier: 'expert' as const,
      assigneeId: null,
      teamId: 'team-1',
      skill: 'billing',
      sla: plan,
      settings: { reopenWindowHours: 24, maxHistoryEvents: 4000 },
      createdAt: createdAt.toISOString(),
      firstResponseAt: null,
      refineClassification: false,
      selfService: false,
    }));
    const { entity, state } = conversationWith(
      { sla: null },
      { db: { prepareConversation: prepareConversation as unknown as ConversationPorts['db']['prepareConversation'] } },
    );
    await entity.prepare();
    expect(state).toMatchObject({ priority: 'high', tier: 'expert', teamId: 'team-1', skill: 'billing', sla: plan, settings: { reopenWindowHours: 24 } });
    expect(state.clocks.map((clock) => [clock.metric, clock.runningSince])).toEqual([
      ['first_response', createdAt.toISOString()],
      ['resolution', createdAt.toISOString()],
    ]);

    // The first run's one step (startConversation) is adopted the same way; its routing is the workflow's to adopt.
    const startConversation = vi.fn(async () => ({ ...(await prepareConversation()), routed: { agentId: 'agent-1', assigned: true, teamId: 'team-1' } }));
    const started = conversationWith(
      { sla: null },
      { db: { startConversation: startConversation as unknown as ConversationPorts['db']['startConversation'] } },
    );
    expect((await started.entity.start()).routed).toMatchObject({ agentId: 'agent-1' });
    expect(started.state).toEqual(state);
  });

  const preparedWithBot = (bot: PreparedConversation['bot']) =>
    vi.fn(async (_input: { conversationId: string; answer?: boolean }) => ({
      status: 'queued' as const,
      waitingOn: 'agent' as const,
      priority: 'normal' as const,
      tier: 'junior' as const,
      assigneeId: null,
      teamId: null,
      skill: null,
      sla: plan,
      settings: { reopenWindowHours: 72, maxHistoryEvents: 4000 },
      createdAt: start.toISOString(),
      firstResponseAt: null,
      refineClassification: false,
      selfService: true,
      bot,
    }));

  it('asks the preparation for the bot’s attempt and adopts its answer: the bot serves it, no clock runs', async () => {
    const prepareConversation = preparedWithBot({ answered: true, confidence: 0.9, idleMinutes: 20 });
    const { entity, state, ai } = conversationWith({}, { db: { prepareConversation }, patches: ['self-service-bot'] });
    await entity.prepare(true);
    expect(prepareConversation).toHaveBeenCalledWith({ conversationId: 'c-1', answer: true });
    expect(state).toMatchObject({ status: 'bot', waitingOn: 'customer', botAnsweredAt: start.toISOString(), botIdleMinutes: 20 });
    expect(state.clocks).toEqual([]);
    expect(ai.answerWithBot).not.toHaveBeenCalled();
    expect(entity.botAttempting).toBe(false);
  });

  it('keeps the conversation queued for people when the bot declined in the preparation', async () => {
    const prepareConversation = preparedWithBot({ answered: false, reason: 'low_confidence' });
    const { entity, state } = conversationWith({}, { db: { prepareConversation }, patches: ['self-service-bot'] });
    await entity.prepare(true);
    expect(state.status).toBe('queued');
    expect(state.clocks.map((clock) => clock.metric)).toEqual(['first_response', 'resolution']);
  });

  it('hands a customer’s second message to a person after the bot answered it in the preparation', async () => {
    let finish: () => void = () => {};
    const answered = new Promise<void>((resolve) => (finish = resolve));
    const attempt = preparedWithBot({ answered: true, confidence: 0.9, idleMinutes: 20 });
    const prepareConversation = vi.fn(async (input: { conversationId: string; answer?: boolean }) => (await answered, attempt(input)));
    const { entity, state, ai, settled, exclusive } = conversationWith({}, { db: { prepareConversation }, patches: ['self-service-bot'] });
    // As the workflow runs it: the preparation is the writer.
    const preparing = exclusive(() => entity.prepare(true));
    await vi.waitFor(() => expect(prepareConversation).toHaveBeenCalled());
    // Written while the preparation (with the bot) still runs.
    entity.messagePosted({ messageId: 'm2', authorKind: 'customer', at: start.toISOString() });
    finish();
    await preparing;
    await settled();
    expect(ai.handOffToHuman).toHaveBeenCalledWith({ conversationId: 'c-1', reason: 'customer_wrote_again' });
    expect(state.status).toBe('queued');
  });
});

describe('routing', () => {
  it('opens a queued conversation for the agent routing found, in that agent’s team', async () => {
    const { entity, state, db } = conversationWith();
    await entity.route();
    expect(db.assignConversation).toHaveBeenCalledWith({ conversationId: 'c-1', agentId: 'agent-1', checkCapacity: true, actorId: null });
    expect(state).toMatchObject({ status: 'open', assigneeId: 'agent-1', teamId: 'team-1' });
  });

  it('asks for routing again when another conversation took the last seat first', async () => {
    const { entity, state } = conversationWith({}, { db: { assignConversation: vi.fn(async () => ({ assigned: false, teamId: null })) } });
    await entity.route();
    expect(state.status).toBe('queued');
    expect(entity.routingWanted).toBe(true);
  });

  it('leaves the conversation queued, without writing, when nobody has a free seat', async () => {
    const { entity, state, db } = conversationWith({}, { db: { findAssignee: vi.fn(async () => ({ agentId: null })) } });
    await entity.route();
    expect(db.assignConversation).not.toHaveBeenCalled();
    expect(state.status).toBe('queued');
  });

  it('decides and writes in one activity once routing in one step applies', async () => {
    const { entity, state, db } = conversationWith({ skill: 'billing' }, { patches: ['route-in-one-step'] });
    await entity.route();
    expect(db.routeConversation).toHaveBeenCalledWith({ conversationId: 'c-1', tier: 'junior', teamId: null, skill: 'billing' });
    expect(db.findAssignee).not.toHaveBeenCalled();
    expect(db.assignConversation).not.toHaveBeenCalled();
    expect(state).toMatchObject({ status: 'open', assigneeId: 'agent-1', teamId: 'team-1' });
    expect(entity.routingWanted).toBe(false);
  });

  it('routes again, in one step, when another conversation took the chosen agent’s last seat', async () => {
    const routeConversation = vi.fn(async () => ({ agentId: 'agent-1' as string | null, assigned: false, teamId: null }));
    const { entity, state } = conversationWith({}, { db: { routeConversation }, patches: ['route-in-one-step'] });
    await entity.route();
    expect(state).toMatchObject({ status: 'queued', assigneeId: null });
    expect(entity.routingWanted).toBe(true);
  });

  it('stays queued, in one step, when nobody has a free seat (an offer wakes it)', async () => {
    const routeConversation = vi.fn(async () => ({ agentId: null as string | null, assigned: false, teamId: null }));
    const { entity, state } = conversationWith({}, { db: { routeConversation }, patches: ['route-in-one-step'] });
    await entity.route();
    expect(state).toMatchObject({ status: 'queued', assigneeId: null });
    expect(entity.routingWanted).toBe(false);
  });

  it('adopts what the first run’s one step routed, and does not route again for it', async () => {
    const sla = { slaState: 'ok' as const, dueDates: { first_response: null, next_response: null, resolution: null } };
    for (const [routed, expected, again] of [
      [{ agentId: 'agent-1', assigned: true, teamId: 'team-1' }, { status: 'open', assigneeId: 'agent-1', teamId: 'team-1' }, false],
      [{ agentId: 'agent-1', assigned: false, teamId: null }, { status: 'queued', assigneeId: null }, true],
      [{ agentId: null, assigned: false, teamId: null }, { status: 'queued', assigneeId: null }, false],
    ] as const) {
      const { entity, state } = conversationWith();
      entity.routingWanted = true;
      entity.adoptRoutingAtStart({ ...routed, sla });
      expect(state).toMatchObject(expected);
      expect(entity.routingWanted).toBe(again);
    }
  });

  it('requeues a held conversation and frees its agent’s seat for the queue', async () => {
    const { entity, state, db, queue } = conversationWith({ status: 'open', assigneeId: 'agent-1' });
    await entity.requeue('the agent went offline', null);
    expect(written(db)).toEqual(['conversation.requeued']);
    expect(state).toMatchObject({ status: 'queued', assigneeId: null });
    expect(entity.routingWanted).toBe(true);
    expect(queue.offerQueuedConversations).toHaveBeenCalledWith({ reason: 'conversation c-1 left agent agent-1' });
  });

  it('requeues within the new team when transferred to a team, and frees the previous agent’s seat', async () => {
    const { entity, state, db, queue } = conversationWith({ status: 'open', assigneeId: 'agent-1' });
    await entity.transfer({ byUserId: 'lead-1', toTeamId: 'team-9' });
    expect(db.moveToTeam).toHaveBeenCalledWith({ conversationId: 'c-1', teamId: 'team-9', actorId: 'lead-1' });
    expect(state).toMatchObject({ status: 'queued', teamId: 'team-9', tier: 'expert', assigneeId: null });
    // Offered twice today (by the requeue, then by the transfer): harmless, the offer is idempotent.
    expect(queue.offerQueuedConversations.mock.calls.map(([input]) => input.reason)).toEqual([
      'conversation c-1 left agent agent-1',
      'conversation c-1 transferred away from agent-1',
    ]);
  });

  it('keeps a snoozed conversation snoozed when it is transferred to an agent', async () => {
    const { entity, state } = conversationWith({ status: 'snoozed', assigneeId: 'agent-1' });
    await entity.transfer({ byUserId: 'lead-1', toAgentId: 'agent-2' });
    expect(state).toMatchObject({ status: 'snoozed', assigneeId: 'agent-2' });
  });
});

describe('reopen and unsnooze', () => {
  it('reopens to the same agent while they are not offline, and starts the reply and resolution clocks', async () => {
    const { entity, state, db } = conversationWith({ status: 'resolved', assigneeId: 'agent-1', resolvedAt: start.toISOString(), waitingOn: null });
    await entity.reopen('agent-1');
    expect(written(db)).toEqual(['conversation.reopened']);
    expect(state).toMatchObject({ status: 'open', assigneeId: 'agent-1', waitingOn: 'agent', resolvedAt: null, reopenCount: 1 });
    expect(state.clocks.map((clock) => clock.metric).sort()).toEqual(['next_response', 'resolution']);
    expect(entity.routingWanted).toBe(false);
  });

  it('routes a reopened conversation again when its agent has gone offline', async () => {
    const { entity, state } = conversationWith(
      { status: 'resolved', assigneeId: 'agent-1', resolvedAt: start.toISOString() },
      { db: { agentPresence: vi.fn(async () => 'offline' as const) } },
    );
    await entity.reopen(null);
    expect(state).toMatchObject({ status: 'queued', assigneeId: null });
    expect(entity.routingWanted).toBe(true);
  });

  it('refuses to reopen a conversation that is not resolved', async () => {
    const { entity, db } = conversationWith({ status: 'open' });
    await expect(entity.reopen(null)).rejects.toMatchObject({ type: 'InvalidTransition' });
    expect(db.applyConversationChange).not.toHaveBeenCalled();
  });

  it('wakes a snoozed conversation to its agent, or to the queue when it has none', async () => {
    const held = conversationWith({ status: 'snoozed', assigneeId: 'agent-1', snoozedUntil: start.toISOString() });
    await held.entity.unsnooze('the snooze time came');
    expect(held.state).toMatchObject({ status: 'open', snoozedUntil: null });

    const unheld = conversationWith({ status: 'snoozed', assigneeId: null });
    await unheld.entity.unsnooze('the customer wrote');
    expect(unheld.state.status).toBe('queued');
    expect(unheld.entity.routingWanted).toBe(true);
  });

  it('does nothing when the snooze already ended (the timer and a message may both ask)', async () => {
    const { entity, db } = conversationWith({ status: 'open' });
    await entity.unsnooze('the snooze time came');
    expect(db.applyConversationChange).not.toHaveBeenCalled();
  });
});

describe('self-service', () => {
  it('lets the bot serve a queued conversation it answered, with no SLA clock running', async () => {
    const { entity, state } = conversationWith();
    state.clocks = [{ metric: 'first_response', targetMinutes: 60, consumedMinutes: 0, runningSince: start.toISOString() }];
    await entity.trySelfService();
    expect(state).toMatchObject({ status: 'bot', waitingOn: 'customer', botAnsweredAt: start.toISOString(), botIdleMinutes: 30 });
    expect(state.clocks).toEqual([]);
    expect(entity.botAttempting).toBe(false);
  });

  it('asks the in-process bot (a local activity) when the AI layer runs locally', async () => {
    const { entity, state, ai, localAi } = conversationWith();
    await entity.trySelfService(true);
    expect(localAi.answerWithBot).toHaveBeenCalledWith({ conversationId: 'c-1' });
    expect(ai.answerWithBot).not.toHaveBeenCalled();
    expect(state).toMatchObject({ status: 'bot', botIdleMinutes: 15 });
  });

  it('leaves the conversation to people when the AI layer fails', async () => {
    const { entity, state } = conversationWith({}, { ai: { answerWithBot: vi.fn(async () => Promise.reject(new Error('model down'))) } });
    await entity.trySelfService();
    expect(state.status).toBe('queued');
    expect(entity.botAttempting).toBe(false);
  });

  it('hands the conversation to a person with the first-response and resolution clocks started', async () => {
    const { entity, state, ai } = conversationWith({ status: 'bot', waitingOn: 'customer', botAnsweredAt: start.toISOString() });
    await entity.handOff('wants_human');
    expect(ai.handOffToHuman).toHaveBeenCalledWith({ conversationId: 'c-1', reason: 'wants_human' });
    expect(state).toMatchObject({ status: 'queued', waitingOn: 'agent', botAnsweredAt: null });
    expect(state.clocks.map((clock) => clock.metric).sort()).toEqual(['first_response', 'resolution']);
    expect(entity.routingWanted).toBe(true);
  });

  it('resolves when the customer marks the answer helpful', async () => {
    const { entity, state, db } = conversationWith({ status: 'bot', waitingOn: 'customer' });
    await entity.botFeedback('helpful');
    expect(written(db)).toEqual(['bot.helpful']);
    expect(state).toMatchObject({ status: 'resolved', waitingOn: null, resolvedAt: start.toISOString() });
  });

  it('hands off to a person, recording the verdict, when the answer did not help', async () => {
    const { entity, state, db, ai } = conversationWith({ status: 'bot', waitingOn: 'customer' });
    await entity.botFeedback('not_helpful');
    expect(written(db)).toEqual(['bot.not_helpful']);
    expect(ai.handOffToHuman).toHaveBeenCalledTimes(1);
    expect(state.status).toBe('queued');
  });
});

describe('messages', () => {
  it('reopens a resolved conversation when the customer writes', async () => {
    const { entity, state, settled } = conversationWith({ status: 'resolved', assigneeId: 'agent-1', resolvedAt: start.toISOString() });
    entity.messagePosted({ messageId: 'm-1', authorKind: 'customer', at: start.toISOString(), seq: 1 });
    await settled();
    expect(state).toMatchObject({ status: 'open', reopenCount: 1, lastMessageSeq: 1 });
  });

  it('ignores a repeated delivery of a message it has already taken', () => {
    const { entity, state, pushed, changed } = conversationWith({ status: 'open', lastMessageSeq: 5 });
    entity.messagePosted({ messageId: 'm-1', authorKind: 'customer', at: start.toISOString(), seq: 5 });
    expect(pushed).toEqual([]);
    expect(changed).not.toHaveBeenCalled();
    expect(state.lastMessageSeq).toBe(5);
  });

  it('stops the first-response clock for an agent reply that arrives late', () => {
    const running = { metric: 'first_response' as const, targetMinutes: 60, consumedMinutes: 0, runningSince: start.toISOString() };
    const { entity, state, changed } = conversationWith({ status: 'open', lastMessageSeq: 7, clocks: [running] });
    entity.messagePosted({ messageId: 'm-1', authorKind: 'agent', at: start.toISOString(), seq: 6 });
    expect(state.clocks).toEqual([]);
    expect(changed).toHaveBeenCalledTimes(1);
  });

  it('waits on the customer after an agent reply and queues the rule event for the main loop', () => {
    const { entity, state, pushed } = conversationWith({ status: 'open' });
    entity.messagePosted({ messageId: 'm-1', authorKind: 'agent', at: start.toISOString(), seq: 1 });
    expect(state.waitingOn).toBe('customer');
    expect(pushed).toEqual([{ on: 'message_received', from: 'agent' }]);
  });

  const withQuietMail = ['automation-rules', 'ordered-message-signals', 'sla-email', 'rule-signals-once', 'quiet-automated-mail'];

  it('runs no rules on a message nothing may answer automatically (an auto-reply), yet reopens for a person', async () => {
    const { entity, state, pushed, settled } = conversationWith(
      { status: 'resolved', waitingOn: null, assigneeId: 'agent-1', resolvedAt: start.toISOString() },
      { patches: withQuietMail },
    );
    entity.messagePosted({ messageId: 'm-1', authorKind: 'customer', at: start.toISOString(), seq: 1, autoAnswer: false });
    await settled();
    expect(pushed).toEqual([]);
    expect(state).toMatchObject({ status: 'open', waitingOn: 'agent', reopenCount: 1 });
    // A message that may be answered still runs them.
    entity.messagePosted({ messageId: 'm-2', authorKind: 'customer', at: start.toISOString(), seq: 2 });
    expect(pushed).toEqual([{ on: 'message_received', from: 'customer' }]);
  });

  it('keeps a conversation an auto-reply began quiet through more automated mail, and lets rules write again once the customer really writes', async () => {
    const { entity, state, settled } = conversationWith({ status: 'open', waitingOn: 'agent', assigneeId: 'agent-1', quiet: true }, { patches: withQuietMail });
    entity.messagePosted({ messageId: 'm-1', authorKind: 'customer', at: start.toISOString(), seq: 1, autoAnswer: false });
    entity.messagePosted({ messageId: 'm-2', authorKind: 'agent', authorUserId: 'agent-1', at: start.toISOString(), seq: 2 });
    await settled();
    expect(state.quiet).toBe(true);
    entity.messagePosted({ messageId: 'm-3', authorKind: 'customer', at: start.toISOString(), seq: 3 });
    await settled();
    expect(state.quiet).toBeUndefined();
  });

  it('hands a bot conversation to a person when an auto-reply answers the bot', async () => {
    const { entity, state, ai, settled } = conversationWith({ status: 'bot', waitingOn: 'customer' }, { patches: withQuietMail });
    entity.messagePosted({ messageId: 'm-1', authorKind: 'customer', at: start.toISOString(), seq: 1, autoAnswer: false });
    await settled();
    expect(ai.handOffToHuman).toHaveBeenCalledWith({ conversationId: 'c-1', reason: 'customer_wrote_again' });
    expect(state.status).toBe('queued');
  });

  it('answers automated mail as before in runs from before the patch (replay)', () => {
    const { entity, pushed } = conversationWith({ status: 'open' });
    expect(entity.mayAnswerAutomatically(false)).toBe(true);
    entity.messagePosted({ messageId: 'm-1', authorKind: 'customer', at: start.toISOString(), seq: 1, autoAnswer: false });
    expect(pushed).toEqual([{ on: 'message_received', from: 'customer' }]);
  });

  it('asks for the patch only for a message marked autoAnswer false', () => {
    const asked: string[] = [];
    const { entity } = conversationWith({ status: 'open' }, { patches: withQuietMail });
    const patched = (id: string) => (asked.push(id), withQuietMail.includes(id));
    Object.assign((entity as unknown as { ports: ConversationPorts }).ports, { patched });
    expect(entity.mayAnswerAutomatically(undefined)).toBe(true);
    expect(entity.mayAnswerAutomatically(true)).toBe(true);
    expect(asked).toEqual([]);
    expect(entity.mayAnswerAutomatically(false)).toBe(false);
    expect(asked).toEqual(['quiet-automated-mail']);
  });

  const withReplyTakes = ['automation-rules', 'ordered-message-signals', 'sla-email', 'rule-signals-once', 'reply-takes-conversation'];

  it('gives a queued conversation to the agent who replies, whatever their seats, naming them as the actor', async () => {
    const { entity, state, db, settled } = conversationWith({ status: 'queued', assigneeId: null }, { patches: withReplyTakes });
    entity.messagePosted({ messageId: 'm-1', authorKind: 'agent', authorUserId: 'agent-7', at: start.toISOString(), seq: 1 });
    await settled();
    expect(db.assignConversation).toHaveBeenCalledWith({ conversationId: 'c-1', agentId: 'agent-7', checkCapacity: false, actorId: 'agent-7' });
    expect(state).toMatchObject({ status: 'open', assigneeId: 'agent-7', teamId: 'team-1', waitingOn: 'customer' });
    expect(entity.routingWanted).toBe(false);
  });

  it('leaves a conversation routing gave to someone before the reply was taken', async () => {
    const { entity, state, db, settled } = conversationWith({ status: 'queued', assigneeId: null }, { patches: withReplyTakes });
    entity.messagePosted({ messageId: 'm-1', authorKind: 'agent', authorUserId: 'agent-7', at: start.toISOString(), seq: 1 });
    Object.assign(state, { status: 'open', assigneeId: 'agent-1' }); // routed while the reply waited for the writer
    await settled();
    expect(db.assignConversation).not.toHaveBeenCalled();
    expect(state.assigneeId).toBe('agent-1');
  });

  it('does not take an open or bot conversation, nor one the replying agent cannot hold', async () => {
    for (const status of ['open', 'bot'] as const) {
      const { entity, db, settled } = conversationWith({ status, assigneeId: status === 'open' ? 'agent-1' : null }, { patches: withReplyTakes });
      entity.messagePosted({ messageId: 'm-1', authorKind: 'agent', authorUserId: 'agent-7', at: start.toISOString(), seq: 1 });
      await settled();
      expect(db.assignConversation, status).not.toHaveBeenCalled();
    }
    const refused = conversationWith(
      { status: 'queued', assigneeId: null },
      { patches: withReplyTakes, db: { assignConversation: vi.fn(async () => ({ assigned: false, teamId: null })) } },
    );
    refused.entity.messagePosted({ messageId: 'm-1', authorKind: 'agent', authorUserId: 'gone', at: start.toISOString(), seq: 1 });
    await refused.settled();
    expect(refused.state).toMatchObject({ status: 'queued', assigneeId: null });
  });

  const withResolverTakes = [...withReplyTakes, 'resolver-takes-conversation'];

  it('gives a conversation nobody owns to the person who resolves it, before the resolution (Zendesk assigns the solver)', async () => {
    for (const status of ['queued', 'bot'] as const) {
      const { entity, state, db, queue } = conversationWith({ status, assigneeId: null }, { patches: withResolverTakes });
      await entity.resolve('agent-7');
      expect(db.assignConversation, status).toHaveBeenCalledWith({ conversationId: 'c-1', agentId: 'agent-7', checkCapacity: false, actorId: 'agent-7' });
      expect(written(db), status).toEqual(['conversation.resolved']);
      expect(state, status).toMatchObject({ status: 'resolved', assigneeId: 'agent-7', teamId: 'team-1' });
      // Its seat was held only for the resolution: nothing is offered to the queue.
      expect(queue.offerQueuedConversations, status).not.toHaveBeenCalled();
    }
  });

  it('leaves an owned conversation with its owner when someone else resolves it, and resolves unowned when the resolver cannot take it', async () => {
    const owned = conversationWith({ status: 'open', assigneeId: 'agent-1' }, { patches: withResolverTakes });
    await owned.entity.resolve('lead-1');
    expect(owned.db.assignConversation).not.toHaveBeenCalled();
    expect(owned.state).toMatchObject({ status: 'resolved', assigneeId: 'agent-1' });
    const refused = conversationWith(
      { status: 'queued', assigneeId: null },
      { patches: withResolverTakes, db: { assignConversation: vi.fn(async () => ({ assigned: false, teamId: null })) } },
    );
    await refused.entity.resolve('gone');
    expect(refused.state).toMatchObject({ status: 'resolved', assigneeId: null });
  });

  it('resolves a queued conversation unowned in runs from before resolvers took conversations', async () => {
    const { entity, state, db } = conversationWith({ status: 'queued', assigneeId: null }, { patches: withReplyTakes });
    await entity.resolve('agent-7');
    expect(db.assignConversation).not.toHaveBeenCalled();
    expect(state).toMatchObject({ status: 'resolved', assigneeId: null });
  });

  it('leaves the conversation queued in runs from before replies took conversations', async () => {
    const { entity, state, db, settled } = conversationWith({ status: 'queued', assigneeId: null });
    entity.messagePosted({ messageId: 'm-1', authorKind: 'agent', authorUserId: 'agent-7', at: start.toISOString(), seq: 1 });
    await settled();
    expect(db.assignConversation).not.toHaveBeenCalled();
    expect(state).toMatchObject({ status: 'queued', assigneeId: null });
  });

  it('queues no rule event in runs from before automation rules', () => {
    const { entity, pushed } = conversationWith({ status: 'open' }, { patches: ['ordered-message-signals'] });
    entity.messagePosted({ messageId: 'm-1', authorKind: 'agent', at: start.toISOString(), seq: 1 });
    expect(pushed).toEqual([]);
  });
});

describe('tag and rating signals', () => {
  it('takes each numbered signal once: a repeated delivery is a repeat, a newer one is new', () => {
    const { entity, state } = conversationWith({ status: 'open' });
    expect(entity.isRepeatedRuleSignal(7)).toBe(false);
    expect(entity.isRepeatedRuleSignal(7)).toBe(true);
    expect(entity.isRepeatedRuleSignal(5)).toBe(true);
    expect(entity.isRepeatedRuleSignal(9)).toBe(false);
    expect(state.lastRuleSignalSeq).toBe(9);
  });

  it('takes every signal without a number, and every signal in runs from before the numbering', () => {
    const { entity } = conversationWith({ status: 'open', lastRuleSignalSeq: 9 });
    expect(entity.isRepeatedRuleSignal(undefined)).toBe(false);
    const older = conversationWith({ status: 'open', lastRuleSignalSeq: 9 }, { patches: ['automation-rules', 'ordered-message-signals'] });
    expect(older.entity.isRepeatedRuleSignal(9)).toBe(false);
  });
});

describe('timers', () => {
  it('closes a resolved conversation once the reopen window has passed', async () => {
    const { entity, state, db, clock } = conversationWith({ status: 'resolved', resolvedAt: start.toISOString() });
    expect(entity.nextWake()).toBe(start.getTime() + 72 * 3_600_000);
    clock.at = new Date(start.getTime() + 72 * 3_600_000);
    await entity.onTime();
    expect(written(db)).toEqual(['conversation.closed']);
    expect(state.status).toBe('closed');
  });

  it('on a breach records it, runs the rules and the escalation ladder, and requeues when a step asks', async () => {
    const escalate = vi.fn(async ({ step }: { step: { action: string } }) =>
      step.action === 'move_to_expert' ? { state: { tier: 'expert' as const }, requeue: true } : { state: {}, requeue: false },
    );
    const running = { metric: 'first_response' as const, targetMinutes: 60, consumedMinutes: 0, runningSince: start.toISOString() };
    const { entity, state, db, notifications, ran, queue, clock } = conversationWith(
      { status: 'open', assigneeId: 'agent-1', clocks: [running], reported: { first_response: 'warning' } },
      { db: { escalate: escalate as unknown as ConversationPorts['db']['escalate'] } },
    );
    clock.at = new Date(start.getTime() + 61 * 60_000);
    await entity.onTime();
    expect(db.saveSla).toHaveBeenCalledWith(expect.objectContaining({ event: expect.objectContaining({ metric: 'first_response', kind: 'breached' }) }));
    expect(ran).toEqual([{ on: 'sla_breach' }]);
    expect(escalate.mock.calls.map(([input]) => input.step.action)).toEqual(['notify', 'move_to_expert']);
    expect(notifications.emailSlaBreach).toHaveBeenCalledWith({ subject: { conversationId: 'c-1' }, metric: 'first_response' });
    expect(state).toMatchObject({ tier: 'expert', status: 'queued', assigneeId: null });
    expect(queue.offerQueuedConversations).toHaveBeenCalledTimes(1);
  });

  it('sends no breach email in runs from before SLA emails', async () => {
    const running = { metric: 'first_response' as const, targetMinutes: 60, consumedMinutes: 0, runningSince: start.toISOString() };
    const { entity, notifications, clock } = conversationWith(
      { status: 'open', clocks: [running] },
      { patches: ['automation-rules', 'ordered-message-signals'] },
    );
    clock.at = new Date(start.getTime() + 61 * 60_000);
    await entity.onTime();
    expect(notifications.emailSlaBreach).not.toHaveBeenCalled();
  });

  it('runs no idle timer while the bot waits for an action’s input, and does in runs from before', async () => {
    const botAction = { actionId: 'action-1', values: {}, awaiting: 'order', misses: 0 };
    const waiting = { status: 'bot' as const, botAnsweredAt: start.toISOString(), botIdleMinutes: 30, botAction };
    const { entity, state, db, clock } = conversationWith(waiting, { patches: ['bot-actions', 'bot-action-no-idle'] });
    expect(entity.nextWake()).toBeNull();
    clock.at = new Date(start.getTime() + 24 * 60 * 60_000);
    await entity.onTime();
    expect(written(db)).toEqual([]);
    expect(state).toMatchObject({ status: 'bot', botAction });

    const before = conversationWith(waiting, { patches: ['bot-actions'] });
    expect(before.entity.nextWake()).toBe(start.getTime() + 30 * 60_000);
  });

  it('assumes the bot’s answer resolved it when the customer stays silent', async () => {
    const { entity, state, db, clock } = conversationWith({ status: 'bot', botAnsweredAt: start.toISOString(), botIdleMinutes: 30 });
    expect(entity.nextWake()).toBe(start.getTime() + 30 * 60_000);
    clock.at = new Date(start.getTime() + 30 * 60_000);
    await entity.onTime();
    expect(written(db)).toEqual(['bot.assumed_resolved']);
    expect(state.status).toBe('resolved');
  });
});

describe('validators', () => {
  it('refuses a transfer without exactly one target, and one of a resolved conversation', () => {
    const { entity } = conversationWith({ status: 'open' });
    expect(failureType(() => entity.validateTransfer({ byUserId: 'u', toAgentId: 'a', toTeamId: 't' }))).toBe('InvalidInput');
    expect(failureType(() => entity.validateTransfer({ byUserId: 'u', toAgentId: 'a' }))).toBeNull();
    const resolved = conversationWith({ status: 'resolved' }).entity;
    expect(failureType(() => resolved.validateTransfer({ byUserId: 'u', toAgentId: 'a' }))).toBe('InvalidTransition');
  });

  it('refuses merging a conversation into itself', () => {
    const { entity } = conversationWith({ status: 'open' });
    expect(failureType(() => entity.validateMerge({ byUserId: 'u', intoConversationId: 'c-1' }))).toBe('MergeRefused');
  });

  it('refuses a snooze that ends in the past, or without a user', () => {
    const { entity } = conversationWith({ status: 'open' });
    expect(failureType(() => entity.validateSnooze({ byUserId: 'u', until: new Date(start.getTime() - 1).toISOString() }))).toBe('InvalidInput');
    expect(failureType(() => entity.validateSnooze({ byUserId: '', until: null }))).toBe('InvalidInput');
    expect(failureType(() => entity.validateSnooze({ byUserId: 'u', until: new Date(start.getTime() + 60_000).toISOString() }))).toBeNull();
  });

  it('names the refused action in the message', () => {
    const { entity } = conversationWith({ status: 'closed' });
    expect(() => entity.require('priority')).toThrow('Cannot change the priority of a conversation that is closed.');
  });
});
