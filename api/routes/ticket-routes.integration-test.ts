// The ticket routes in-process (test/support/in-process-api.ts): creation starts the ticket's
// workflow, the list's filters and visibility, validation, API-key scopes and receipts, and the
// lifecycle updates. What the workflow then does is workflows/'s tests' subject.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, signIn, startCustomerConversation, type CustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string; expert: string };
let chat: CustomerConversation;
let ids: { alex: string; specialists: string };

const ticketIds = (body: { tickets: { id: string }[] }) => body.tickets.map((ticket) => ticket.id);

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'admin', 'agent', 'expert');
  chat = await startCustomerConversation(api, { name: 'Tia Ticket', body: 'My refund has not arrived' });
  ids = {
    alex: (await api.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id,
    specialists: (await api.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } })).id,
  };
});
afterAll(() => api?.stop());

const createTicket = async (token: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
  api.request('POST', '/api/tickets', { token, body: { customerId: chat.visitor.customerId, ...body }, headers });

describe('creating', () => {
  it('stores the ticket and starts its workflow; a retry with the same key answers the same ticket (200)', async () => {
    const first = await createTicket(tokens.agent, { subject: '  Refund missing ', priority: 'high' }, { 'idempotency-key': 'refund-1' });
    expect(first).toMatchObject({ status: 201, body: { ticket: { subject: 'Refund missing', priority: 'high', status: 'new' } } });
    const again = await createTicket(tokens.agent, { subject: 'Refund missing', priority: 'high' }, { 'idempotency-key': 'refund-1' });
    expect(again).toMatchObject({ status: 200, body: { ticket: { id: first.body.ticket.id } } });
    expect(api.temporal.callsOf('start', 'ticketWorkflow').map((call) => call.workflowId)).toContain(`ticket-${first.body.ticket.id}`);
  });

  it('makes a ticket from a conversation, linked to it', async () => {
    const made = await api.request('POST', `/api/conversations/${chat.conversationId}/ticket`, { token: tokens.agent, body: {} });
    expect(made.status).toBe(201);
    const read = await api.request('GET', `/api/tickets/${made.body.ticket.id}`, { token: tokens.agent });
    expect(read).toMatchObject({ status: 200, body: { conversations: [chat.conversationId] } });
  });

  it('refuses an empty subject, an unknown field and a malformed Idempotency-Key', async () => {
    expect(await createTicket(tokens.agent, { subject: '   ' })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input', details: [{ path: 'subject', message: 'A subject cannot be empty' }] } },
    });
    expect(await createTicket(tokens.agent, { subject: 'x', colour: 'red' })).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    expect(await createTicket(tokens.agent, { subject: 'x' }, { 'idempotency-key': 'has space' })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_idempotency_key' } },
    });
  });

  it('answers a key with tickets:write but not tickets:read with a receipt, not the ticket', async () => {
    const writer = await createApiKey(api, tokens.admin, ['tickets:write']);
    const made = await createTicket(writer, { subject: 'From the shop' });
    expect(made.status).toBe(201);
    expect(made.body.ticket).toHaveProperty('id');
    expect(made.body.ticket).not.toHaveProperty('subject');
    expect(await api.request('GET', '/api/tickets', { token: writer })).toMatchObject({ status: 403, body: { error: { code: 'missing_scope' } } });
  });
});

describe('listing', () => {
  it('filters by status and assignee, and hides another team’s ticket from an agent', async () => {
    const mine = await createTicket(tokens.agent, { subject: 'Assigned to Alex' });
    const theirs = await createTicket(tokens.admin, { subject: 'For the specialists' });
    await api.db.ticket.update({ where: { id: mine.body.ticket.id }, data: { assigneeId: ids.alex, status: 'open' } });
    await api.db.ticket.update({ where: { id: theirs.body.ticket.id }, data: { teamId: ids.specialists } });

    const assignedToMe = await api.request('GET', '/api/tickets?assignee=me', { token: tokens.agent });
    expect(ticketIds(assignedToMe.body)).toEqual([mine.body.ticket.id]);
    const open = await api.request('GET', '/api/tickets?status=open', { token: tokens.admin });
    expect(ticketIds(open.body)).toEqual([mine.body.ticket.id]);
    const unassigned = await api.request('GET', '/api/tickets?assignee=unassigned', { token: tokens.admin });
    expect(ticketIds(unassigned.body)).not.toContain(mine.body.ticket.id);

    expect(ticketIds((await api.request('GET', '/api/tickets', { token: tokens.agent })).body)).not.toContain(theirs.body.ticket.id);
    expect(ticketIds((await api.request('GET', '/api/tickets', { token: tokens.expert })).body)).toContain(theirs.body.ticket.id);
    expect(await api.request('GET', `/api/tickets/${theirs.body.ticket.id}`, { token: tokens.agent })).toMatchObject({ status: 404 });
  });

  it('lists newest first', async () => {
    const list = await api.request('GET', '/api/tickets', { token: tokens.admin });
    const created = list.body.tickets.map((ticket: { createdAt: string }) => ticket.createdAt);
    expect(created).toEqual([...created].sort().reverse());
  });

  it('refuses an unknown status and assignee=me for a key', async () => {
    expect(await api.request('GET', '/api/tickets?status=lost', { token: tokens.admin })).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'status' }] } },
    });
    const reader = await createApiKey(api, tokens.admin, ['tickets:read']);
    expect(await api.request('GET', '/api/tickets?assignee=me', { token: reader })).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
  });
});

describe('lifecycle', () => {
  it('sends the status change to the ticket’s workflow with the acting user, after validating it', async () => {
    const ticket = (await createTicket(tokens.agent, { subject: 'Card stuck' })).body.ticket;
    expect(await api.request('POST', `/api/tickets/${ticket.id}/status`, { token: tokens.agent, body: { status: 'lost' } })).toMatchObject({ status: 400 });
    expect(api.temporal.callsOf('update', 'setTicketStatus')).toHaveLength(0);

    const answer = await api.request('POST', `/api/tickets/${ticket.id}/status`, { token: tokens.agent, body: { status: 'pending' } });
    expect(answer.status).toBe(200);
    expect(api.temporal.callsOf('update', 'setTicketStatus')).toEqual([
      { kind: 'update', workflowId: `ticket-${ticket.id}`, name: 'setTicketStatus', args: [{ byUserId: ids.alex, status: 'pending' }] },
    ]);
  });

  it('answers ticket_closed when the workflow has finished', async () => {
    const ticket = (await createTicket(tokens.agent, { subject: 'Old one' })).body.ticket;
    api.temporal.forget(`ticket-${ticket.id}`);
    expect(await api.request('POST', `/api/tickets/${ticket.id}/priority`, { token: tokens.agent, body: { priority: 'low' } })).toMatchObject({
      status: 409,
      body: { error: { code: 'ticket_closed' } },
    });
  });

  it('assigns through the workflow, and refuses an assignee that is not an id', async () => {
    const ticket = (await createTicket(tokens.agent, { subject: 'Needs an owner' })).body.ticket;
    expect(await api.request('POST', `/api/tickets/${ticket.id}/assign`, { token: tokens.agent, body: { assigneeId: 'alex' } })).toMatchObject({ status: 400 });
    expect((await api.request('POST', `/api/tickets/${ticket.id}/assign`, { token: tokens.agent, body: { assigneeId: null } })).status).toBe(200);
    expect(api.temporal.callsOf('update', 'assignTicket').map((call) => call.args)).toEqual([[{ byUserId: ids.alex, assigneeId: null }]]);
  });
});
