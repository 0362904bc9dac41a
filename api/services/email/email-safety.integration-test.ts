// Email safety in the inbound pipeline over real PostgreSQL (the workflow side — no bot, rule or
// CSAT for such mail — is test/email-safety.integration-test.ts on the real stack): an auto-reply
// and a sender past the hourly limit are stored and shown but their workflow start or signal says
// `autoAnswer: false`; a bounce marks the failed address and is noted on the conversation of the
// message that bounced; the mark goes when the customer writes in again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAutoReplyLimit } from '../../../infra/email/inbound/auto-reply-limit.js';
import { createOutgoingMessageId } from '../../../infra/email/threading.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/in-process-api.js';
import { dsnBounce, outOfOffice } from '../../../test/support/mail-samples.js';

const replyDomain = 'support.example.com';
const channelAddress = 'support@support.example.com';

let api: InProcessApi;
let channelId: string;
let webhookSecret: string;

beforeAll(async () => {
  api = await startInProcessApi({ inboundEmail: { replyDomain } });
  channelId = (await api.db.channel.findFirstOrThrow({ where: { kind: 'email' } })).id;
  await api.db.channel.update({ where: { id: channelId }, data: { enabled: true, settings: { address: channelAddress } } });
  const admin = await api.login('admin@seamless.local');
  webhookSecret = (await api.request('POST', `/api/channels/${channelId}/inbound-email-secret`, { token: admin })).body.secret;
});
afterAll(() => api?.stop());

const post = async (raw: Buffer | string) => {
  const response = await fetch(`${api.url}/api/inbound/email/${channelId}`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': webhookSecret },
    body: typeof raw === 'string' ? Buffer.from(raw) : raw,
  });
  expect(response.status).toBe(202);
  return (await response.json()) as { outcome: string; inboundEmailId: string; conversationId: string };
};

const mail = (headers: Record<string, string>, body: string) =>
  Object.entries({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', To: channelAddress, ...headers })
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n') + `\r\n\r\n${body}\r\n`;

/** The input the conversation's workflow was started with (the relay may deliver after the answer). */
const startOf = async (conversationId: string) => {
  const call = await api.temporal.waitForCall((made) => made.kind === 'start' && made.workflowId === `conversation-${conversationId}`);
  return call.args[0] as { conversationId: string; autoAnswer?: boolean };
};

describe('automated mail', () => {
  it('starts the workflow of an auto-reply with autoAnswer false, and a normal mail without it', async () => {
    const oof = await post(outOfOffice.toString('utf8').replace('reply+TOKEN@support.example.com', channelAddress));
    expect(await startOf(oof.conversationId)).toEqual({ conversationId: oof.conversationId, autoAnswer: false });
    expect(await api.db.inboundEmail.findUniqueOrThrow({ where: { id: oof.inboundEmailId } })).toMatchObject({ automated: true, autoAnswer: false });
    const [message] = await api.db.message.findMany({ where: { conversationId: oof.conversationId } });
    // The flag is stored with the message itself (the message.created event carries it too).
    expect(message!.metadata).toMatchObject({ email: { automated: true, from: 'carol@corp.example.net' } });

    const normal = await post(mail({ From: 'dave@example.com', Subject: 'My card', 'Message-ID': '<dave-1@example.com>' }, 'My card was charged twice'));
    expect(await startOf(normal.conversationId)).toEqual({ conversationId: normal.conversationId });
    expect(await api.db.inboundEmail.findUniqueOrThrow({ where: { id: normal.inboundEmailId } })).toMatchObject({ automated: false, autoAnswer: true });
  });

  it('answers at most 5 mails an hour from one sender automatically: 50 unmarked auto-replies in a row, the rest are stored with autoAnswer false', async () => {
    const results = [];
    for (let n = 1; n <= 50; n += 1) {
      // An autoresponder that marks nothing: only the per-sender limit stops the loop.
      results.push(
        await post(
          mail({ From: 'Robot <ROBOT@loop.example>', Subject: `Thanks for your mail (${n})`, 'Message-ID': `<loop-${n}@loop.example>` }, 'We got it.'),
        ),
      );
    }
    expect(results.every((result) => result.outcome === 'processed')).toBe(true);
    const rows = await api.db.inboundEmail.findMany({ where: { fromAddress: 'robot@loop.example' }, orderBy: { receivedAt: 'asc' } });
    expect(rows).toHaveLength(50);
    expect(rows.map((row) => row.autoAnswer)).toEqual([...Array(5).fill(true), ...Array(45).fill(false)]);
    const starts = await Promise.all(results.map((result) => startOf(result.conversationId)));
    expect(starts.filter((input) => input.autoAnswer !== false)).toHaveLength(defaultAutoReplyLimit.max);
    // Every one of them is still stored and shown to agents.
    expect(await api.db.message.count({ where: { conversationId: { in: results.map((result) => result.conversationId) } } })).toBe(50);
    const withheld = await api.db.message.findFirstOrThrow({ where: { conversationId: results[49]!.conversationId } });
    expect(withheld.metadata).toMatchObject({ email: { automated: false, autoAnswerWithheld: 'sender_limit' } });
  });

  it('decides mails of one sender arriving together one at a time: never more than the limit', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, n) => post(mail({ From: 'burst@loop.example', Subject: `Burst ${n}`, 'Message-ID': `<burst-${n}@loop.example>` }, 'x'))),
    );
    expect(new Set(results.map((result) => result.outcome))).toEqual(new Set(['processed']));
    expect(await api.db.inboundEmail.count({ where: { fromAddress: 'burst@loop.example', autoAnswer: true } })).toBe(5);
  });
});

