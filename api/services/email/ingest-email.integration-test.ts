// The inbound email pipeline end to end over real PostgreSQL: mail sent with nodemailer to the
// SMTP listener, and raw MIME posted to the webhook, become conversations on the email channel,
// deduplicated by Message-ID and threaded by token address, In-Reply-To, References and [#n].
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReplyTokens } from '../../../infra/email/threading.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/in-process-api.js';
import { big5Mail, big5MailText, gbkMail, gbkMailText, outOfOffice } from '../../../test/support/mail-samples.js';
import { startSmtpListener, type SmtpListener } from './smtp-listener.js';

const replyDomain = 'support.example.com';
const channelAddress = 'support@support.example.com';
const maxMessageBytes = 64 * 1024;

let api: InProcessApi;
let listener: SmtpListener;
let channelId: string;
const secret = randomBytes(48).toString('base64url');
const tokens = createReplyTokens({ secret, domain: replyDomain });

beforeAll(async () => {
  api = await startInProcessApi({ inboundEmail: { maxMessageBytes, replyDomain } });
  const channel = await api.db.channel.findFirstOrThrow({ where: { kind: 'email' } });
  channelId = channel.id;
  await api.db.channel.update({ where: { id: channelId }, data: { enabled: true, settings: { address: channelAddress } } });
  listener = await startSmtpListener(
    { db: api.db, temporal: api.temporal.client, taskQueue: api.taskQueue, secret, log: (message, error) => api.logged.push({ message, error }) },
    { host: '127.0.0.1', port: 0, replyDomain, limits: { maxMessageBytes } },
  );
});

afterAll(async () => {
  await listener?.close();
  await api?.stop();
});

const send = async (raw: Buffer | string, to = channelAddress, from = 'sender@example.com') => {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail({ envelope: { from, to: [to] }, raw });
  } finally {
    transport.close();
  }
};

