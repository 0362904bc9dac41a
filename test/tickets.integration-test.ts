// Tickets on the real stack (PostgreSQL, Temporal dev server, API, worker): raising one from a
// conversation, who may see it, lifecycle changes through the ticket workflow, a customer reply
// reopening it, and bad input refused with a clear 4xx that leaves the database unchanged.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyLinkedTickets } from '../api/services/ticket-service.js';
import type { EventView } from '../domain/events.js';
import { databaseFingerprint } from './support/fingerprint.js';
import type { TestSocket } from './support/socket-client.js';
import type { BadInputCase } from './support/bad-input-case.js';
import { startSystem, type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';

let system: TestSystem;
let admin: string;
let alex: string; // Frontline agent (billing, cards)
let expert: string; // Specialists agent: another team
let adminSocket: TestSocket;
const ids: Record<string, string> = {};
let frontlineId: string;

beforeAll(async () => {
  system = await startSystem();
  for (const user of await system.db.user.findMany()) ids[user.email] = user.id;
  frontlineId = (await system.db.team.findUniqueOrThrow({ where: { name: 'Frontline' } })).id;
  // Every conversation here goes to Alex: enough seats for all of them.
  await system.db.user.update({ where: { email: 'agent@seamless.local' }, data: { capacity: 50 } });
  admin = await system.login('admin@seamless.local');
  adminSocket = await system.socket(admin);
  alex = await system.login('agent@seamless.local'); // online: card questions are routed to Alex
});
afterAll(() => system?.stop());

/** A visitor's conversation, routed to Alex (so it belongs to the Frontline team). */
async function conversationWithAlex(body: string) {
  const visitor = await system.visitor();
  const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body } });
  expect(started.status).toBe(201);
  const conversationId = started.body.conversation.id as string;
  const assigned = await adminSocket.waitForEvent((event) => event.type === 'conversation.assigned' && event.conversationId === conversationId);
  expect(assigned.payload.conversation).toMatchObject({ assigneeId: ids['agent@seamless.local'], teamId: frontlineId });
  return { conversationId, visitor };
}

/** The ticket once its workflow has run its first steps (SLA policy chosen and published). */
async function settledTicket(ticketId: string) {
  return waitUntil(async () => {
    const ticket = await system.db.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    return ticket.slaPolicyId && ticket.slaState !== 'none' ? ticket : null;
  });
}

const ticketEvent = (ticketId: string, type: string, match: (event: EventView) => boolean = () => true) =>
  adminSocket.waitForEvent((event) => event.type === type && event.ticketId === ticketId && match(event));

const statusOf = (event: EventView) => (event.payload.ticket as { status: string }).status;

const setStatus = (ticketId: string, status: string, token = alex) => system.request('POST', `/api/tickets/${ticketId}/status`, { token, body: { status } });

