// Routing activities against a real database (cloned from the seeded template) with the fake
// Temporal client (test/support/fake-temporal.ts): who is picked, when a seat is taken, and which
// workflows are told to route again. The whole routing story: test/routing (full stack).
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { describeExplanation, explanationOf, type Explanation } from '../domain/explanation.js';
import { createAi } from '../infra/ai/create-ai.js';
import { createDb, type Db } from '../infra/db.js';
import { createFakeTemporal, type FakeTemporal } from '../test/support/fake-temporal.js';
import { cloneTemplateDatabase } from '../test/support/test-database.js';
import type { ActivityDeps } from './activity-deps.js';
import { createConversationActivities, requeueConversationsOf, type ConversationActivities, type PreparedConversation } from './conversation-activities.js';
import { preparationInclude, readForPreparation } from './preparation-read.js';
import { preparationSettings } from './preparation-settings.js';

let db: Db;
let temporal: FakeTemporal;
let activities: ConversationActivities;
let staff: Record<'alex' | 'lina' | 'priya' | 'wang', { id: string }>;

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });
  temporal = createFakeTemporal();
  activities = createConversationActivities({ db, temporal: temporal.client, ai: createAi() } as ActivityDeps);
  const user = (email: string) => db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  staff = {
    alex: await user('agent@seamless.local'),
    lina: await user('lina@seamless.local'),
    priya: await user('expert@seamless.local'),
    wang: await user('wangwei@seamless.local'),
  };
});
afterAll(() => db?.$disconnect());

beforeEach(async () => {
  temporal.reset();
  await db.user.updateMany({ data: { presence: 'offline', capacity: 5 } });
});

async function conversation(fields: { status?: 'queued' | 'open' | 'snoozed' | 'resolved'; assigneeId?: string } = {}) {
  const customer = await db.customer.findFirstOrThrow();
  const channel = await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  return db.conversation.create({
    data: {
      workflowId: `conversation-${randomUUID()}`,
      customerId: customer.id,
      channelId: channel.id,
      status: fields.status ?? 'queued',
      assigneeId: fields.assigneeId,
    },
  });
}

describe('findAssignee', () => {
  it('finds nobody while everyone is offline', async () => {
    expect(await activities.findAssignee({ conversationId: 'unused', tier: 'junior', teamId: null, skill: null })).toEqual({ agentId: null });
  });

  it('prefers an online agent of the tier with the skill, and lets junior work overflow to experts', async () => {
    await db.user.updateMany({ where: { id: { in: [staff.alex.id, staff.lina.id] } }, data: { presence: 'online' } });
    expect(await activities.findAssignee({ conversationId: 'unused', tier: 'junior', teamId: null, skill: 'zh' })).toEqual({ agentId: staff.lina.id });
    await db.user.updateMany({ where: { id: { in: [staff.alex.id, staff.lina.id] } }, data: { presence: 'away' } });
    await db.user.update({ where: { id: staff.priya.id }, data: { presence: 'online' } });
    expect(await activities.findAssignee({ conversationId: 'unused', tier: 'junior', teamId: null, skill: null })).toEqual({ agentId: staff.priya.id });
  });

  it('never sends expert work down to a junior', async () => {
    await db.user.update({ where: { id: staff.alex.id }, data: { presence: 'online' } });
    expect(await activities.findAssignee({ conversationId: 'unused', tier: 'expert', teamId: null, skill: null })).toEqual({ agentId: null });
  });
});

