// The automation rule actions that reach outside the conversation, end to end on the real stack:
// a rule applies an SLA policy, emails an address (a real SMTP server in the test), raises a
// ticket (its own workflow starts), calls a signed webhook (a real HTTP receiver that checks the
// signature) and closes the conversation; a ticket rule acts on a new ticket. Each action's
// outcome is in the execution record.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventIdHeader, signatureHeader, verifyWebhook } from '../infra/webhooks/signed-webhook.js';
import { startSmtpInbox, type SmtpInbox } from './support/smtp-inbox.js';
import { startSystem, type TestSystem } from './support/system.js';
import { createMailer } from '../infra/email/mailer.js';
import { waitUntil } from './support/wait-until.js';

let system: TestSystem;
let inbox: SmtpInbox;
let admin: string;
let receiver: Server;
let receiverUrl: string;
const deliveries: { body: string; signature: string | undefined; eventId: string | undefined }[] = [];

beforeAll(async () => {
  inbox = await startSmtpInbox();
  system = await startSystem({ mailer: createMailer({ SMTP_URL: inbox.url, MAIL_FROM: 'Seamless <rules@seamless.local>' }) });
  admin = await system.login('admin@seamless.local');
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      deliveries.push({ body, signature: request.headers[signatureHeader.toLowerCase()] as string | undefined, eventId: request.headers[eventIdHeader.toLowerCase()] as string | undefined });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/seamless`;
});
afterAll(async () => {
  await system?.stop();
  await inbox?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

const secret = 'whsec_test_0123456789abcdef';

const outcomesOf = (ruleId: string) =>
  waitUntil(async () => {
    const row = await system.db.ruleExecution.findFirst({ where: { ruleId, matched: true } });
    return row && (row.actions as { status: string }[]).every((action) => action.status !== 'pending') ? row : null;
  });

describe('rule actions that reach outside the conversation', () => {
  it('applies a policy, emails, raises a ticket, calls a signed webhook and closes the conversation', async () => {
    const policy = await system.db.slaPolicy.findUniqueOrThrow({ where: { name: 'Urgent priority' } });
    const created = await system.request('POST', '/api/rules', {
      token: admin,
      body: {
        name: 'Account closure requests',
        enabled: true,
        scope: 'conversation',
        trigger: { on: 'message_received', from: 'customer' },
        conditions: { any: [{ field: 'message.text', op: 'contains', value: 'close my account' }, { field: 'message.text', op: 'contains', value: '注销账户' }] },
        actions: [
          { type: 'apply_sla_policy', policyId: policy.id },
          { type: 'send_email', to: 'address', address: 'retention@example.com', subject: 'Closure request / 注销请求', body: 'A customer asked to close their account.' },
          { type: 'create_ticket', subject: 'Account closure' },
          { type: 'call_webhook', url: 'https://hooks.example.com/placeholder', secret },
          { type: 'set_status', status: 'close' },
        ],
      },
    });
    expect(created.status).toBe(201);
    const ruleId = created.body.rule.id as string;
    // The API accepts https:// receivers only; the test's receiver is plain http on loopback, so
    // the stored action is pointed at it directly (the executor does not re-check the scheme).
    const stored = await system.db.automationRule.findUniqueOrThrow({ where: { id: ruleId } });
    const actions = (stored.actions as { type: string; url?: string }[]).map((action) => (action.type === 'call_webhook' ? { ...action, url: receiverUrl } : action));
    await system.db.automationRule.update({ where: { id: ruleId }, data: { actions } });

    const visitor = await system.visitor();
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: '你好，我想注销账户 (please close my account)' } });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;

    const execution = await outcomesOf(ruleId);
    expect(execution.actions).toEqual([
      { type: 'apply_sla_policy', status: 'done' },
      { type: 'send_email', status: 'done' },
      { type: 'create_ticket', status: 'done' },
      { type: 'call_webhook', status: 'done' },
      { type: 'set_status', status: 'done' },
    ]);
    const conversation = await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(conversation).toMatchObject({ status: 'closed', slaPolicyId: policy.id });

    const mail = inbox.received.find((message) => message.subject === 'Closure request / 注销请求');
    expect(mail?.text?.trim()).toBe('A customer asked to close their account.');

    const link = await system.db.ticketConversation.findFirstOrThrow({ where: { conversationId }, include: { ticket: true } });
    expect(link.ticket.subject).toBe('Account closure');
    const ticketCreated = await system.db.event.findFirstOrThrow({ where: { ticketId: link.ticketId, type: 'ticket.created' } });
    expect(ticketCreated.payload).toMatchObject({ rule: { id: ruleId, version: 1 } });
    // Its workflow runs: the ticket can be worked on.
    const agentToken = await system.login('admin@seamless.local');
    expect((await system.request('POST', `/api/tickets/${link.ticketId}/status`, { token: agentToken, body: { status: 'open' } })).status).toBe(200);

    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    expect(verifyWebhook(delivery!.signature, delivery!.body, secret)).toMatchObject({ ok: true });
    expect(verifyWebhook(delivery!.signature, delivery!.body, 'another-secret-entirely')).toMatchObject({ ok: false });
    const payload = JSON.parse(delivery!.body);
    expect(payload).toMatchObject({ id: delivery!.eventId, type: 'rule.webhook', rule: { id: ruleId }, conversation: { id: conversationId } });
  });

  it('runs ticket rules: a new ticket is tagged and raised in priority', async () => {
    const created = await system.request('POST', '/api/rules', {
      token: admin,
      body: {
        name: 'New tickets from VIPs',
        enabled: true,
        scope: 'ticket',
        trigger: { on: 'ticket_created' },
        conditions: { all: [{ field: 'customer.vip', op: 'eq', value: true }] },
        actions: [{ type: 'add_tag', tag: 'vip' }, { type: 'set_priority', priority: 'high' }, { type: 'send_reply', text: 'Not for tickets' }],
      },
    });
    expect(created.status).toBe(201);
    const ruleId = created.body.rule.id as string;
    const visitor = await system.visitor();
    await system.db.customer.update({ where: { id: visitor.customerId }, data: { vip: true } });
    const ticket = await system.request('POST', '/api/tickets', { token: admin, body: { subject: 'Card never arrived', customerId: visitor.customerId } });
    expect(ticket.status).toBe(201);
    const ticketId = ticket.body.ticket.id as string;

    const execution = await outcomesOf(ruleId);
    expect(execution).toMatchObject({ ticketId, trigger: 'ticket_created', conversationId: null });
    expect(execution.actions).toEqual([
      { type: 'add_tag', status: 'done' },
      { type: 'set_priority', status: 'done' },
      { type: 'send_reply', status: 'skipped', note: 'a ticket has no chat: send_email writes to its customer' },
    ]);
    expect(await system.db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ tags: ['vip'], priority: 'high' });
    // The workflow mirrored the change: its SLA plan is the high-priority one.
    const state = await waitUntil(async () => {
      const row = await system.db.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { slaPolicy: true } });
      return row.slaPolicy?.priority === 'high' ? row : null;
    });
    expect(state.slaPolicy?.name).toBe('High priority');
  });

  it("runs rules on a customer's rating (csat_received)", async () => {
    const created = await system.request('POST', '/api/rules', {
      token: admin,
      body: { name: 'Rated', enabled: true, scope: 'conversation', trigger: { on: 'csat_received' }, conditions: { all: [] }, actions: [{ type: 'add_tag', tag: 'rated' }] },
    });
    expect(created.status).toBe(201);
    const visitor = await system.visitor();
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Where is my parcel?' } });
    const conversationId = started.body.conversation.id as string;
    expect((await system.request('POST', `/api/conversations/${conversationId}/resolve`, { token: admin, body: {} })).status).toBe(200);
    expect((await system.request('POST', `/api/widget/conversations/${conversationId}/csat`, { token: visitor.token, body: { score: 2 } })).status).toBe(201);
    const execution = await outcomesOf(created.body.rule.id);
    expect(execution).toMatchObject({ conversationId, trigger: 'csat_received', actions: [{ type: 'add_tag', status: 'done' }] });
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).tags).toContain('rated');
  });

  it('lets agents tag a conversation, and a tag runs the rules on tag_added', async () => {
    const created = await system.request('POST', '/api/rules', {
      token: admin,
      body: { name: 'Escalate legal', enabled: true, scope: 'conversation', trigger: { on: 'tag_added', tag: 'legal' }, conditions: { all: [] }, actions: [{ type: 'set_priority', priority: 'urgent' }] },
    });
    const visitor = await system.visitor();
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'I will talk to my lawyer about this' } });
    const conversationId = started.body.conversation.id as string;
    const tagged = await system.request('POST', `/api/conversations/${conversationId}/tags`, { token: admin, body: { add: ['legal', '投诉'] } });
    expect(tagged.status).toBe(200);
    expect(tagged.body.conversation.tags).toEqual(['legal', '投诉']);
    const execution = await outcomesOf(created.body.rule.id);
    expect(execution).toMatchObject({ conversationId, trigger: 'tag_added', actions: [{ type: 'set_priority', status: 'done' }] });
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).priority).toBe('urgent');

    const untagged = await system.request('POST', `/api/conversations/${conversationId}/tags`, { token: admin, body: { remove: ['投诉'] } });
    expect(untagged.body.conversation.tags).toEqual(['legal']);
    expect(await system.db.event.count({ where: { conversationId, type: { in: ['conversation.tag_added', 'conversation.tag_removed'] } } })).toBe(3);
    expect((await system.request('POST', `/api/conversations/${conversationId}/tags`, { token: admin, body: {} })).status).toBe(400);
  });
});
