// Routing and lifecycle on the real stack (PostgreSQL, Temporal dev server, API, worker): tiers
// and skills, seats freed by a resolve going to the queue at once, an offline agent's work moving
// on after the grace period, and the lifecycle actions agents use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAttributeNames } from '../domain/search-attributes.js';
import { startSystem, type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';
import type { TestSocket } from './support/socket-client.js';

let system: TestSystem;
let admin: string;
let adminSocket: TestSocket;
const ids: Record<string, string> = {};

beforeAll(async () => {
  system = await startSystem();
  for (const user of await system.db.user.findMany()) ids[user.email] = user.id;
  // One seat each, and a short offline grace, so the tests can fill seats and watch them free up.
  await system.db.user.updateMany({ data: { capacity: 1 } });
  await system.db.organization.update({ where: { id: 1 }, data: { settings: { offlineGraceMinutes: 0.05, reopenWindowHours: 72 } } });
  admin = await system.login('admin@seamless.local'); // admins are not agents: they never get routed work
  adminSocket = await system.socket(admin);
});
afterAll(() => system?.stop());

async function customerWrites(body: string) {
  const visitor = await system.visitor();
  const response = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body } });
  expect(response.status).toBe(201);
  return { conversationId: response.body.conversation.id as string, visitor };
}

const assignedTo = async (conversationId: string, afterEventId = '0') => {
  const event = await adminSocket.waitForEvent(
    (candidate) => candidate.type === 'conversation.assigned' && candidate.conversationId === conversationId && BigInt(candidate.id) > BigInt(afterEventId),
    // Generous: the offline case waits out a grace timer, and CI runs other files alongside.
    45_000,
  );
  return (event.payload.conversation as { assigneeId: string }).assigneeId;
};

const lastEventId = () => adminSocket.events().at(-1)?.id ?? '0';

const setPresence = async (token: string, presence: string) =>
  expect((await system.request('PUT', '/api/me/presence', { token, body: { presence } })).status).toBe(200);

describe('routing', () => {
  it('sends a technical question to an expert and a card question to the junior agent with that skill', async () => {
    const junior = await system.login('agent@seamless.local'); // skills: billing, cards
    await system.login('lina@seamless.local'); // billing, transfers
    const expert = await system.login('expert@seamless.local');

    const technical = await customerWrites('The app shows an error and crashes when I log in');
    expect(await assignedTo(technical.conversationId)).toBe(ids['expert@seamless.local']);
    const cards = await customerWrites('My card was declined at the shop');
    expect(await assignedTo(cards.conversationId)).toBe(ids['agent@seamless.local']);
    const stored = await system.db.conversation.findUniqueOrThrow({ where: { id: technical.conversationId } });
    expect(stored.tier).toBe('expert');

    for (const { conversationId } of [technical, cards]) {
      expect((await system.request('POST', `/api/conversations/${conversationId}/resolve`, { token: admin })).status).toBe(200);
    }
    await setPresence(junior, 'offline');
    await setPresence(expert, 'offline');
  });

  it('queues when every seat is taken and assigns the moment a resolve frees one', async () => {
    const lina = await system.login('lina@seamless.local');
    await setPresence(lina, 'online');
    const first = await customerWrites('I need help with a transfer');
    expect(await assignedTo(first.conversationId)).toBe(ids['lina@seamless.local']);

    const second = await customerWrites('Where is my transfer?');
    await adminSocket.waitForEvent((event) => event.type === 'conversation.classified' && event.conversationId === second.conversationId);
    const before = lastEventId();
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: second.conversationId } })).status).toBe('queued');

    const resolved = await system.request('POST', `/api/conversations/${first.conversationId}/resolve`, { token: lina });
    expect(resolved.status).toBe(200);
    expect(await assignedTo(second.conversationId, before)).toBe(ids['lina@seamless.local']);
  });

  it("re-routes an offline agent's conversations to a colleague after the grace period", async () => {
    const lina = await system.login('lina@seamless.local');
    const held = await system.db.conversation.findFirstOrThrow({ where: { assigneeId: ids['lina@seamless.local'], status: 'open' } });
    const alex = await system.login('agent@seamless.local');
    await setPresence(alex, 'online');
    const before = lastEventId();
    await setPresence(lina, 'offline');
    expect(await assignedTo(held.id, before)).toBe(ids['agent@seamless.local']);
    const requeued = adminSocket.events().find((event) => event.type === 'conversation.requeued' && event.conversationId === held.id);
    expect(requeued?.payload.previousAssigneeId).toBe(ids['lina@seamless.local']);
  });
});

