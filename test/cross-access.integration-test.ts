// What one caller's request may reach of another's, on the real stack (issue 14, items 13-15):
// an Idempotency-Key is its sender's own (a replay never returns what someone else stored under
// the same key), both sides of a merge must be visible to the agent, and an API key's answers
// carry only what its scopes let it read.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiScope } from '../domain/api-scopes.js';
import { databaseFingerprint } from './support/fingerprint.js';
import type { TestSocket } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';

let system: TestSystem;
let admin: string;
let alex: string; // Frontline
let lina: string; // Frontline too
let expert: string; // Specialists: sees neither Frontline's conversations nor its tickets
let adminSocket: TestSocket;
const ids: Record<string, string> = {};
let frontlineId: string;
let specialistsId: string;

beforeAll(async () => {
  system = await startSystem();
  for (const user of await system.db.user.findMany()) ids[user.email] = user.id;
  frontlineId = (await system.db.team.findUniqueOrThrow({ where: { name: 'Frontline' } })).id;
  specialistsId = (await system.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } })).id;
  // Every conversation here goes to Alex: enough seats for all of them.
  await system.db.user.update({ where: { email: 'agent@seamless.local' }, data: { capacity: 50 } });
  admin = await system.login('admin@seamless.local');
  adminSocket = await system.socket(admin);
  alex = await system.login('agent@seamless.local'); // online: conversations are routed to Alex
  lina = await system.login('lina@seamless.local');
  expert = await system.login('expert@seamless.local');
  // Signed in but away, so nothing is routed to them and Specialists' queue keeps what it gets.
  for (const token of [lina, expert]) expect((await system.request('PUT', '/api/me/presence', { token, body: { presence: 'away' } })).status).toBe(200);
});
afterAll(() => system?.stop());

/** A visitor's conversation (a new visitor unless one is given), routed to Alex: Frontline's. */
async function conversationWithAlex(body: string, visitor?: { token: string; customerId: string }) {
  const customer = visitor ?? (await system.visitor('Dana Whitfield'));
  const started = await system.request('POST', '/api/widget/conversations', { token: customer.token, body: { body } });
  expect(started.status).toBe(201);
  const conversationId = started.body.conversation.id as string;
  const assigned = await adminSocket.waitForEvent((event) => event.type === 'conversation.assigned' && event.conversationId === conversationId);
  expect(assigned.payload.conversation).toMatchObject({ assigneeId: ids['agent@seamless.local'], teamId: frontlineId });
  return { conversationId, visitor: customer };
}