describe('the per-sender limit as the organisation sets it', () => {
  it('answers one sender automatically at most emailAutoAnswersPerHour times an hour (admins set it with the bot settings), and refuses a bad value', async () => {
    const admin = await api.login('admin@seamless.local');
    expect((await api.request('GET', '/api/settings/self-service', { token: admin })).body.selfService).toMatchObject({ emailAutoAnswersPerHour: 5 });
    for (const value of [-1, 1.5, 1001, 'many']) {
      expect(await api.request('PATCH', '/api/settings/self-service', { token: admin, body: { emailAutoAnswersPerHour: value } })).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_input', details: [expect.objectContaining({ path: 'emailAutoAnswersPerHour' })] } },
      });
    }
    expect(await api.request('PATCH', '/api/settings/self-service', { token: admin, body: { emailAutoAnswersPerHour: 2 } })).toMatchObject({
      status: 200,
      body: { selfService: { emailAutoAnswersPerHour: 2 } },
    });
    try {
      const decided = [];
      for (let n = 1; n <= 3; n += 1) {
        const { inboundEmailId } = await post(mail({ From: 'frank@example.com', Subject: `Question ${n}`, 'Message-ID': `<frank-${n}@example.com>` }, 'Hello'));
        decided.push((await api.db.inboundEmail.findUniqueOrThrow({ where: { id: inboundEmailId } })).autoAnswer);
      }
      expect(decided).toEqual([true, true, false]);
    } finally {
      await api.request('PATCH', '/api/settings/self-service', { token: admin, body: { emailAutoAnswersPerHour: 5 } });
    }
  });
});