describe('assignConversation', () => {
  it('takes a queued conversation for an online agent with a free seat, opening it with its event', async () => {
    await db.user.update({ where: { id: staff.alex.id }, data: { presence: 'online' } });
    const queued = await conversation();
    expect(await activities.assignConversation({ conversationId: queued.id, agentId: staff.alex.id, checkCapacity: true, actorId: null })).toMatchObject({
      assigned: true,
    });
    expect(await db.conversation.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ assigneeId: staff.alex.id, status: 'open' });
    expect(await db.event.count({ where: { conversationId: queued.id, type: 'conversation.assigned' } })).toBe(1);
  });

  it('refuses when routing finds the agent away or without a seat, and a conversation no longer queued', async () => {
    const queued = await conversation();
    await db.user.update({ where: { id: staff.alex.id }, data: { presence: 'away' } });
    expect(await activities.assignConversation({ conversationId: queued.id, agentId: staff.alex.id, checkCapacity: true, actorId: null })).toEqual({
      assigned: false,
      teamId: null,
    });
    await db.user.update({ where: { id: staff.alex.id }, data: { presence: 'online', capacity: 1 } });
    await conversation({ status: 'open', assigneeId: staff.alex.id });
    expect(await activities.assignConversation({ conversationId: queued.id, agentId: staff.alex.id, checkCapacity: true, actorId: null })).toEqual({
      assigned: false,
      teamId: null,
    });
    const resolved = await conversation({ status: 'resolved' });
    expect(await activities.assignConversation({ conversationId: resolved.id, agentId: staff.wang.id, checkCapacity: true, actorId: null })).toEqual({
      assigned: false,
      teamId: null,
    });
    expect((await db.conversation.findUniqueOrThrow({ where: { id: queued.id } })).assigneeId).toBeNull();
  });

  it('assigns without checking seats when a person transfers it', async () => {
    const queued = await conversation();
    expect(
      await activities.assignConversation({ conversationId: queued.id, agentId: staff.wang.id, checkCapacity: false, actorId: staff.alex.id }),
    ).toMatchObject({ assigned: true });
  });
});

describe('routeConversation', () => {
  it('finds nobody while everyone is offline, and writes nothing', async () => {
    const queued = await conversation();
    expect(await activities.routeConversation({ conversationId: queued.id, tier: 'junior', teamId: null, skill: null })).toEqual({
      agentId: null,
      assigned: false,
      teamId: null,
    });
    expect(await db.conversation.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: 'queued', assigneeId: null });
  });

  it('decides and assigns in one call: the agent routing picks takes the queued conversation, with its event', async () => {
    await db.user.updateMany({ where: { id: { in: [staff.alex.id, staff.lina.id] } }, data: { presence: 'online' } });
    const queued = await conversation();
    const result = await activities.routeConversation({ conversationId: queued.id, tier: 'junior', teamId: null, skill: 'zh' });
    expect(result).toMatchObject({ agentId: staff.lina.id, assigned: true });
    expect(await db.conversation.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ assigneeId: staff.lina.id, status: 'open' });
    expect(await db.event.count({ where: { conversationId: queued.id, type: 'conversation.assigned' } })).toBe(1);
    // Lina's seat again free for the tests below.
    await db.conversation.update({ where: { id: queued.id }, data: { status: 'resolved' } });
  });

  it('answers the assignment it already made when run again (a local activity after its worker died), writing nothing more', async () => {
    await db.user.updateMany({ where: { id: { in: [staff.alex.id, staff.lina.id] } }, data: { presence: 'online' } });
    const queued = await conversation();
    const input = { conversationId: queued.id, tier: 'junior' as const, teamId: null, skill: null };
    const first = await activities.routeConversation(input);
    expect(first).toMatchObject({ assigned: true });
    // Round robin would now pick the other agent: the second run must not.
    expect(await activities.routeConversation(input)).toEqual(first);
    expect(await db.conversation.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ assigneeId: first.agentId, status: 'open' });
    expect(await db.event.count({ where: { conversationId: queued.id, type: 'conversation.assigned' } })).toBe(1);
    await db.conversation.update({ where: { id: queued.id }, data: { status: 'resolved' } });
  });

  it('says who it chose but not assigned when the conversation is no longer queued', async () => {
    await db.user.update({ where: { id: staff.alex.id }, data: { presence: 'online' } });
    const resolved = await conversation({ status: 'resolved' });
    expect(await activities.routeConversation({ conversationId: resolved.id, tier: 'junior', teamId: null, skill: null })).toEqual({
      agentId: staff.alex.id,
      assigned: false,
      teamId: null,
    });
  });
});

