// Deactivating an agent on the real stack (PostgreSQL, Temporal, API, worker, /ws): while the agent
// has an open socket and a conversation assigned, the socket is closed at once (the session's
// revocation is NOTIFYed to the realtime server), the conversation is routed to a colleague
// (through the outbox and the conversation's workflow, no grace period), sign-in is refused with
// a clear code, an API key the agent created is refused; reactivated, the agent signs in again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../infra/auth/api-keys.js';
import { sessionEndedCloseCode } from '../realtime/realtime-server.js';
import { demoPassword } from '../prisma/demo-data.js';
import type { TestSocket } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let admin: string;
let adminSocket: TestSocket;
const ids: Record<string, string> = {};

beforeAll(async () => {
  system = await startSystem();
  for (const user of await system.db.user.findMany()) ids[user.email] = user.id;
  admin = await system.login('admin@seamless.local');
  adminSocket = await system.socket(admin);
});
afterAll(() => system?.stop());

const assignedAfter = async (conversationId: string, afterEventId: string) => {
  const event = await adminSocket.waitForEvent(
    (candidate) => candidate.type === 'conversation.assigned' && candidate.conversationId === conversationId && BigInt(candidate.id) > BigInt(afterEventId),
    30_000,
  );
  return (event.payload.conversation as { assigneeId: string }).assigneeId;
};

describe('deactivating an agent', () => {
  it('closes their socket, routes their conversation to a colleague, refuses their sign-in and API key; reactivated, they sign in again', async () => {
    const alexId = ids['agent@seamless.local']!;
    const linaId = ids['lina@seamless.local']!;
    // Alex (Frontline, cards) is online and takes the card question; Lina, the same team, is away.
    const alex = await system.login('agent@seamless.local');
    const lina = await system.login('lina@seamless.local');
    expect((await system.request('PUT', '/api/me/presence', { token: lina, body: { presence: 'away' } })).status).toBe(200);
    const alexSocket = await system.socket(alex);
    const visitor = await system.visitor();
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'My card was declined at the shop' } });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    expect(await assignedAfter(conversationId, '0')).toBe(alexId);
    const { key, keyHash, prefix } = generateApiKey();
    await system.db.apiKey.create({ data: { name: 'Alex’s export', keyHash, prefix, scopes: ['conversations:read'], createdById: alexId } });
    expect((await system.request('GET', `/api/conversations/${conversationId}`, { token: key })).status).toBe(200);

    // Lina comes back, then the admin deactivates Alex.
    expect((await system.request('PUT', '/api/me/presence', { token: lina, body: { presence: 'online' } })).status).toBe(200);
    const before = adminSocket.events().at(-1)?.id ?? '0';
    const deactivated = await system.request('POST', `/api/team-members/${alexId}/deactivate`, { token: admin });
    expect(deactivated).toMatchObject({ status: 200, body: { member: { status: 'deactivated' } } });

    const closed = await Promise.race([
      alexSocket.closed,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("Alex's socket was not closed within 10 s")), 10_000)),
    ]);
    expect(closed).toEqual({ code: sessionEndedCloseCode, reason: 'session revoked' });
    expect(await assignedAfter(conversationId, before)).toBe(linaId);
    const requeued = adminSocket.events().find((event) => event.type === 'conversation.requeued' && event.conversationId === conversationId);
    expect(requeued?.payload).toMatchObject({ previousAssigneeId: alexId });

    expect(await system.request('POST', '/api/auth/login', { body: { email: 'agent@seamless.local', password: demoPassword } })).toMatchObject({
      status: 403,
      body: { error: { code: 'account_deactivated' } },
    });
    expect((await system.request('GET', '/api/auth/me', { token: alex })).status).toBe(401);
    expect((await system.request('GET', `/api/conversations/${conversationId}`, { token: key })).status).toBe(401);
    // Nobody can hand it back to Alex while he is deactivated.
    expect(await system.request('POST', `/api/conversations/${conversationId}/transfer`, { token: admin, body: { toAgentId: alexId } })).toMatchObject({
      status: 409,
      body: { error: { code: 'transfer_refused' } },
    });
    // Nor a ticket.
    const ticket = await system.request('POST', '/api/tickets', { token: admin, body: { subject: 'Card replacement', customerId: visitor.customerId } });
    expect(ticket.status).toBe(201);
    expect(await system.request('POST', `/api/tickets/${ticket.body.ticket.id}/assign`, { token: admin, body: { assigneeId: alexId } })).toMatchObject({
      status: 409,
      body: { error: { code: 'assign_refused' } },
    });
    // The history stays attributed: the row and its name stay.
    expect(await system.db.user.findUniqueOrThrow({ where: { id: alexId } })).toMatchObject({ name: 'Alex Agent', presence: 'offline' });

    expect((await system.request('POST', `/api/team-members/${alexId}/reactivate`, { token: admin })).status).toBe(200);
    expect((await system.request('POST', '/api/auth/login', { body: { email: 'agent@seamless.local', password: demoPassword } })).status).toBe(200);
    expect((await system.request('GET', `/api/conversations/${conversationId}`, { token: key })).status).toBe(200);
  });
});