describe('lifecycle actions', () => {
  it('transfers to a team, changes priority, snoozes, and merges two conversations of one customer', async () => {
    const alex = await system.login('agent@seamless.local');
    const conversation = await system.db.conversation.findFirstOrThrow({ where: { assigneeId: ids['agent@seamless.local'], status: 'open' } });
    const id = conversation.id;

    const priority = await system.request('POST', `/api/conversations/${id}/priority`, { token: alex, body: { priority: 'urgent' } });
    expect(priority.status).toBe(200);
    expect(priority.body.conversation.priority).toBe('urgent');
    const policy = await system.db.conversation.findUniqueOrThrow({ where: { id }, include: { slaPolicy: true } });
    expect(policy.slaPolicy?.priority).toBe('urgent');

    const snoozed = await system.request('POST', `/api/conversations/${id}/snooze`, { token: alex, body: { until: null } });
    expect(snoozed.body.conversation.status).toBe('snoozed');
    expect((await system.request('POST', `/api/conversations/${id}/snooze`, { token: alex, body: {} })).status).toBe(409);

    const specialists = await system.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
    const transferred = await system.request('POST', `/api/conversations/${id}/transfer`, { token: alex, body: { toTeamId: specialists.id } });
    expect(transferred.status).toBe(200);
    expect(transferred.body.conversation).toMatchObject({ teamId: specialists.id, tier: 'expert', status: 'queued', assigneeId: null });

    // Two conversations of one customer: merging moves the messages and closes the source.
    const visitor = await system.visitor();
    const a = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'first thread' } });
    const b = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'second thread' } });
    const merged = await system.request('POST', `/api/conversations/${b.body.conversation.id}/merge`, {
      token: admin,
      body: { intoConversationId: a.body.conversation.id },
    });
    expect(merged.status).toBe(200);
    expect(merged.body.conversation.status).toBe('closed');
    const messages = await system.request('GET', `/api/conversations/${a.body.conversation.id}/messages`, { token: admin });
    expect(messages.body.messages.map((message: { body: string }) => message.body)).toEqual(['first thread', 'second thread']);

    const stranger = await system.visitor();
    const other = await system.request('POST', '/api/widget/conversations', { token: stranger.token, body: { body: 'not yours' } });
    const refused = await system.request('POST', `/api/conversations/${other.body.conversation.id}/merge`, {
      token: admin,
      body: { intoConversationId: a.body.conversation.id },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('merge_refused');
  });

  it('reopens a resolved conversation when the customer writes again', async () => {
    const alex = await system.login('agent@seamless.local');
    await setPresence(alex, 'online');
    await system.db.user.update({ where: { id: ids['agent@seamless.local'] }, data: { capacity: 10 } });
    const { conversationId, visitor } = await customerWrites('Please close my account');
    await assignedTo(conversationId);
    expect((await system.request('POST', `/api/conversations/${conversationId}/resolve`, { token: alex })).status).toBe(200);
    const before = lastEventId();
    const again = await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: 'One more thing' },
    });
    expect(again.status).toBe(201);
    const reopened = await adminSocket.waitForEvent(
      (event) => event.type === 'conversation.reopened' && event.conversationId === conversationId && BigInt(event.id) > BigInt(before),
    );
    expect(reopened.payload.conversation).toMatchObject({ status: 'open', assigneeId: ids['agent@seamless.local'] });
  });

  it('publishes search attributes operators can filter on', async () => {
    const conversation = await system.db.conversation.findFirstOrThrow({ where: { status: 'open' } });
    const query = `${searchAttributeNames.assigneeId}='${conversation.assigneeId}' AND ${searchAttributeNames.status}='open'`;
    // Visibility is eventually consistent: wait for the row to appear, with a deadline.
    const listed = await waitUntil(async () => {
      const found: string[] = [];
      for await (const workflow of system.temporal.workflow.list({ query })) found.push(workflow.workflowId);
      return found.includes(conversation.workflowId) ? found : null;
    });
    expect(listed).toContain(conversation.workflowId);
  });
});

describe('capacity', () => {
  it("assigns a queued conversation the moment an admin raises an agent's capacity", async () => {
    // A fresh expert with one seat and no team: the only agent who may take expert work now.
    const template = await system.db.user.findUniqueOrThrow({ where: { email: 'expert@seamless.local' } });
    const expert = await system.db.user.create({
      data: { email: 'seats@seamless.local', name: 'Sam Seats', passwordHash: template.passwordHash, role: 'agent', tier: 'expert', capacity: 1 },
    });
    await system.db.user.updateMany({ where: { tier: 'expert', id: { not: expert.id } }, data: { presence: 'offline' } });
    await system.login('seats@seamless.local');

    const first = await customerWrites('The API returns an error 500 when I log in');
    expect(await assignedTo(first.conversationId)).toBe(expert.id);
    const second = await customerWrites('The app crashes with an error on start');
    await adminSocket.waitForEvent((event) => event.type === 'conversation.classified' && event.conversationId === second.conversationId);
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: second.conversationId } })).status).toBe('queued');

    const before = lastEventId();
    const raised = await system.request('PATCH', `/api/users/${expert.id}`, { token: admin, body: { capacity: 2 } });
    expect(raised.status).toBe(200);
    expect(raised.body.user.capacity).toBe(2);
    expect(await assignedTo(second.conversationId, before)).toBe(expert.id);

    const agentToken = await system.login('agent@seamless.local');
    expect((await system.request('PATCH', `/api/users/${expert.id}`, { token: agentToken, body: { capacity: 3 } })).status).toBe(403);
    expect((await system.request('PATCH', `/api/users/${expert.id}`, { token: admin, body: { capacity: 0 } })).status).toBe(400);
    expect((await system.request('PATCH', `/api/users/${expert.id}`, { token: admin, body: {} })).status).toBe(400);
  });
});