describe('prepareConversation', () => {
  it('reports the in-process bot and the triggers enabled conversation rules listen to', async () => {
    const queued = await conversation();
    const rule = (name: string, enabled: boolean, scope: 'conversation' | 'ticket' | 'both', on: string) =>
      db.automationRule.create({ data: { name, enabled, scope, trigger: { on }, conditions: { all: [] }, actions: [] } });
    const rules = await Promise.all([
      rule('prepare-test created', true, 'conversation', 'conversation_created'),
      rule('prepare-test both', true, 'both', 'tag_added'),
      rule('prepare-test off', false, 'conversation', 'message_received'),
      rule('prepare-test ticket', true, 'ticket', 'status_changed'),
    ]);
    try {
      const prepared = await activities.prepareConversation({ conversationId: queued.id });
      expect(prepared.botRunsLocally).toBe(true);
      expect([...prepared.watching!].sort()).toEqual(['conversation_created', 'tag_added']);
    } finally {
      await db.automationRule.deleteMany({ where: { id: { in: rules.map((created) => created.id) } } });
    }
  });
});

describe('startConversation', () => {
  it('prepares, saves the SLA and routes in one step, with the events in the order of three', async () => {
    await db.user.update({ where: { id: staff.alex.id }, data: { presence: 'online' } });
    const queued = await conversation();
    const started = await activities.startConversation({ conversationId: queued.id });
    expect(started.routed).toMatchObject({ agentId: staff.alex.id, assigned: true, sla: { slaState: 'ok' } });
    const stored = await db.conversation.findUniqueOrThrow({ where: { id: queued.id } });
    expect(stored).toMatchObject({ status: 'open', assigneeId: staff.alex.id, slaState: 'ok' });
    expect(stored.firstResponseDueAt?.toISOString()).toBe(started.routed!.sla.dueDates.first_response);
    const events = await db.event.findMany({ where: { conversationId: queued.id }, orderBy: { id: 'asc' }, select: { type: true } });
    expect(events.map((event) => event.type)).toEqual(['conversation.classified', 'conversation.assigned']);
  });

  it('only prepares when a rule on the first message comes before routing', async () => {
    await db.user.update({ where: { id: staff.alex.id }, data: { presence: 'online' } });
    const queued = await conversation();
    const rule = await db.automationRule.create({
      data: { name: 'start-test', enabled: true, scope: 'conversation', trigger: { on: 'message_received' }, conditions: { all: [] }, actions: [] },
    });
    try {
      // Without `answer` (an auto-reply) no rule runs on the first message: routing comes next.
      const quietly = await conversation();
      expect((await activities.startConversation({ conversationId: quietly.id })).routed).toMatchObject({ assigned: true });
      const started = await activities.startConversation({ conversationId: queued.id, answer: true });
      expect(started.routed).toBeUndefined();
      expect(started.watching).toContain('message_received');
      expect(await db.conversation.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: 'queued', assigneeId: null });
    } finally {
      await db.automationRule.delete({ where: { id: rule.id } });
    }
  });
});

