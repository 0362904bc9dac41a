// Outbound email end to end (issue 17): real PostgreSQL, Temporal and worker (test/support/system.ts),
// and a real SMTP server started here (smtp-server). An agent's reply in an email conversation is
// promised with the message (OutboundEmail + outbox row), sent by email-delivery-<messageId> with
// the channel's From, the conversation's reply address and threading headers, and the customer's
// answer to it threads back; a private note sends nothing; an SMTP server that is down is retried
// until it is back; a permanent refusal marks the message "not delivered" and tells the agents.
import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../contract/views.js';
import { addSystemMessage } from '../activities/conversation-writes.js';
import { freePort } from './support/free-port.js';
import { channelAddress, emailSecret, replyDomain, startEmailSystem } from './support/email-system.js';
import { startSmtpInbox, type SmtpInbox } from './support/smtp-inbox.js';
import type { TestSocket } from './support/socket-client.js';
import { type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';
import { ingestInboundEmail } from '../api/services/email/ingest-email.js';

const { secret, tokens } = emailSecret();

let system: TestSystem;
let inbox: SmtpInbox;
let smtpPort: number;
let channelId: string;
let admin: string;
let socket: TestSocket;

beforeAll(async () => {
  smtpPort = await freePort();
  inbox = await startSmtpInbox({ port: smtpPort, refuse: (address) => address.startsWith('refused@') });
  ({ system, channelId } = await startEmailSystem({
    secret,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    settings: { fromName: 'Shop Support 客服', signature: 'The Shop team\nMon–Fri 9–17' },
  }));
  admin = await system.login('admin@seamless.local');
  socket = await system.socket(admin);
});

afterAll(async () => {
  await system?.stop();
  await inbox?.close();
});

const ingest = (raw: Buffer) =>
  ingestInboundEmail({ db: system.db, temporal: system.temporal, taskQueue: system.taskQueue, secret, log: () => {} }, raw, channelId, { replyDomain });

const mail = (headers: Record<string, string>, body: string) =>
  Buffer.from(
    Object.entries({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', Date: 'Sun, 6 Dec 2026 10:00:00 +0000', ...headers })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n') + `\r\n\r\n${body}\r\n`,
  );

/** A customer writes in: a new conversation on the email channel. */
async function customerWrites(from: string, subject: string) {
  const messageId = `<${randomUUID()}@mail.example.com>`;
  const result = await ingest(mail({ From: from, To: channelAddress, Subject: subject, 'Message-ID': messageId }, 'Where is my order?'));
  if (result.outcome !== 'processed') throw new Error(`not processed: ${JSON.stringify(result)}`);
  return { conversationId: result.conversationId, customerMessageId: result.messageId, emailMessageId: messageId };
}

const reply = async (conversationId: string, body: string, isPrivate = false) => {
  const response = await system.request<{ message: MessageView }>('POST', `/api/conversations/${conversationId}/messages`, {
    token: admin,
    body: { body, private: isPrivate },
  });
  expect(response.status).toBe(201);
  return response.body.message;
};

const outbound = (messageId: string) => system.db.outboundEmail.findUnique({ where: { messageId } });
const messagesOf = async (conversationId: string) =>
  (await system.request<{ messages: MessageView[] }>('GET', `/api/conversations/${conversationId}/messages`, { token: admin })).body.messages;
const addresses = (field: ParsedMail['to'] | ParsedMail['replyTo']) =>
  field ? (Array.isArray(field) ? field : [field]).flatMap((entry) => entry.value.map((one) => one.address)) : [];

describe('an agent reply in an email conversation', () => {
  let first: Awaited<ReturnType<typeof customerWrites>>;
  let sent: ParsedMail;
  let replyView: MessageView;

  it('is promised with the message: queued in the answer, an OutboundEmail row and the start of its delivery workflow', async () => {
    first = await customerWrites('Ann Lee <ann@example.com>', 'Order 1234 missing');
    // The customer's own mail never goes out.
    expect(await outbound(first.customerMessageId)).toBeNull();
    replyView = await reply(first.conversationId, 'Hello **Ann**, your parcel <b>ships</b> today.');
    expect(replyView.delivery?.status).toMatch(/^(queued|sent)$/);
    expect(await outbound(replyView.id)).not.toBeNull();
  });

  it('reaches the customer from the channel, threaded under their mail, with a reply address, text and HTML', async () => {
    sent = (await inbox.waitForCount(1))[0]!;
    expect(sent!.from?.value).toEqual([{ name: 'Shop Support 客服', address: channelAddress }]);
    expect(addresses(sent!.to)).toEqual(['ann@example.com']);
    expect(addresses(sent!.replyTo)).toEqual([tokens.replyAddress(first.conversationId)]);
    expect(sent!.subject).toBe('Re: Order 1234 missing');
    expect(sent!.inReplyTo).toBe(first.emailMessageId);
    expect([sent!.references].flat()).toEqual([first.emailMessageId]);
    expect(sent!.messageId).toMatch(new RegExp(`^<${first.conversationId}\\.[a-z2-7]{16}@${replyDomain.replace(/\./g, '\\.')}>$`));
    expect(sent!.text).toContain('Hello **Ann**, your parcel <b>ships</b> today.');
    expect(sent!.text).toContain('-- \nThe Shop team');
    expect(String(sent!.html)).toContain('<strong>Ann</strong>, your parcel &lt;b&gt;ships&lt;/b&gt; today.');

    const row = await waitUntil(async () => {
      const found = await outbound(replyView.id);
      return found?.status === 'sent' ? found : null;
    });
    expect(row).toMatchObject({ status: 'sent', to: ['ann@example.com'], attempts: 1, lastError: null, subject: 'Re: Order 1234 missing' });
    expect(`<${row.emailMessageId}>`).toBe(sent!.messageId);
    expect(row.sentAt).toBeInstanceOf(Date);
    // The message view carries the delivery, and the agents heard of it.
    expect((await messagesOf(first.conversationId)).find((message) => message.id === replyView.id)?.delivery).toEqual({ status: 'sent' });
    const event = await socket.waitForEvent((candidate) => candidate.type === 'message.email_sent');
    expect(event.payload).toMatchObject({ message: { id: replyView.id, delivery: { status: 'sent' } }, to: ['ann@example.com'] });
  });

  it('threads the customer’s answer to it back into the same conversation, by the reply address or by In-Reply-To alone', async () => {
    const byToken = await ingest(
      mail(
        {
          From: 'ann@example.com',
          To: tokens.replyAddress(first.conversationId),
          Subject: `Re: ${sent.subject}`,
          'Message-ID': `<${randomUUID()}@mail.example.com>`,
          'In-Reply-To': sent.messageId!,
          References: `${first.emailMessageId} ${sent.messageId}`,
        },
        'Thanks!',
      ),
    );
    expect(byToken).toMatchObject({ outcome: 'processed', conversationId: first.conversationId, threadedBy: { kind: 'existing', by: 'token' } });
    // A client that writes to the channel's address and keeps only In-Reply-To (our Message-ID).
    const byHeader = await ingest(
      mail(
        {
          From: 'ann@example.com',
          To: channelAddress,
          Subject: 'one more thing',
          'Message-ID': `<${randomUUID()}@mail.example.com>`,
          'In-Reply-To': sent.messageId!,
        },
        'And the invoice?',
      ),
    );
    expect(byHeader).toMatchObject({ outcome: 'processed', conversationId: first.conversationId, threadedBy: { kind: 'existing', by: 'in-reply-to' } });
  });

  it('sends nothing for a private note; the next reply threads under the customer’s latest mail with the whole chain', async () => {
    const note = await reply(first.conversationId, 'Internal: check the warehouse', true);
    expect(note.delivery).toBeUndefined();
    expect(await outbound(note.id)).toBeNull();
    const next = await reply(first.conversationId, 'The invoice is attached to your account.');
    const received = await inbox.waitForCount(2);
    // Had the note gone out, it would have come first (it was stored first).
    expect(received).toHaveLength(2);
    const second = received[1]!;
    expect(second.text).toContain('The invoice is attached');
    const latestInbound = await system.db.inboundEmail.findFirstOrThrow({ where: { conversationId: first.conversationId }, orderBy: { receivedAt: 'desc' } });
    expect(second.inReplyTo).toBe(`<${latestInbound.emailMessageId}>`);
    expect([second.references].flat()).toContain(sent.messageId);
    expect([second.references].flat()[0]).toBe(first.emailMessageId);
    await waitUntil(async () => ((await outbound(next.id))?.status === 'sent' ? true : null));
  });
});

describe('the bot’s answer in an email conversation', () => {
  it('leaves as mail too, marked Auto-Submitted, through the outbox row written with it', async () => {
    const { conversationId } = await customerWrites('Cy <cy@example.com>', 'Opening hours?');
    const count = inbox.received.length;
    const answer = await system.db.$transaction((tx) =>
      addSystemMessage(tx, conversationId, { authorKind: 'bot', body: 'We are open **9–17**.', private: false, metadata: { kind: 'bot_answer' } }),
    );
    expect(answer.delivery).toEqual({ status: 'queued' });
    const received = await inbox.waitForCount(count + 1, 30_000);
    const mailed = received.at(-1)!;
    expect(addresses(mailed.to)).toEqual(['cy@example.com']);
    expect(mailed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(String(mailed.html)).toContain('<strong>9–17</strong>');
    // Its hand-off summary (a private note) is never mailed.
    const note = await system.db.$transaction((tx) => addSystemMessage(tx, conversationId, { authorKind: 'bot', body: 'Summary', private: true }));
    expect(note.delivery).toBeUndefined();
    expect(await outbound(note.id)).toBeNull();
  });
});

describe('when the SMTP server is down', () => {
  it('retries with back-off and delivers once it is back', async () => {
    const { conversationId } = await customerWrites('Bo <bo@example.com>', '退款');
    const before = inbox.received.length;
    await inbox.close();
    const message = await reply(conversationId, '已为您办理退款。');
    // Tries refused while the server is down, each recorded.
    const failing = await waitUntil(async () => {
      const row = await outbound(message.id);
      return row && row.attempts >= 2 ? row : null;
    }, 30_000);
    expect(failing.status).toBe('queued');
    expect(failing.lastError).toMatch(/ECONNREFUSED/);
    const shown = (await messagesOf(conversationId)).find((one) => one.id === message.id);
    expect(shown?.delivery).toMatchObject({ status: 'queued', error: expect.stringMatching(/ECONNREFUSED/) });

    inbox = await startSmtpInbox({ port: smtpPort, refuse: (address) => address.startsWith('refused@') });
    const [arrived] = await inbox.waitForCount(1, 30_000);
    expect(before).toBeGreaterThan(0);
    expect(arrived!.subject).toBe('Re: 退款');
    expect(arrived!.text).toContain('已为您办理退款。');
    const row = await waitUntil(async () => {
      const found = await outbound(message.id);
      return found?.status === 'sent' ? found : null;
    });
    expect(row.attempts).toBeGreaterThanOrEqual(3);
    expect(row.lastError).toBeNull();
  });
});

describe('when the SMTP server refuses the mail for good', () => {
  it('gives up at once, marks the message "not delivered" and tells the agents', async () => {
    const { conversationId } = await customerWrites('refused@example.com', 'Bounce me');
    const message = await reply(conversationId, 'This will not arrive.');
    const event = await socket.waitForEvent((candidate) => candidate.type === 'message.email_failed' && candidate.conversationId === conversationId, 30_000);
    expect(event.payload).toMatchObject({ message: { id: message.id, delivery: { status: 'failed' } }, to: ['refused@example.com'] });
    const row = await outbound(message.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.lastError).toMatch(/550/);
    expect(row!.failedAt).toBeInstanceOf(Date);
    const shown = (await messagesOf(conversationId)).find((one) => one.id === message.id);
    expect(shown?.delivery).toEqual({ status: 'failed', error: row!.lastError });
  });

  it('records why nothing was sent when the customer has no address', async () => {
    const customer = await system.db.customer.create({ data: { name: 'No Mail' } });
    const id = randomUUID();
    await system.db.conversation.create({
      data: { id, workflowId: `conversation-${id}`, customerId: customer.id, channelId, status: 'open', subject: 'Phone call' },
    });
    const message = await reply(id, 'We called you back.');
    const event = await socket.waitForEvent((candidate) => candidate.type === 'message.email_failed' && candidate.conversationId === id, 30_000);
    expect(event.payload).toMatchObject({ error: 'The customer has no email address.' });
    expect(await outbound(message.id)).toMatchObject({ status: 'failed', attempts: 0, lastError: 'The customer has no email address.' });
  });
});

describe('an agent reply with files', () => {
  it('reaches the customer with each file attached, its name and bytes as uploaded', async () => {
    const { conversationId } = await customerWrites('Cai Wen <cai@example.com>', '发票');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
    const csv = Buffer.from('order,amount\n1234,25.00\n');
    const ids: string[] = [];
    for (const [name, bytes] of [
      ['发票.pdf', pdf],
      ['orders.csv', csv],
    ] as const) {
      const uploaded = await fetch(`${system.url}/api/conversations/${conversationId}/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) },
        body: new Uint8Array(bytes),
      });
      expect(uploaded.status).toBe(201);
      ids.push(((await uploaded.json()) as { attachment: { id: string } }).attachment.id);
    }
    const before = inbox.received.length;
    const response = await system.request<{ message: MessageView }>('POST', `/api/conversations/${conversationId}/messages`, {
      token: admin,
      body: { body: 'Your invoice is attached.', attachmentIds: ids },
    });
    expect(response.status).toBe(201);
    const arrived = (await inbox.waitForCount(before + 1, 30_000)).find((one) => one.subject === 'Re: 发票');
    expect(arrived?.text).toContain('Your invoice is attached.');
    expect(arrived?.attachments.map((file) => [file.filename, file.contentType])).toEqual([
      ['发票.pdf', 'application/pdf'],
      ['orders.csv', 'text/plain'],
    ]);
    expect(arrived?.attachments[0]?.content.equals(pdf)).toBe(true);
    expect(arrived?.attachments[1]?.content.equals(csv)).toBe(true);
  });
});
