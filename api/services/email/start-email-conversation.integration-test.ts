// Agent-initiated email (issue 17) on the real stack (PostgreSQL, Temporal, worker) with a real SMTP
// server started here: POST /api/conversations writes to an address that never wrote — the
// customer is created (or found), the conversation is the agent's and waits on the customer, the
// first mail leaves with the subject as given (no "Re:"), and the customer's answer threads back
// into it and puts it back on the agent. Bad input is a 400 naming the field with nothing stored;
// another kind of channel 409; visitors and API keys 403.
import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationView, MessageView } from '../../../contract/views.js';
import { conversationWorkflowId } from '../../../domain/workflow-ids.js';
import { channelAddress, emailSecret, replyDomain, startEmailSystem } from '../../../test/support/email-system.js';
import { startSmtpInbox, type SmtpInbox } from '../../../test/support/smtp-inbox.js';
import { type TestSystem } from '../../../test/support/system.js';
import { waitUntil } from '../../../test/support/wait-until.js';
import { stateQuery } from '../../../workflows/conversation.messages.js';
import { ingestInboundEmail } from './ingest-email.js';

const { secret, tokens } = emailSecret();

let system: TestSystem;
let inbox: SmtpInbox;
let channelId: string;
let agent: string;
let agentId: string;

beforeAll(async () => {
  inbox = await startSmtpInbox();
  ({ system, channelId } = await startEmailSystem({ secret, smtpUrl: inbox.url, settings: { fromName: 'Shop Support' } }));
  const user = await system.db.user.findFirstOrThrow({ where: { role: 'agent' }, orderBy: { email: 'asc' } });
  agentId = user.id;
  agent = await system.login(user.email);
});

afterAll(async () => {
  await system?.stop();
  await inbox?.close();
});

type Started = { conversation: ConversationView; message: MessageView };
const start = (body: unknown, token = agent, headers?: Record<string, string>) =>
  system.request<Started & { error?: { code: string; details?: { path: string }[] } }>('POST', '/api/conversations', { token, body, headers });

const addresses = (field: ParsedMail['to']) =>
  field ? (Array.isArray(field) ? field : [field]).flatMap((entry) => entry.value.map((one) => one.address)) : [];