describe('readForPreparation', () => {
  it('reads what Prisma’s include reads, in one statement: the conversation, channel, customer, team with hours and the bot’s messages', async () => {
    const customer = await db.customer.findFirstOrThrow();
    const team = await db.team.findFirstOrThrow({ where: { businessHoursId: { not: null } } });
    const queued = await conversation();
    const plain = await conversation(); // no team, no messages
    await db.conversation.update({ where: { id: queued.id }, data: { teamId: team.id, firstResponseDueAt: new Date('2030-01-01T10:00:00.123Z') } });
    // Only the first two public customer or bot messages, oldest first.
    for (const [body, authorKind, isPrivate] of [
      ['a private note', 'agent', true],
      ['first', 'customer', false],
      ['a bot answer', 'bot', false],
      ['third', 'customer', false],
    ] as const)
      await db.message.create({
        data: { conversationId: queued.id, authorKind, private: isPrivate, body, ...(authorKind === 'customer' ? { customerId: customer.id } : {}) },
      });
    // In a zone other than UTC too: the timestamp columns hold UTC whatever the process's zone
    // (Node reads TZ again when it changes).
    const zone = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
    try {
      for (const id of [queued.id, plain.id]) {
        const prisma = await db.conversation.findUniqueOrThrow({ where: { id }, include: preparationInclude });
        expect(await readForPreparation(db, id)).toEqual(prisma);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    expect((await readForPreparation(db, queued.id)).messages.map((message) => message.body)).toEqual(['first', 'a bot answer']);
    await expect(readForPreparation(db, randomUUID())).rejects.toThrow();
  });
});

describe('preparationSettings', () => {
  it('keeps the settings while none changed and reads them again as soon as one did', async () => {
    const settings = preparationSettings(db);
    const first = await settings.current();
    expect(await settings.current()).toBe(first);

    const queued = await conversation();
    const policy = await db.slaPolicy.findFirstOrThrow({ where: { enabled: true, priority: 'normal', teamId: null, channelKind: null } });
    const rule = await db.automationRule.create({
      data: { name: 'settings-test', enabled: true, scope: 'conversation', trigger: { on: 'csat_received' }, conditions: { all: [] }, actions: [] },
    });
    try {
      // Through the activity (its own copy, read before): a rule and a policy target written since are used.
      expect((await activities.prepareConversation({ conversationId: queued.id })).watching).toContain('csat_received');
      await db.slaPolicy.update({ where: { id: policy.id }, data: { firstResponseMinutes: policy.firstResponseMinutes + 7 } });
      expect((await activities.prepareConversation({ conversationId: queued.id })).sla?.firstResponseMinutes).toBe(policy.firstResponseMinutes + 7);
      await db.automationRule.update({ where: { id: rule.id }, data: { enabled: false } });
      expect((await activities.prepareConversation({ conversationId: queued.id })).watching).not.toContain('csat_received');
      expect(await settings.current()).not.toBe(first);
    } finally {
      await db.automationRule.delete({ where: { id: rule.id } });
      await db.slaPolicy.update({ where: { id: policy.id }, data: { firstResponseMinutes: policy.firstResponseMinutes } });
    }
  });
});

describe('prepareConversation with the bot', () => {
  it('makes the in-process bot’s attempt on a queued web chat when asked, recorded as answerWithBot records it', async () => {
    const organization = await db.organization.findUniqueOrThrow({ where: { id: 1 } });
    await db.organization.update({ where: { id: 1 }, data: { settings: { selfService: { enabled: true, threshold: null, idleMinutes: 30 } } } });
    const queued = await conversation();
    const customer = await db.customer.findFirstOrThrow();
    await db.message.create({ data: { conversationId: queued.id, authorKind: 'customer', customerId: customer.id, body: 'How do I reset my password?' } });
    // In an activity's context, as the worker runs it (the bot's event carries the call's operation id).
    const preparing = new MockActivityEnvironment({ activityId: 'prepare-1' }).run(activities.prepareConversation, {
      conversationId: queued.id,
      answer: true,
    }) as Promise<PreparedConversation>;
    const prepared = await preparing.finally(() => db.organization.update({ where: { id: 1 }, data: { settings: organization.settings ?? {} } }));
    expect({ selfService: prepared.selfService, bot: prepared.bot }).toMatchObject({ selfService: true, bot: expect.anything() });
    // Answered or declined, the attempt is in the event log like the activity's own.
    expect(await db.event.count({ where: { conversationId: queued.id, type: { in: ['bot.answered', 'bot.declined'] } } })).toBe(1);
    // …with why (issue 22): the confidence, the threshold it was held to and the best articles by title.
    const decision = await db.event.findFirstOrThrow({ where: { conversationId: queued.id, type: { in: ['bot.answered', 'bot.declined'] } } });
    expect(explanationOf(decision.payload)).toMatchObject({
      kind: 'bot',
      confidence: expect.any(Number),
      threshold: expect.any(Number),
      alternatives: expect.arrayContaining([{ title: expect.any(String), score: expect.any(Number) }]),
    });
    expect(await db.aiCall.count({ where: { conversationId: queued.id, operation: 'answer' } })).toBe(1);
  });

  it('leaves the bot to the workflow unless asked', async () => {
    const queued = await conversation();
    expect((await activities.prepareConversation({ conversationId: queued.id })).bot).toBeUndefined();
  });
});

describe('saveSla', () => {
  const dueDates = { first_response: '2030-01-01T10:00:00.000Z', next_response: null, resolution: '2030-01-02T09:00:00.000Z' };

  it('stores the clocks’ progress without an event', async () => {
    const queued = await conversation();
    await activities.saveSla({ conversationId: queued.id, slaState: 'ok', dueDates });
    expect(await db.conversation.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({
      slaState: 'ok',
      firstResponseDueAt: new Date(dueDates.first_response),
      nextResponseDueAt: null,
      resolutionDueAt: new Date(dueDates.resolution),
    });
    expect(await db.event.count({ where: { conversationId: queued.id } })).toBe(0);
  });

  it('records a warning once, however often the call is retried', async () => {
    const queued = await conversation();
    const event = { metric: 'first_response' as const, kind: 'warning' as const, dueAt: dueDates.first_response };
    const attempt = () =>
      new MockActivityEnvironment({ activityId: 'sla-1' }).run(activities.saveSla, {
        conversationId: queued.id,
        slaState: 'warning' as const,
        dueDates,
        event,
      });
    await attempt();
    await attempt();
    expect(await db.event.count({ where: { conversationId: queued.id, type: 'sla.warning' } })).toBe(1);
    expect((await db.conversation.findUniqueOrThrow({ where: { id: queued.id } })).slaState).toBe('warning');
  });
});

describe('routing again', () => {
  it('offers the queue oldest first, going on past a workflow that has ended', async () => {
    await db.conversation.updateMany({ where: { status: 'queued' }, data: { status: 'resolved' } });
    const [first, second] = [await conversation(), await conversation()];
    await conversation({ status: 'open' });
    temporal.forget(`conversation-${first.id}`);
    expect(await activities.offerQueuedConversations({ reason: 'agent_online' })).toBe(2);
    expect(temporal.callsOf('signal', 'agentsAvailable').map((call) => call.workflowId)).toEqual([`conversation-${first.id}`, `conversation-${second.id}`]);
  });

  it("requeues only the agent's open and snoozed conversations", async () => {
    const [open, snoozed] = [
      await conversation({ status: 'open', assigneeId: staff.lina.id }),
      await conversation({ status: 'snoozed', assigneeId: staff.lina.id }),
    ];
    await conversation({ status: 'resolved', assigneeId: staff.lina.id });
    expect(await requeueConversationsOf({ db, temporal: temporal.client }, staff.lina.id, 'offline')).toBe(2);
    const told = temporal.callsOf('signal', 'requeue');
    expect(told.map((call) => call.workflowId).sort()).toEqual([`conversation-${open.id}`, `conversation-${snoozed.id}`].sort());
    expect(told[0]!.args).toEqual([{ reason: 'offline', fromAgentId: staff.lina.id }]);
  });
});

describe('escalate', () => {
  it('records why each ladder step ran: the clock, its place on the ladder and the times', async () => {
    const policy = await db.slaPolicy.findFirstOrThrow({ where: { name: 'Normal priority' } });
    const dueAt = new Date('2026-12-07T10:05:00Z');
    const breached = await db.conversation.update({ where: { id: (await conversation()).id }, data: { slaPolicyId: policy.id, firstResponseDueAt: dueAt } });
    for (const step of [{ action: 'notify' }, { action: 'raise_priority' }] as const)
      await new MockActivityEnvironment({ activityId: `escalate-${step.action}` }).run(activities.escalate, {
        conversationId: breached.id,
        step,
        metric: 'first_response' as const,
      });
    const events = await db.event.findMany({ where: { conversationId: breached.id, type: 'sla.escalated' }, orderBy: { id: 'asc' } });
    const explanations = events.map((event) => explanationOf(event.payload));
    expect(explanations.map((explanation) => explanation?.kind === 'escalation' && [explanation.step, explanation.steps, explanation.dueAt])).toEqual([
      [1, 2, dueAt.toISOString()],
      [2, 2, dueAt.toISOString()],
    ]);
    const second = { ...explanations[1]!, escalatedAt: '2026-12-07T10:05:30.000Z' } as Explanation;
    expect(describeExplanation(second, String, 'en')).toBe(
      'Escalated because the first response target was missed (due 2026-12-07 10:05 UTC): step 2 of 2 of the "Normal priority" ladder, raise the priority, at 2026-12-07 10:05 UTC.',
    );
  });
});
