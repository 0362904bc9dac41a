// CC'd colleagues (issue 17) on the real stack with a real SMTP server started here: a reply in the
// thread from someone else than the customer is added as theirs with `metadata.sender`, so the
// console can tell it is not the customer's; agents' replies copy the thread (reply-all: the
// latest mail's From, To and Cc without the customer and our own addresses) unless the channel's
// `replyAll` is false.
import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../../contract/views.js';
import { channelAddress, emailSecret, replyDomain, startEmailSystem } from '../../../test/support/email-system.js';
import { startSmtpInbox, type SmtpInbox } from '../../../test/support/smtp-inbox.js';
import { type TestSystem } from '../../../test/support/system.js';
import { ingestInboundEmail } from './ingest-email.js';

const { secret, tokens } = emailSecret();

let system: TestSystem;
let inbox: SmtpInbox;
let channelId: string;
let admin: string;

beforeAll(async () => {
  inbox = await startSmtpInbox();
  ({ system, channelId } = await startEmailSystem({ secret, smtpUrl: inbox.url }));
  admin = await system.login('admin@seamless.local');
});

afterAll(async () => {
  await system?.stop();
  await inbox?.close();
});

const ingest = async (headers: Record<string, string>, body: string) => {
  const raw = Buffer.from(
    Object.entries({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', 'Message-ID': `<${randomUUID()}@mail.example.com>`, ...headers })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n') + `\r\n\r\n${body}\r\n`,
  );
  const result = await ingestInboundEmail({ db: system.db, temporal: system.temporal, taskQueue: system.taskQueue, secret, log: () => {} }, raw, channelId, {
    replyDomain,
  });
  if (result.outcome !== 'processed') throw new Error(`not processed: ${JSON.stringify(result)}`);
  return result;
};

const messagesOf = async (conversationId: string) =>
  (await system.request<{ messages: MessageView[] }>('GET', `/api/conversations/${conversationId}/messages`, { token: admin })).body.messages;

/** An agent's reply, and the mail it became. */
const replyAndReceive = async (conversationId: string, body: string): Promise<ParsedMail> => {
  const before = inbox.received.length;
  const response = await system.request<{ message: MessageView }>('POST', `/api/conversations/${conversationId}/messages`, { token: admin, body: { body } });
  expect(response.status).toBe(201);
  return (await inbox.waitForCount(before + 1, 30_000))[before]!;
};

const addresses = (field: ParsedMail['cc']) =>
  field ? (Array.isArray(field) ? field : [field]).flatMap((entry) => entry.value.map((one) => one.address)) : [];

describe('a thread with CC’d colleagues', () => {
  let conversationId: string;

  it('copies the customer’s Cc on the agent’s reply, leaving out the customer and our own addresses', async () => {
    const started = await ingest(
      {
        From: 'Ann <ann@customer.example>',
        To: channelAddress,
        Cc: `Bob Chen <bob@customer.example>, carol@partner.example, noreply@${replyDomain}`,
        Subject: 'Broken order',
      },
      'The order arrived broken.',
    );
    conversationId = started.conversationId;
    const sent = await replyAndReceive(conversationId, 'Sorry to hear that, we send a new one.');
    expect(addresses(sent.to)).toEqual(['ann@customer.example']);
    expect(addresses(sent.cc)).toEqual(['bob@customer.example', 'carol@partner.example']);
    expect((await system.db.outboundEmail.findFirstOrThrow({ where: { emailMessageId: sent.messageId!.slice(1, -1) } })).cc).toEqual([
      'bob@customer.example',
      'carol@partner.example',
    ]);
  });

  it('adds a colleague’s reply-all to the conversation as theirs, with its sender in the metadata (none on the customer’s own mail)', async () => {
    const answered = await ingest(
      {
        From: 'Bob Chen <bob@customer.example>',
        To: tokens.replyAddress(conversationId),
        Cc: 'ann@customer.example, carol@partner.example',
        Subject: 'Re: Broken order',
      },
      'Please send it to our warehouse instead.',
    );
    expect(answered.conversationId).toBe(conversationId);
    const messages = await messagesOf(conversationId);
    const byBob = messages.find((message) => message.id === answered.messageId)!;
    expect(byBob).toMatchObject({ authorKind: 'customer', authorName: 'Bob Chen', body: 'Please send it to our warehouse instead.' });
    expect(byBob.metadata).toMatchObject({ sender: { name: 'Bob Chen', address: 'bob@customer.example' }, email: { from: 'bob@customer.example' } });
    const byAnn = messages.find((message) => message.authorKind === 'customer' && message.id !== answered.messageId)!;
    expect(byAnn.metadata).not.toHaveProperty('sender');
    // The conversation is still Ann's.
    const conversation = await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: { customer: true } });
    expect(conversation.customer.email).toBe('ann@customer.example');

    // The next reply goes to Ann and copies Bob (who wrote) and Carol.
    const sent = await replyAndReceive(conversationId, 'Noted, the warehouse it is.');
    expect(addresses(sent.to)).toEqual(['ann@customer.example']);
    expect(addresses(sent.cc)).toEqual(['bob@customer.example', 'carol@partner.example']);
  });

  it('replies to the customer only when the channel turns reply-all off', async () => {
    const changed = await system.request('PATCH', `/api/channels/${channelId}`, {
      token: admin,
      body: { settings: { address: channelAddress, replyAll: false } },
    });
    expect(changed.status).toBe(200);
    const sent = await replyAndReceive(conversationId, 'Shipped.');
    expect(addresses(sent.to)).toEqual(['ann@customer.example']);
    expect(sent.cc).toBeUndefined();
    const refused = await system.request('PATCH', `/api/channels/${channelId}`, {
      token: admin,
      body: { settings: { address: channelAddress, replyAll: 'yes' } },
    });
    expect(refused.status).toBe(400);
  });
});