describe('an Idempotency-Key is its sender’s own', () => {
  it("another team's agent sending the same key for the same customer gets a ticket of their own, never the first one", async () => {
    const { conversationId, visitor } = await conversationWithAlex('My card was charged twice');
    const first = await system.request('POST', `/api/conversations/${conversationId}/ticket`, {
      token: alex,
      body: {},
      headers: { 'idempotency-key': 'shared-key' },
    });
    expect(first.status).toBe(201);
    expect((await system.request('GET', `/api/tickets/${first.body.ticket.id}`, { token: expert })).status).toBe(404);

    const theirs = await system.request('POST', '/api/tickets', {
      token: expert,
      body: { subject: 'Specialists follow-up', customerId: visitor.customerId },
      headers: { 'idempotency-key': 'shared-key' },
    });
    expect(theirs.status).toBe(201);
    expect(theirs.body.ticket.id).not.toBe(first.body.ticket.id);
    expect(theirs.body.ticket).toMatchObject({ subject: 'Specialists follow-up', teamId: null });
    expect(JSON.stringify(theirs.body)).not.toContain('charged twice');

    // The sender's own retry still answers the ticket it made.
    const again = await system.request('POST', `/api/conversations/${conversationId}/ticket`, {
      token: alex,
      body: {},
      headers: { 'idempotency-key': 'shared-key' },
    });
    expect(again.status).toBe(200);
    expect(again.body.ticket.id).toBe(first.body.ticket.id);
  });

  it('a replay answers only what its sender may still see: 404 once the ticket moved to another team, and nothing is created', async () => {
    const { visitor } = await conversationWithAlex('Where is my refund?');
    const created = await system.request('POST', '/api/tickets', {
      token: alex,
      body: { subject: 'Refund', customerId: visitor.customerId },
      headers: { 'idempotency-key': 'moved-away' },
    });
    expect(created.status).toBe(201);
    // Once its workflow has run its first steps (SLA policy chosen), so the row holds still.
    await waitUntil(async () => {
      const ticket = await system.db.ticket.findUniqueOrThrow({ where: { id: created.body.ticket.id } });
      return ticket.slaPolicyId && ticket.slaState !== 'none' ? ticket : null;
    });
    await system.db.ticket.update({ where: { id: created.body.ticket.id }, data: { teamId: specialistsId } });

    const before = await databaseFingerprint(system.db);
    const replay = await system.request('POST', '/api/tickets', {
      token: alex,
      body: { subject: 'Refund', customerId: visitor.customerId },
      headers: { 'idempotency-key': 'moved-away' },
    });
    expect(replay.status).toBe(404);
    expect(replay.body.error.code).toBe('not_found');
    expect(await databaseFingerprint(system.db)).toEqual(before);
  });

  it("a visitor reusing the key of an agent's private note stores their own message and never sees the note", async () => {
    const { conversationId, visitor } = await conversationWithAlex('Hello, anyone there?');
    const note = await system.request('POST', `/api/conversations/${conversationId}/messages`, {
      token: alex,
      body: { body: 'Internal: flagged for fraud review', private: true },
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(note.status).toBe(201);

    const own = await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: 'Still waiting' },
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(own.status).toBe(201);
    expect(own.body.message).toMatchObject({ body: 'Still waiting', private: false, authorKind: 'customer' });
    expect(JSON.stringify(own.body)).not.toContain('fraud');

    // Retried by the visitor: the same message, not a second one.
    const retried = await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: 'Still waiting' },
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(retried.status).toBe(200);
    expect(retried.body.message.id).toBe(own.body.message.id);

    // A colleague's reply under the same key is hers, not dropped as Alex's duplicate.
    const linas = await system.request('POST', `/api/conversations/${conversationId}/messages`, {
      token: lina,
      body: { body: 'Lina here, looking now' },
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(linas.status).toBe(201);
    expect(linas.body.message).toMatchObject({ body: 'Lina here, looking now', authorUserId: ids['lina@seamless.local'] });

    const bodies = (await system.db.message.findMany({ where: { conversationId }, orderBy: { createdAt: 'asc' } })).map((message) => message.body);
    expect(bodies).toEqual(['Hello, anyone there?', 'Internal: flagged for fraud review', 'Still waiting', 'Lina here, looking now']);
  });
});

describe('both sides of a merge must be visible', () => {
  it('an agent merging into a conversation they cannot see gets 404, the answer for an unknown one, and nothing changes', async () => {
    const { conversationId: mine, visitor } = await conversationWithAlex('First thread');
    const { conversationId: theirs } = await conversationWithAlex('Second thread', visitor);
    const moved = await system.request('POST', `/api/conversations/${theirs}/transfer`, { token: admin, body: { toTeamId: specialistsId } });
    expect(moved.status).toBe(200);
    await waitUntil(async () => {
      const row = await system.db.conversation.findUniqueOrThrow({ where: { id: theirs } });
      return row.teamId === specialistsId && row.assigneeId !== ids['agent@seamless.local'] ? row : null;
    });
    expect((await system.request('GET', `/api/conversations/${theirs}`, { token: alex })).status).toBe(404);

    const before = await databaseFingerprint(system.db);
    const intoUnseen = await system.request('POST', `/api/conversations/${mine}/merge`, { token: alex, body: { intoConversationId: theirs } });
    const intoUnknown = await system.request('POST', `/api/conversations/${mine}/merge`, { token: alex, body: { intoConversationId: randomUUID() } });
    expect(intoUnseen.status).toBe(404);
    expect(intoUnseen.body).toEqual(intoUnknown.body);
    expect(await databaseFingerprint(system.db)).toEqual(before);

    // An admin sees both: the merge itself still works.
    const merged = await system.request('POST', `/api/conversations/${mine}/merge`, { token: admin, body: { intoConversationId: theirs } });
    expect(merged.status).toBe(200);
    expect(merged.body.conversation.status).toBe('closed');
  });
});

describe("an API key's answers carry only what its scopes let it read", () => {
  const keyWith = async (...scopes: ApiScope[]) => {
    const created = await system.request('POST', '/api/api-keys', { token: admin, body: { name: `Key ${scopes.join(' ')}`, scopes } });
    expect(created.status).toBe(201);
    return created.body.key as string;
  };

  it('tickets:write alone: creating answers a receipt, without the conversation’s words or the customer’s name and email', async () => {
    const key = await keyWith('tickets:write');
    const { conversationId, visitor } = await conversationWithAlex('My card 4111 was stolen in Lisbon');
    const customer = await system.db.customer.findUniqueOrThrow({ where: { id: visitor.customerId } });

    const fromConversation = await system.request('POST', `/api/conversations/${conversationId}/ticket`, { token: key, body: {} });
    expect(fromConversation.status).toBe(201);
    expect(Object.keys(fromConversation.body.ticket).sort()).toEqual(['createdAt', 'id', 'number', 'status']);
    const direct = await system.request('POST', '/api/tickets', {
      token: key,
      body: { subject: 'Stolen card', customerId: visitor.customerId, conversationId },
    });
    expect(direct.status).toBe(201);
    expect(Object.keys(direct.body.ticket).sort()).toEqual(['createdAt', 'id', 'number', 'status']);
    for (const answer of [fromConversation.body, direct.body]) {
      const text = JSON.stringify(answer);
      for (const secret of ['Lisbon', customer.name!, 'Dana', visitor.customerId]) expect(text).not.toContain(secret);
    }
    expect(await system.request('GET', `/api/tickets/${direct.body.ticket.id}`, { token: key })).toMatchObject({
      status: 403,
      body: { error: { code: 'missing_scope' } },
    });
  });

  it('without conversations:read a ticket raised from a conversation copies none of its words, which tickets:read would show', async () => {
    const key = await keyWith('tickets:write', 'tickets:read');
    const { conversationId } = await conversationWithAlex('My PIN is blocked after a trip to Oslo');
    const number = (await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).number;
    const raised = await system.request('POST', `/api/conversations/${conversationId}/ticket`, { token: key, body: {} });
    expect(raised.status).toBe(201);
    // With tickets:read the answer is the full ticket, customer included, as GET /api/tickets/:id shows it.
    expect(raised.body.ticket).toMatchObject({
      subject: `Conversation #${number}`,
      description: '',
      teamId: frontlineId,
      customer: { name: 'Dana Whitfield' },
    });
    expect(JSON.stringify((await system.request('GET', `/api/tickets/${raised.body.ticket.id}`, { token: key })).body)).not.toContain('Oslo');
  });

  it('with conversations:read too, the ticket takes its subject and description from the first customer message, as for people', async () => {
    const key = await keyWith('tickets:write', 'tickets:read', 'conversations:read');
    const { conversationId } = await conversationWithAlex('My PIN is blocked after a trip to Oslo');
    const raised = await system.request('POST', `/api/conversations/${conversationId}/ticket`, { token: key, body: {} });
    expect(raised.status).toBe(201);
    expect(raised.body.ticket).toMatchObject({ subject: 'My PIN is blocked after a trip to Oslo', description: 'My PIN is blocked after a trip to Oslo' });
  });
});