describe('creating tickets', () => {
  let conversationId: string;
  let ticketId: string;

  it('raises a ticket from a conversation: linked, same customer and team, subject from the first customer message', async () => {
    const created = await conversationWithAlex('I was charged twice for my card payment yesterday');
    conversationId = created.conversationId;
    const response = await system.request('POST', `/api/conversations/${conversationId}/ticket`, {
      token: alex,
      body: {},
      headers: { 'idempotency-key': 'ticket-1' },
    });
    expect(response.status).toBe(201);
    ticketId = response.body.ticket.id;
    expect(response.body.ticket).toMatchObject({
      subject: 'I was charged twice for my card payment yesterday',
      status: 'new',
      priority: 'normal',
      customerId: created.visitor.customerId,
      teamId: frontlineId,
      assigneeId: null,
    });
    expect(await system.db.ticketConversation.findMany({ where: { ticketId } })).toMatchObject([{ conversationId }]);

    const createdEvent = await ticketEvent(ticketId, 'ticket.created');
    expect(createdEvent).toMatchObject({ actorKind: 'agent', actorId: ids['agent@seamless.local'], customerId: created.visitor.customerId });

    // The workflow runs: it chose the normal-priority policy and published a resolution due date.
    const settled = await settledTicket(ticketId);
    expect(settled.slaState).toBe('ok');
    expect(settled.resolutionDueAt).not.toBeNull();
    const policy = await system.db.slaPolicy.findUniqueOrThrow({ where: { id: settled.slaPolicyId! } });
    expect(policy.priority).toBe('normal');
    const workflow = await system.temporal.workflow.getHandle(settled.workflowId).describe();
    expect(workflow.status.name).toBe('RUNNING');
  });

  it('returns the same ticket for a repeated Idempotency-Key', async () => {
    const again = await system.request('POST', `/api/conversations/${conversationId}/ticket`, {
      token: alex,
      body: {},
      headers: { 'idempotency-key': 'ticket-1' },
    });
    expect(again.status).toBe(200);
    expect(again.body.ticket.id).toBe(ticketId);
    expect(await system.db.ticket.count({ where: { idempotencyKey: { endsWith: ':ticket-1' } } })).toBe(1);
  });

  it('creates a ticket directly for a customer, linking a conversation of theirs', async () => {
    const other = await conversationWithAlex('My card does not work abroad');
    const response = await system.request('POST', '/api/tickets', {
      token: admin,
      body: {
        subject: 'Card blocked abroad',
        description: 'Customer travels next week.',
        customerId: other.visitor.customerId,
        priority: 'high',
        conversationId: other.conversationId,
      },
    });
    expect(response.status).toBe(201);
    expect(response.body.ticket).toMatchObject({ subject: 'Card blocked abroad', description: 'Customer travels next week.', priority: 'high', status: 'new' });
    const detail = await system.request('GET', `/api/tickets/${response.body.ticket.id}`, { token: admin });
    expect(detail.body.conversations).toEqual([other.conversationId]);
  });

  it('shows tickets to admins, to their team and assignee, not to another team; a visitor token is refused', async () => {
    expect((await system.request('GET', `/api/tickets/${ticketId}`, { token: alex })).body.conversations).toEqual([conversationId]);
    const listedFor = async (token: string, query = '') =>
      ((await system.request('GET', `/api/tickets${query}`, { token })).body.tickets as { id: string }[]).map((ticket) => ticket.id);
    expect(await listedFor(admin)).toContain(ticketId);
    expect(await listedFor(alex)).toContain(ticketId);
    expect(await listedFor(alex, '?assignee=unassigned')).toContain(ticketId);
    expect(await listedFor(alex, '?assignee=me')).not.toContain(ticketId);
    expect(await listedFor(alex, '?status=solved')).not.toContain(ticketId);

    expert = await system.login('expert@seamless.local'); // Specialists: not the ticket's team
    expect(await listedFor(expert)).not.toContain(ticketId);
    expect((await system.request('GET', `/api/tickets/${ticketId}`, { token: expert })).status).toBe(404);
    expect((await setStatus(ticketId, 'open', expert)).status).toBe(404);

    const visitor = await system.visitor();
    for (const [method, path] of [
      ['GET', '/api/tickets'],
      ['GET', `/api/tickets/${ticketId}`],
      ['POST', `/api/tickets/${ticketId}/status`],
    ] as const) {
      const refused = await system.request(method, path, { token: visitor.token, body: method === 'POST' ? { status: 'open' } : undefined });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    }
  });

  it('moves the ticket through its statuses, assignee and priority by way of the workflow', async () => {
    const opened = await setStatus(ticketId, 'open');
    expect(opened.status).toBe(200);
    expect(opened.body.ticket.status).toBe('open');
    const pending = await setStatus(ticketId, 'pending');
    expect(pending.body.ticket.status).toBe('pending');
    const changed = await ticketEvent(ticketId, 'ticket.status_changed', (event) => statusOf(event) === 'pending');
    expect(changed).toMatchObject({ actorId: ids['agent@seamless.local'], payload: { from: 'open', to: 'pending' } });
    // The resolution clock is paused while pending (written by the workflow after the update).
    const paused = await waitUntil(async () => {
      const stored = await system.db.ticket.findUniqueOrThrow({ where: { id: ticketId } });
      return stored.slaState === 'paused' ? stored : null;
    });
    expect(paused.resolutionDueAt).toBeNull();

    const assigned = await system.request('POST', `/api/tickets/${ticketId}/assign`, { token: alex, body: { assigneeId: ids['agent@seamless.local'] } });
    expect(assigned.status).toBe(200);
    expect(assigned.body.ticket).toMatchObject({ assigneeId: ids['agent@seamless.local'], assigneeName: 'Alex Agent', teamId: frontlineId });

    const priority = await system.request('POST', `/api/tickets/${ticketId}/priority`, { token: alex, body: { priority: 'high' } });
    expect(priority.body.ticket.priority).toBe('high');
    const withPolicy = await system.db.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { slaPolicy: true } });
    expect(withPolicy.slaPolicy?.priority).toBe('high');

    const solved = await setStatus(ticketId, 'solved');
    expect(solved.body.ticket.status).toBe('solved');
    expect(solved.body.ticket.solvedAt).not.toBeNull();
    const refused = await setStatus(ticketId, 'pending');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('invalid_transition');

    const state = await system.temporal.workflow.getHandle(`ticket-${ticketId}`).query<{ status: string; assigneeId: string }>('ticketState');
    expect(state).toMatchObject({ status: 'solved', assigneeId: ids['agent@seamless.local'] });
  });
});