const mail = (headers: Record<string, string>, body: string) =>
  Buffer.from(
    Object.entries({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', Date: 'Sun, 6 Dec 2026 10:00:00 +0000', ...headers })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n') + `\r\n\r\n${body}\r\n`,
  );

const inbound = (emailMessageId: string) => api.db.inboundEmail.findFirstOrThrow({ where: { channelId, emailMessageId } });
const messagesOf = (conversationId: string) => api.db.message.findMany({ where: { conversationId }, orderBy: { createdAt: 'asc' } });

describe('SMTP listener → conversation', () => {
  it('turns a GBK mail into a conversation on the email channel, from a customer found by address, stored raw', async () => {
    await send(gbkMail, channelAddress, 'zhangsan@example.cn');
    const row = await inbound('20261201090000.12345@example.cn');
    expect(row).toMatchObject({ status: 'processed', subject: '订单未发货', fromAddress: 'zhangsan@example.cn' });
    // As received (SMTP only ends the last line).
    const stored = Buffer.from(row.raw);
    expect(stored.subarray(0, gbkMail.length).equals(gbkMail)).toBe(true);
    expect(stored.length - gbkMail.length).toBeLessThanOrEqual(2);
    const conversation = await api.db.conversation.findUniqueOrThrow({ where: { id: row.conversationId! }, include: { customer: true } });
    expect(conversation).toMatchObject({ channelId, subject: '订单未发货', status: 'queued' });
    expect(conversation.customer).toMatchObject({ email: 'zhangsan@example.cn', name: '张三' });
    const [message] = await messagesOf(conversation.id);
    expect(message!.body).toBe(gbkMailText);
    expect(message).toMatchObject({ authorKind: 'customer', customerId: conversation.customerId });
    // The workflow's start was written to the outbox with it.
    expect(await api.db.workflowOutbox.count({ where: { workflowId: conversation.workflowId } })).toBeGreaterThan(0);
  });

  it('decodes Big5', async () => {
    await send(big5Mail.toString('latin1').replace(/^To: .*$/m, `To: ${channelAddress}`), channelAddress, 'chen@example.tw');
    const row = await api.db.inboundEmail.findFirstOrThrow({ where: { channelId, fromAddress: 'chen@example.tw' } });
    const [message] = await messagesOf(row.conversationId!);
    expect(message!.body).toBe(big5MailText);
  });

  it('stores the same Message-ID once: a redelivery is a no-op', async () => {
    const raw = mail({ From: 'dup@example.com', To: channelAddress, Subject: 'Twice', 'Message-ID': '<dup-1@example.com>' }, 'Hello once');
    await send(raw);
    await send(raw);
    expect(await api.db.inboundEmail.count({ where: { channelId, emailMessageId: 'dup-1@example.com' } })).toBe(1);
    const row = await inbound('dup-1@example.com');
    expect(await messagesOf(row.conversationId!)).toHaveLength(1);
  });

  describe('threading', () => {
    let first: { conversationId: string; number: number };
    beforeAll(async () => {
      await send(mail({ From: 'Ann <ann@example.com>', To: channelAddress, Subject: 'Refund', 'Message-ID': '<ann-1@example.com>' }, 'I want a refund'));
      const row = await inbound('ann-1@example.com');
      const conversation = await api.db.conversation.findUniqueOrThrow({ where: { id: row.conversationId! } });
      first = { conversationId: conversation.id, number: conversation.number };
    });

    const threadedInto = async (emailMessageId: string) => (await inbound(emailMessageId)).conversationId;

    it('by In-Reply-To', async () => {
      await send(
        mail(
          { From: 'ann@example.com', To: channelAddress, Subject: 'Re: Refund', 'Message-ID': '<ann-2@example.com>', 'In-Reply-To': '<ann-1@example.com>' },
          'Any news?',
        ),
      );
      expect(await threadedInto('ann-2@example.com')).toBe(first.conversationId);
    });

    it('by References only', async () => {
      await send(
        mail(
          {
            From: 'ann@example.com',
            To: channelAddress,
            Subject: 'Re: Refund',
            'Message-ID': '<ann-3@example.com>',
            References: '<unknown@x> <ann-1@example.com>',
          },
          'Still waiting',
        ),
      );
      expect(await threadedInto('ann-3@example.com')).toBe(first.conversationId);
    });

    it('by the reply token address, with no thread headers (Outlook)', async () => {
      const to = tokens.replyAddress(first.conversationId);
      await send(mail({ From: 'ann@example.com', To: to, Subject: 'RE: something else', 'Message-ID': '<ann-4@example.com>' }, 'From Outlook'), to);
      expect(await threadedInto('ann-4@example.com')).toBe(first.conversationId);
    });

    it('by [#n] in the subject from a participant, but not from a stranger', async () => {
      const subject = `Re: Refund [#${first.number}]`;
      await send(mail({ From: 'ann@example.com', To: channelAddress, Subject: subject, 'Message-ID': '<ann-5@example.com>' }, 'By number'));
      expect(await threadedInto('ann-5@example.com')).toBe(first.conversationId);
      await send(mail({ From: 'mallory@example.com', To: channelAddress, Subject: subject, 'Message-ID': '<mallory-1@example.com>' }, 'Let me in'));
      expect(await threadedInto('mallory-1@example.com')).not.toBe(first.conversationId);
    });

    it('a reply to a resolved conversation is stored and tells its workflow (which reopens it)', async () => {
      await api.db.conversation.update({ where: { id: first.conversationId }, data: { status: 'resolved', waitingOn: null } });
      const conversation = await api.db.conversation.findUniqueOrThrow({ where: { id: first.conversationId } });
      const signals = () => api.db.workflowOutbox.count({ where: { workflowId: conversation.workflowId, kind: 'message_posted' } });
      const before = await signals();
      await send(
        mail(
          { From: 'ann@example.com', To: channelAddress, Subject: 'Re: Refund', 'Message-ID': '<ann-6@example.com>', 'In-Reply-To': '<ann-1@example.com>' },
          'Not fixed',
        ),
      );
      expect(await threadedInto('ann-6@example.com')).toBe(first.conversationId);
      // The customer's message to a resolved conversation is the one that signals it (as in chat).
      expect(await signals()).toBe(before + 1);
    });
  });

  it('stores an auto-reply and marks it so nothing answers it automatically', async () => {
    const to = channelAddress;
    await send(outOfOffice.toString('utf8').replace('reply+TOKEN@support.example.com', to), to, 'carol@corp.example.net');
    const row = await inbound('oof-1@corp.example.net');
    expect(row).toMatchObject({ status: 'processed', automated: true });
    const [message] = await messagesOf(row.conversationId!);
    expect(message!.metadata).toMatchObject({ email: { automated: true } });
  });

  it("lists the mail's files in message.created, whether the mail starts a conversation or continues one", async () => {
    const withFile = (headers: Record<string, string>, fileName: string) =>
      mail(
        { ...headers, 'Content-Type': 'multipart/mixed; boundary="b1"' },
        [
          '--b1',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'The invoice is attached.',
          '--b1',
          `Content-Type: text/plain; name="${fileName}"`,
          `Content-Disposition: attachment; filename="${fileName}"`,
          'Content-Transfer-Encoding: base64',
          '',
          Buffer.from(`contents of ${fileName}`).toString('base64'),
          '--b1--',
        ].join('\r\n'),
      );
    const filesOf = async (conversationId: string) => {
      const events = await api.db.event.findMany({ where: { conversationId, type: 'message.created' }, orderBy: { id: 'asc' } });
      return events.map((event) =>
        ((event.payload as { message: { attachments?: { fileName: string }[] } }).message.attachments ?? []).map((file) => file.fileName),
      );
    };
    await send(withFile({ From: 'dana@example.com', To: channelAddress, Subject: 'Invoice', 'Message-ID': '<files-1@example.com>' }, 'invoice.txt'));
    const first = await inbound('files-1@example.com');
    expect(first.status).toBe('processed');
    await send(
      withFile(
        { From: 'dana@example.com', To: channelAddress, Subject: 'Re: Invoice', 'Message-ID': '<files-2@example.com>', 'In-Reply-To': '<files-1@example.com>' },
        'receipt.txt',
      ),
    );
    expect((await inbound('files-2@example.com')).conversationId).toBe(first.conversationId);
    expect(await filesOf(first.conversationId!)).toEqual([['invoice.txt'], ['receipt.txt']]);
    expect(await api.db.attachment.count({ where: { inboundEmailId: first.id, messageId: first.messageId } })).toBe(1);
  });

  it('refuses mail for an unknown mailbox and oversize mail at DATA, storing nothing', async () => {
    const before = await api.db.inboundEmail.count();
    await expect(send(mail({ From: 'a@example.com', To: 'nobody@example.com', Subject: 'x' }, 'x'), 'nobody@example.com')).rejects.toMatchObject({
      responseCode: 550,
    });
    const big = mail({ From: 'a@example.com', To: channelAddress, Subject: 'big', 'Message-ID': '<big@example.com>' }, 'x'.repeat(maxMessageBytes + 10));
    await expect(send(big)).rejects.toMatchObject({ responseCode: 552 });
    expect(await api.db.inboundEmail.count()).toBe(before);
  });
});

describe('POST /api/inbound/email/:channelKey', () => {
  let webhookSecret: string;
  beforeAll(async () => {
    const admin = await api.login('admin@seamless.local');
    const agent = await api.login('agent@seamless.local');
    expect((await api.request('POST', `/api/channels/${channelId}/inbound-email-secret`, { token: agent })).status).toBe(403);
    const set = await api.request('POST', `/api/channels/${channelId}/inbound-email-secret`, { token: admin });
    expect(set.status).toBe(200);
    webhookSecret = set.body.secret;
    // Only its hash is stored.
    const stored = await api.db.channel.findUniqueOrThrow({ where: { id: channelId } });
    expect(stored.inboundSecretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.inboundSecretHash).not.toContain(webhookSecret);
  });
  const post = (body: Buffer, headers: Record<string, string>, key = channelId) =>
    fetch(`${api.url}/api/inbound/email/${key}`, { method: 'POST', headers: { 'content-type': 'message/rfc822', ...headers }, body });
  const raw = mail({ From: 'hook@example.com', To: channelAddress, Subject: 'Via webhook', 'Message-ID': '<hook-1@example.com>' }, 'Posted by a provider');

  it('refuses without the secret, with a wrong one, and for an unknown channel: 401, nothing stored', async () => {
    expect((await post(raw, {})).status).toBe(401);
    expect((await post(raw, { 'x-inbound-secret': 'whsec_wrong' })).status).toBe(401);
    expect((await post(raw, { 'x-inbound-secret': webhookSecret }, 'not-a-channel')).status).toBe(401);
    // A sign-in is the wrong kind of credential here.
    const admin = await api.login('admin@seamless.local');
    expect((await post(raw, { authorization: `Bearer ${admin}` })).status).toBe(403);
    // A secret set earlier stops working when a new one is set.
    const replaced = (await api.request('POST', `/api/channels/${channelId}/inbound-email-secret`, { token: admin })).body.secret as string;
    expect((await post(raw, { 'x-inbound-secret': webhookSecret })).status).toBe(401);
    webhookSecret = replaced;
    expect(await api.db.inboundEmail.count({ where: { emailMessageId: 'hook-1@example.com' } })).toBe(0);
  });

  it('accepts with the secret (202) into the same pipeline; a redelivery is a no-op', async () => {
    const response = await post(raw, { 'x-inbound-secret': webhookSecret });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ outcome: 'processed' });
    const again = await post(raw, { 'x-inbound-secret': webhookSecret });
    expect(await again.json()).toMatchObject({ outcome: 'duplicate' });
    const row = await inbound('hook-1@example.com');
    expect(await messagesOf(row.conversationId!)).toMatchObject([{ body: 'Posted by a provider' }]);
  });

  it('refuses oversize mail with 413', async () => {
    const big = mail(
      { From: 'hook@example.com', To: channelAddress, Subject: 'big', 'Message-ID': '<hook-big@example.com>' },
      'x'.repeat(maxMessageBytes + 10),
    );
    const response = await post(big, { 'x-inbound-secret': webhookSecret });
    expect(response.status).toBe(413);
    expect(await api.db.inboundEmail.count({ where: { emailMessageId: 'hook-big@example.com' } })).toBe(0);
  });
});