describe('what the console reads', () => {
  it('lists the teams, and the conversation view carries its SLA state and due dates', async () => {
    const teams = await system.request('GET', '/api/teams', { token: admin });
    expect(teams.status).toBe(200);
    expect(teams.body.teams.map((team: { name: string; tier: string }) => `${team.name}/${team.tier}`)).toEqual(['Frontline/junior', 'Specialists/expert']);

    const { conversationId } = await customerWrites('My card was declined at the till');
    const view = await waitUntil(async () => {
      const response = await system.request('GET', `/api/conversations/${conversationId}`, { token: admin });
      return response.body.conversation.firstResponseDueAt ? response.body.conversation : null;
    });
    expect(view.slaState).toMatch(/^(ok|warning|breached)$/);
    expect(Date.parse(view.firstResponseDueAt)).toBeGreaterThan(Date.parse(view.createdAt));
    expect(view).toMatchObject({ snoozedUntil: null, tags: [] });
  });
});

describe('taking a queued conversation (issue 21)', () => {
  it('gives a queued conversation to the agent who replies or resolves it, and lets an agent assign one to themselves', async () => {
    const alex = await system.login('agent@seamless.local');
    const lina = await system.login('lina@seamless.local');
    // Nobody takes routed work now: the new conversations stay in the queue.
    await system.db.user.updateMany({ data: { presence: 'away' } });
    const queued = async (body: string) => {
      const { conversationId } = await customerWrites(body);
      await adminSocket.waitForEvent((event) => event.type === 'conversation.classified' && event.conversationId === conversationId);
      expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('queued');
      return conversationId;
    };

    // (a) Replying takes it, whatever the agent's seats and presence (as in Chatwoot).
    const charged = await queued('I was charged twice for one payment');
    let before = lastEventId();
    const reply = await system.request('POST', `/api/conversations/${charged}/messages`, { token: alex, body: { body: 'Let me look at both charges.' } });
    expect(reply.status).toBe(201);
    expect(await assignedTo(charged, before)).toBe(ids['agent@seamless.local']);
    const taken = adminSocket
      .events()
      .find((event) => event.type === 'conversation.assigned' && event.conversationId === charged && BigInt(event.id) > BigInt(before));
    expect(taken?.actorId).toBe(ids['agent@seamless.local']);
    expect(await system.db.conversation.findUniqueOrThrow({ where: { id: charged } })).toMatchObject({
      status: 'open',
      assigneeId: ids['agent@seamless.local'],
    });

    // (d) Resolving one nobody owns assigns it to the resolver first (Zendesk assigns the solver).
    const unowned = await queued('Where do I find my IBAN?');
    before = lastEventId();
    const resolving = await system.request('POST', `/api/conversations/${unowned}/resolve`, { token: alex });
    expect(resolving).toMatchObject({ status: 200, body: { conversation: { status: 'resolved', assigneeId: ids['agent@seamless.local'] } } });
    const resolved = await adminSocket.waitForEvent(
      (event) => event.type === 'conversation.resolved' && event.conversationId === unowned && BigInt(event.id) > BigInt(before),
    );
    expect(resolved.actorId).toBe(ids['agent@seamless.local']);
    const assignedFirst = adminSocket
      .events()
      .find((event) => event.type === 'conversation.assigned' && event.conversationId === unowned && BigInt(event.id) > BigInt(before));
    expect(assignedFirst?.actorId).toBe(ids['agent@seamless.local']);
    expect(BigInt(assignedFirst!.id)).toBeLessThan(BigInt(resolved.id));

    // (b) "Assign to me": the transfer to oneself.
    const wire = await queued('My wire transfer has not arrived');
    before = lastEventId();
    const mine = await system.request('POST', `/api/conversations/${wire}/transfer`, { token: lina, body: { toAgentId: ids['lina@seamless.local'] } });
    expect(mine).toMatchObject({ status: 200, body: { conversation: { status: 'open', assigneeId: ids['lina@seamless.local'] } } });
    expect(await assignedTo(wire, before)).toBe(ids['lina@seamless.local']);
  });
});