describe('customer replies', () => {
  it('reopens a pending ticket linked to the conversation when notifyLinkedTickets signals it', async () => {
    const { conversationId, visitor } = await conversationWithAlex('My card was declined at the shop');
    const created = await system.request('POST', '/api/tickets', {
      token: alex,
      body: { subject: 'Declined card', customerId: visitor.customerId, conversationId },
    });
    const ticketId = created.body.ticket.id as string;
    await settledTicket(ticketId);
    expect((await setStatus(ticketId, 'pending')).body.ticket.status).toBe('pending');

    const signalled = await notifyLinkedTickets({ db: system.db, temporal: system.temporal, log: () => {} }, conversationId);
    expect(signalled).toBe(1);
    const reopened = await ticketEvent(ticketId, 'ticket.status_changed', (event) => statusOf(event) === 'open');
    expect(reopened).toMatchObject({ actorKind: 'system', payload: { from: 'pending', to: 'open', reason: 'customer replied' } });
    // An open ticket is not signalled again.
    expect(await notifyLinkedTickets({ db: system.db, temporal: system.temporal, log: () => {} }, conversationId)).toBe(0);
  });

  // Needs postMessage (api/services/conversation-service.ts) to call notifyLinkedTickets for a
  // customer's message.
  it('reopens a solved ticket when the customer writes in the linked conversation', async () => {
    const { conversationId, visitor } = await conversationWithAlex('I was charged a fee for my card twice');
    const created = await system.request('POST', `/api/conversations/${conversationId}/ticket`, { token: alex, body: { subject: 'Double card fee' } });
    const ticketId = created.body.ticket.id as string;
    await settledTicket(ticketId);
    expect((await setStatus(ticketId, 'solved')).body.ticket.status).toBe('solved');

    const reply = await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: 'It happened again today' },
    });
    expect(reply.status).toBe(201);
    const reopened = await ticketEvent(ticketId, 'ticket.status_changed', (event) => statusOf(event) === 'open');
    expect(reopened.payload).toMatchObject({ from: 'solved', to: 'open', reason: 'customer replied' });
    const stored = await system.db.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(stored).toMatchObject({ status: 'open', solvedAt: null });
  });
});