const mail = (headers: Record<string, string>, body: string) =>
  Buffer.from(
    Object.entries({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', Date: 'Sun, 6 Dec 2026 10:00:00 +0000', ...headers })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n') + `\r\n\r\n${body}\r\n`,
  );

describe('an agent writes first by email', () => {
  let started: Started;
  let sent: ParsedMail;
  const address = `new-${randomUUID().slice(0, 8)}@example.com`;

  it('creates the customer and a conversation assigned to the agent, waiting on the customer, with the first message the agent’s', async () => {
    expect(await system.db.customer.findFirst({ where: { email: address } })).toBeNull();
    const before = inbox.received.length;
    const response = await start(
      {
        channelId,
        customerEmail: ` ${address.toUpperCase()} `,
        customerName: 'Dana 王',
        subject: '  Your refund  ',
        body: 'Hello **Dana**, your refund is on its way.',
      },
      agent,
      { 'Idempotency-Key': 'first-mail-1' },
    );
    expect(response.status).toBe(201);
    started = response.body;
    const customer = await system.db.customer.findFirstOrThrow({ where: { email: address } });
    expect(customer.name).toBe('Dana 王');
    expect(started.conversation).toMatchObject({ status: 'open', assigneeId: agentId, waitingOn: 'customer', subject: 'Your refund' });
    expect(started.message).toMatchObject({ authorKind: 'agent', authorUserId: agentId, body: 'Hello **Dana**, your refund is on its way.', private: false });
    expect(started.message.delivery?.status).toMatch(/^(queued|sent)$/);

    sent = (await inbox.waitForCount(before + 1))[before]!;
    expect(addresses(sent.to)).toEqual([address]);
    expect(sent.from?.value).toEqual([{ name: 'Shop Support', address: channelAddress }]);
    expect(sent.subject).toBe('Your refund');
    expect(sent.inReplyTo).toBeUndefined();
    expect(sent.replyTo?.value.map((one) => one.address)).toEqual([tokens.replyAddress(started.conversation.id)]);
    expect(String(sent.html)).toContain('<strong>Dana</strong>');
    await waitUntil(async () => ((await system.db.outboundEmail.findUnique({ where: { messageId: started.message.id } }))?.status === 'sent' ? true : null));

    // The workflow runs it as the agent's: it heard the first response (the message's signal),
    // never routed it elsewhere, no bot; the row is still theirs.
    const handle = system.temporal.workflow.getHandle(conversationWorkflowId(started.conversation.id));
    const state = await waitUntil(async () => {
      const current = await handle.query(stateQuery).catch(() => null);
      return current?.waitingOn === 'customer' ? current : null;
    });
    expect(state).toMatchObject({ status: 'open', assigneeId: agentId, waitingOn: 'customer' });
    const row = await system.db.conversation.findUniqueOrThrow({ where: { id: started.conversation.id } });
    expect(row).toMatchObject({ status: 'open', assigneeId: agentId, waitingOn: 'customer' });
    expect(row.firstResponseAt).toBeInstanceOf(Date);
    const messages = await system.db.message.findMany({ where: { conversationId: started.conversation.id } });
    expect(messages.map((message) => message.authorKind)).toEqual(['agent']);
  });

  it('answers a retried request with the same conversation, sending nothing twice', async () => {
    const again = await start({ channelId, customerEmail: address, subject: 'Your refund', body: 'Hello **Dana**, your refund is on its way.' }, agent, {
      'Idempotency-Key': 'first-mail-1',
    });
    expect(again.status).toBe(200);
    expect(again.body.conversation.id).toBe(started.conversation.id);
    expect(await system.db.conversation.count({ where: { customer: { email: address } } })).toBe(1);
    expect(await system.db.outboundEmail.count({ where: { message: { conversationId: started.conversation.id } } })).toBe(1);
  });

  it('threads the customer’s answer back into it (by In-Reply-To to the channel’s address) and puts it back on the agent', async () => {
    const result = await ingestInboundEmail(
      { db: system.db, temporal: system.temporal, taskQueue: system.taskQueue, secret, log: () => {} },
      mail(
        {
          From: `Dana <${address}>`,
          To: channelAddress,
          Subject: 'Re: Your refund',
          'Message-ID': `<${randomUUID()}@example.com>`,
          'In-Reply-To': sent.messageId!,
        },
        'Thank you!',
      ),
      channelId,
      { replyDomain },
    );
    expect(result).toMatchObject({ outcome: 'processed', conversationId: started.conversation.id });
    const row = await waitUntil(async () => {
      const found = await system.db.conversation.findUniqueOrThrow({ where: { id: started.conversation.id } });
      return found.waitingOn === 'agent' ? found : null;
    });
    expect(row).toMatchObject({ status: 'open', assigneeId: agentId });
    const state = await waitUntil(async () => {
      const current = await system.temporal.workflow.getHandle(conversationWorkflowId(started.conversation.id)).query(stateQuery);
      return current.waitingOn === 'agent' ? current : null;
    });
    expect(state).toMatchObject({ status: 'open', assigneeId: agentId });
  });

  it('finds a customer by address instead of creating another', async () => {
    const existing = await system.db.customer.create({ data: { email: `known-${randomUUID().slice(0, 8)}@example.com`, name: 'Known' } });
    const response = await start({ channelId, customerEmail: existing.email!, customerName: 'Ignored', subject: 'Hello', body: 'Checking in.' });
    expect(response.status).toBe(201);
    expect(response.body.conversation.customer.id).toBe(existing.id);
    expect((await system.db.customer.findUniqueOrThrow({ where: { id: existing.id } })).name).toBe('Known');
  });
});

describe('refusals', () => {
  it('answers 400 naming the field for bad input, 409 for a chat channel, and stores nothing', async () => {
    const conversations = await system.db.conversation.count();
    const customers = await system.db.customer.count();
    const bad = await start({ channelId, customerEmail: 'not an address', subject: 'x', body: 'y' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.details?.map((detail) => detail.path)).toContain('customerEmail');
    const empty = await start({ channelId, customerEmail: 'a@example.com', subject: ' ', body: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error?.details?.map((detail) => detail.path)).toEqual(expect.arrayContaining(['subject', 'body']));
    const unknown = await start({ channelId: randomUUID(), customerEmail: 'a@example.com', subject: 'x', body: 'y' });
    expect(unknown.status).toBe(400);
    const chat = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
    const wrongKind = await start({ channelId: chat.id, customerEmail: 'a@example.com', subject: 'x', body: 'y' });
    expect(wrongKind.status).toBe(409);
    expect(wrongKind.body.error?.code).toBe('not_email_channel');
    expect(await system.db.conversation.count()).toBe(conversations);
    expect(await system.db.customer.count()).toBe(customers);
  });

  it('is for signed-in agents and admins only', async () => {
    const body = { channelId, customerEmail: 'a@example.com', subject: 'x', body: 'y' };
    expect((await system.request('POST', '/api/conversations', { body })).status).toBe(401);
    const visitor = await system.request<{ token: string }>('POST', '/api/widget/visitors', { body: { name: 'V' } });
    expect((await start(body, visitor.body.token)).status).toBe(403);
  });
});

describe('the first reply on a ticket without a conversation (issue 21)', () => {
  it('emails the requester from the email channel in a conversation linked to the ticket; a second is 409, nothing sent', async () => {
    const address = `ticket-${randomUUID().slice(0, 8)}@example.com`;
    const customer = await system.db.customer.create({ data: { name: 'Tia Ticket', email: address } });
    const created = await system.request('POST', '/api/tickets', { token: agent, body: { subject: 'Card replacement', customerId: customer.id } });
    expect(created.status).toBe(201);
    const ticketId = created.body.ticket.id as string;

    const before = inbox.received.length;
    const reply = await system.request<Started>('POST', `/api/tickets/${ticketId}/first-reply`, {
      token: agent,
      body: { body: 'Your new card is on its way.' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.conversation).toMatchObject({ subject: 'Card replacement', customerId: customer.id, channelKind: 'email', assigneeId: agentId });
    expect(reply.body.message).toMatchObject({ authorKind: 'agent', private: false, body: 'Your new card is on its way.' });
    // Mail of the tests above may still arrive: this one is found by its address.
    const sent = await waitUntil(async () => (await inbox.waitForCount(before + 1)).find((one) => addresses(one.to).includes(address)) ?? null);
    expect(sent.subject).toBe('Card replacement');
    expect(sent.text).toContain('Your new card is on its way.');
    const detail = await system.request('GET', `/api/tickets/${ticketId}`, { token: agent });
    expect(detail.body.conversations).toEqual([reply.body.conversation.id]);

    const again = await system.request('POST', `/api/tickets/${ticketId}/first-reply`, { token: agent, body: { body: 'Twice?' } });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'ticket_has_conversation' } } });
    expect(await system.db.message.count({ where: { body: 'Twice?' } })).toBe(0);
  });

  it('starts one conversation when two agents reply first at once: the other gets 409 ticket_has_conversation, nothing of theirs stored', async () => {
    const address = `race-${randomUUID().slice(0, 8)}@example.com`;
    const customer = await system.db.customer.create({ data: { name: 'Rae Race', email: address } });
    const created = await system.request('POST', '/api/tickets', { token: agent, body: { subject: 'Two at once', customerId: customer.id } });
    const path = `/api/tickets/${created.body.ticket.id as string}/first-reply`;
    const admin = await system.login('admin@seamless.local');
    const answers = await Promise.all([
      system.request('POST', path, { token: agent, body: { body: 'First reply from the agent.' } }),
      system.request('POST', path, { token: admin, body: { body: 'First reply from the admin.' } }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect(answers.find((answer) => answer.status === 409)?.body.error.code).toBe('ticket_has_conversation');
    expect(await system.db.ticketConversation.count({ where: { ticketId: created.body.ticket.id as string } })).toBe(1);
    expect(await system.db.conversation.count({ where: { customerId: customer.id } })).toBe(1);
    expect(await system.db.message.count({ where: { body: { startsWith: 'First reply from the' } } })).toBe(1);
  });

  it('refuses a requester without an email address (409), and an API key (403), storing nothing', async () => {
    const customer = await system.db.customer.create({ data: { name: 'No Mail' } });
    const created = await system.request('POST', '/api/tickets', { token: agent, body: { subject: 'Call me back', customerId: customer.id } });
    const path = `/api/tickets/${created.body.ticket.id as string}/first-reply`;
    expect(await system.request('POST', path, { token: agent, body: { body: 'Hello' } })).toMatchObject({
      status: 409,
      body: { error: { code: 'no_requester_email' } },
    });
    const admin = await system.login('admin@seamless.local');
    const key = (
      await system.request('POST', '/api/api-keys', { token: admin, body: { name: 'first reply', scopes: ['tickets:write', 'conversations:write'] } })
    ).body.key as string;
    expect((await system.request('POST', path, { token: key, body: { body: 'Hello' } })).status).toBe(403);
    expect(await system.db.ticketConversation.count({ where: { ticketId: created.body.ticket.id as string } })).toBe(0);
  });
});