describe('bounces', () => {
  it("marks the failed recipient's address as bouncing and notes the bounce on the conversation of the message that bounced", async () => {
    // The customer wrote in; our answer to them bounced (it carried our Message-ID for the conversation).
    const first = await post(mail({ From: 'Nobody <nobody@example.org>', Subject: 'Help', 'Message-ID': '<nobody-1@example.org>' }, 'Please help'));
    const conversationId = first.conversationId;
    const before = await api.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    const ours = createOutgoingMessageId(conversationId, replyDomain);
    const reply = await api.db.message.create({ data: { conversationId, authorKind: 'agent', body: 'Here is how', private: false } });
    await api.db.outboundEmail.create({
      data: { messageId: reply.id, status: 'sent', emailMessageId: ours.slice(1, -1), to: ['nobody@example.org'], sentAt: new Date() },
    });
    const bounce = dsnBounce
      .toString('utf8')
      .replace('reply+TOKEN@support.example.com', channelAddress)
      .replace('<11111111-2222-4333-8444-555555555555.abcdefghijklmnop@support.example.com>', ours);
    const result = await post(bounce);
    expect(result).toMatchObject({ outcome: 'processed', conversationId });

    const customer = await api.db.customer.findFirstOrThrow({ where: { email: 'nobody@example.org' } });
    expect(customer.emailBouncedAt).toBeInstanceOf(Date);
    expect(customer.emailBounceReason).toBe('5.1.1');
    // Not the customer speaking: an internal note of the system, which changes nothing and tells no workflow.
    const messages = await api.db.message.findMany({ where: { conversationId }, orderBy: { createdAt: 'asc' } });
    expect(messages).toHaveLength(3);
    expect(messages[2]).toMatchObject({ authorKind: 'system', private: true, customerId: null });
    expect(messages[2]!.body).toContain('could not be delivered');
    expect(messages[2]!.metadata).toMatchObject({
      kind: 'email_bounce',
      email: { automated: true },
      bounce: { failedRecipients: ['nobody@example.org'], permanent: true, status: '5.1.1' },
    });
    const after = await api.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect({ status: after.status, waitingOn: after.waitingOn }).toEqual({ status: before.status, waitingOn: before.waitingOn });
    expect(await api.db.workflowOutbox.count({ where: { workflowId: before.workflowId, kind: 'message_posted' } })).toBe(0);
    // Agents see it in the conversation; the customer never does (a private note).
    const admin = await api.login('admin@seamless.local');
    const seen = (await api.request('GET', `/api/conversations/${conversationId}/messages`, { token: admin })).body.messages as { authorKind: string }[];
    expect(seen.map((message) => message.authorKind)).toEqual(['customer', 'agent', 'system']);
    // Our reply that bounced shows "not delivered", with the event the console hears it by.
    expect(await api.db.outboundEmail.findUniqueOrThrow({ where: { messageId: reply.id } })).toMatchObject({
      status: 'failed',
      lastError: 'bounced: 5.1.1 nobody@example.org',
    });
    const failed = await api.db.event.findMany({ where: { conversationId, type: 'message.email_failed' } });
    expect(failed.map((event) => (event.payload as { message: { id: string } }).message.id)).toEqual([reply.id]);
    // The agent sees the mark on the customer wherever the conversation shows them.
    const shown = (await api.request('GET', `/api/conversations/${conversationId}`, { token: admin })).body.conversation.customer;
    expect(shown).toEqual({
      id: customer.id,
      name: 'Nobody',
      email: 'nobody@example.org',
      emailBounce: { at: customer.emailBouncedAt!.toISOString(), reason: '5.1.1' },
    });
    // No customer was made of the mailer daemon.
    expect(await api.db.customer.count({ where: { email: { contains: 'mailer-daemon', mode: 'insensitive' } } })).toBe(0);

    // A redelivery of the same report changes nothing.
    expect((await post(bounce)).outcome).toBe('duplicate');
    expect(await api.db.message.count({ where: { conversationId } })).toBe(3);

    // The customer writes in again from the address: it works, the mark goes.
    await post(mail({ From: 'nobody@example.org', Subject: 'Re: Help', 'Message-ID': '<nobody-2@example.org>', 'In-Reply-To': ours }, 'Did you answer?'));
    expect(await api.db.customer.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({ emailBouncedAt: null, emailBounceReason: null });
    const cleared = (await api.request('GET', `/api/conversations/${conversationId}`, { token: admin })).body.conversation.customer;
    expect(cleared).toEqual({ id: customer.id, name: 'Nobody', email: 'nobody@example.org' });
  });

  it('a temporary failure marks nothing; a bounce naming no conversation of ours is recorded and nothing else: no customer, no conversation', async () => {
    await api.db.customer.create({ data: { email: 'later@example.org' } });
    const delayed = dsnBounce
      .toString('utf8')
      .replace('reply+TOKEN@support.example.com', channelAddress)
      .replace('<20261201100000.ABC@mx.example.org>', '<delay-1@mx.example.org>')
      .replaceAll('nobody@example.org', 'later@example.org')
      .replaceAll('Nobody@Example.org', 'later@example.org')
      .replace('Status: 5.1.1', 'Status: 4.4.1');
    const customers = await api.db.customer.count();
    const conversations = await api.db.conversation.count();
    const result = await post(delayed);
    expect(result).toMatchObject({ outcome: 'recorded', conversationId: null });
    expect((await api.db.customer.findFirstOrThrow({ where: { email: 'later@example.org' } })).emailBouncedAt).toBeNull();
    // The quoted Message-ID names a conversation that does not exist here: kept with its reason, nothing made of it.
    expect(await api.db.inboundEmail.findUniqueOrThrow({ where: { id: result.inboundEmailId } })).toMatchObject({
      status: 'refused',
      reason: expect.stringMatching(/^unmatched_bounce: /),
      conversationId: null,
      messageId: null,
    });
    expect(await api.db.customer.count()).toBe(customers);
    expect(await api.db.customer.count({ where: { email: { contains: 'mailer-daemon', mode: 'insensitive' } } })).toBe(0);
    expect(await api.db.conversation.count()).toBe(conversations);
    // Redelivered: the same, once.
    expect((await post(delayed)).outcome).toBe('duplicate');
  });
});