describe('bad input', () => {
  let ticketId: string;
  let customerId: string;
  let conversationId: string;
  let strangersConversationId: string;

  beforeAll(async () => {
    const own = await conversationWithAlex('Refund for my card order please');
    conversationId = own.conversationId;
    customerId = own.visitor.customerId;
    strangersConversationId = (await conversationWithAlex('Another card question')).conversationId;
    const created = await system.request('POST', '/api/tickets', { token: alex, body: { subject: 'Refund', customerId } });
    ticketId = created.body.ticket.id;
    await settledTicket(ticketId);
  });

  const unknownId = randomUUID();
  type Case = BadInputCase;
  const post =
    (body: unknown, token = () => alex) =>
    () => ({ token: token(), body });
  const cases: Case[] = [
    {
      name: 'a ticket with an unknown field',
      method: 'POST',
      path: () => '/api/tickets',
      options: () => post({ subject: 'x', customerId, urgent: true })(),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'a ticket without a subject',
      method: 'POST',
      path: () => '/api/tickets',
      options: () => post({ customerId })(),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'a ticket with a blank subject',
      method: 'POST',
      path: () => '/api/tickets',
      options: () => post({ subject: '   ', customerId })(),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'a ticket with a 301-character subject',
      method: 'POST',
      path: () => '/api/tickets',
      options: () => post({ subject: 's'.repeat(301), customerId })(),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'a ticket with an oversize description',
      method: 'POST',
      path: () => '/api/tickets',
      options: () => post({ subject: 'x', customerId, description: 'd'.repeat(20_001) })(),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'a ticket with a malformed customer id',
      method: 'POST',
      path: () => '/api/tickets',
      options: () => post({ subject: 'x', customerId: 'customer-1' })(),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'a ticket with an unknown priority',
      method: 'POST',
      path: () => '/api/tickets',
      options: () => post({ subject: 'x', customerId, priority: 'critical' })(),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'a ticket for an unknown customer',
      method: 'POST',
      path: () => '/api/tickets',
      options: () => post({ subject: 'x', customerId: unknownId })(),
      status: 404,
      code: 'not_found',
    },
    {
      name: 'a ticket linking an unknown conversation',
      method: 'POST',
      path: () => '/api/tickets',
      options: () => post({ subject: 'x', customerId, conversationId: unknownId })(),
      status: 404,
      code: 'not_found',
    },
    {
      name: "a ticket linking another customer's conversation",
      method: 'POST',
      path: () => '/api/tickets',
      options: () => post({ subject: 'x', customerId, conversationId: strangersConversationId })(),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'a ticket with a bad Idempotency-Key',
      method: 'POST',
      path: () => '/api/tickets',
      options: () => ({ token: alex, body: { subject: 'x', customerId }, headers: { 'idempotency-key': 'has spaces' } }),
      status: 400,
      code: 'invalid_idempotency_key',
    },
    {
      name: 'a ticket with malformed JSON',
      method: 'POST',
      path: () => '/api/tickets',
      options: () => ({ token: alex, rawBody: '{"subject": ' }),
      status: 400,
      code: 'invalid_json',
    },
    {
      name: 'a ticket without a token',
      method: 'POST',
      path: () => '/api/tickets',
      options: () => ({ body: { subject: 'x', customerId } }),
      status: 401,
      code: 'unauthorized',
    },
    {
      name: 'a ticket from an unknown conversation',
      method: 'POST',
      path: () => `/api/conversations/${unknownId}/ticket`,
      options: () => post({})(),
      status: 404,
      code: 'not_found',
    },
    {
      name: 'a ticket from a conversation with a customerId field',
      method: 'POST',
      path: () => `/api/conversations/${conversationId}/ticket`,
      options: () => post({ customerId })(),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'the ticket list with an unknown status',
      method: 'GET',
      path: () => '/api/tickets?status=lost',
      options: () => ({ token: alex }),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'the ticket list with an unknown filter',
      method: 'GET',
      path: () => '/api/tickets?mine=1',
      options: () => ({ token: alex }),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'a ticket with a malformed id',
      method: 'GET',
      path: () => '/api/tickets/not-a-uuid',
      options: () => ({ token: alex }),
      status: 400,
      code: 'invalid_input',
    },
    { name: 'an unknown ticket', method: 'GET', path: () => `/api/tickets/${unknownId}`, options: () => ({ token: alex }), status: 404, code: 'not_found' },
    {
      name: 'a status change of an unknown ticket',
      method: 'POST',
      path: () => `/api/tickets/${unknownId}/status`,
      options: () => post({ status: 'open' })(),
      status: 404,
      code: 'not_found',
    },
    {
      name: 'an unknown status',
      method: 'POST',
      path: () => `/api/tickets/${ticketId}/status`,
      options: () => post({ status: 'lost' })(),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'a status change with an extra field',
      method: 'POST',
      path: () => `/api/tickets/${ticketId}/status`,
      options: () => post({ status: 'open', note: 'x' })(),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'closing a ticket by hand',
      method: 'POST',
      path: () => `/api/tickets/${ticketId}/status`,
      options: () => post({ status: 'closed' })(),
      status: 409,
      code: 'invalid_transition',
    },
    {
      name: 'a new ticket set to new',
      method: 'POST',
      path: () => `/api/tickets/${ticketId}/status`,
      options: () => post({ status: 'new' })(),
      status: 409,
      code: 'invalid_transition',
    },
    {
      name: 'an assignment without assigneeId',
      method: 'POST',
      path: () => `/api/tickets/${ticketId}/assign`,
      options: () => post({})(),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'an assignment to a malformed id',
      method: 'POST',
      path: () => `/api/tickets/${ticketId}/assign`,
      options: () => post({ assigneeId: 'alex' })(),
      status: 400,
      code: 'invalid_input',
    },
    {
      name: 'an assignment to an unknown user',
      method: 'POST',
      path: () => `/api/tickets/${ticketId}/assign`,
      options: () => post({ assigneeId: unknownId })(),
      status: 409,
      code: 'assign_refused',
    },
    {
      name: 'an unknown priority',
      method: 'POST',
      path: () => `/api/tickets/${ticketId}/priority`,
      options: () => post({ priority: 'critical' })(),
      status: 400,
      code: 'invalid_input',
    },
  ];

  it('refuses each with a clear JSON 4xx and leaves the database unchanged', async () => {
    const before = await settledFingerprint();
    for (const testCase of cases) {
      const response = await system.request(testCase.method, testCase.path(), testCase.options());
      expect({ name: testCase.name, status: response.status, code: response.body?.error?.code }).toEqual({
        name: testCase.name,
        status: testCase.status,
        code: testCase.code,
      });
      expect(typeof response.body.error.message, testCase.name).toBe('string');
    }
    // The workflow handles a refused assignment after accepting the update: give it time to write, if it wrongly would.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await databaseFingerprint(system.db)).toEqual(before);
  });
});

/** A fingerprint taken once background writes (routing, workflows' first steps) have stopped. */
async function settledFingerprint() {
  let previous = await databaseFingerprint(system.db);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const current = await databaseFingerprint(system.db);
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    previous = current;
  }
}
