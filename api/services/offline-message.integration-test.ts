// The widget's offline form (issue 21) on the real stack (PostgreSQL, Temporal, worker) with a
// real SMTP server: an anonymous visitor's name, email and message become a conversation on the
// email channel as the customer with that address, subject in their language; an agent's reply
// reaches that address by mail. The availability says whether anyone is online. Bad input is a 400 with nothing stored; with no email channel on,
// the widget is told not to offer the form and the route answers 409 `no_email_channel`.
import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailSecret, startEmailSystem } from '../../test/support/email-system.js';
import { startSmtpInbox, type SmtpInbox } from '../../test/support/smtp-inbox.js';
import type { TestSystem } from '../../test/support/system.js';
import { waitUntil } from '../../test/support/wait-until.js';

const { secret } = emailSecret();

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

const leave = (body: unknown, headers?: Record<string, string>) =>
  system.request<{ email?: string; error?: { code: string; details?: { path: string }[] } }>('POST', '/api/widget/offline-messages', { body, headers });
const recipients = (mail: ParsedMail) =>
  (mail.to ? (Array.isArray(mail.to) ? mail.to : [mail.to]) : []).flatMap((entry) => entry.value.map((one) => one.address));
const stored = async () => ({ conversations: await system.db.conversation.count(), customers: await system.db.customer.count() });

describe('the offline form', () => {
  it('is offered while an email channel is on, and the widget is told whether anyone is online', async () => {
    const answer = await system.request('GET', '/api/widget/availability');
    expect(answer).toMatchObject({ status: 200, body: { availability: { offlineForm: true } } });
    const presences = await system.db.user.findMany({ select: { id: true, presence: true } });
    try {
      await system.db.user.updateMany({ data: { presence: 'away' } });
      expect((await system.request('GET', '/api/widget/availability')).body.availability.agentsOnline).toBe(false);
      await system.db.user.updateMany({ where: { role: 'agent' }, data: { presence: 'online' } });
      expect((await system.request('GET', '/api/widget/availability')).body.availability.agentsOnline).toBe(true);
    } finally {
      for (const { id, presence } of presences) await system.db.user.update({ where: { id }, data: { presence } });
    }
  });

  it('becomes an email conversation of the customer with that address, and the agent’s reply reaches them by mail', async () => {
    const address = `offline-${randomUUID().slice(0, 8)}@example.com`;
    const taken = await leave(
      { name: 'Olive 欧', email: ` ${address.toUpperCase()} `, message: 'Can I change my delivery address?', locale: 'en' },
      {
        'Idempotency-Key': 'offline-1',
      },
    );
    expect(taken).toMatchObject({ status: 201, body: { email: address } });
    const customer = await system.db.customer.findFirstOrThrow({ where: { email: address } });
    expect(customer.name).toBe('Olive 欧');
    const conversation = await system.db.conversation.findFirstOrThrow({ where: { customerId: customer.id }, include: { channel: true, messages: true } });
    expect(conversation).toMatchObject({ channelId, subject: 'Message from the website' });
    expect(conversation.channel.kind).toBe('email');
    expect(conversation.messages.map((message) => [message.authorKind, message.body])).toEqual([['customer', 'Can I change my delivery address?']]);

    // A retried submit (same key) is the same conversation, nothing stored twice.
    const again = await leave({ name: 'Olive 欧', email: address, message: 'Can I change my delivery address?' }, { 'Idempotency-Key': 'offline-1' });
    expect(again).toMatchObject({ status: 200, body: { email: address } });
    expect(await system.db.conversation.count({ where: { customerId: customer.id } })).toBe(1);

    // The console lists it like any email conversation.
    const detail = await system.request('GET', `/api/conversations/${conversation.id}`, { token: admin });
    expect(detail.body.conversation).toMatchObject({ channelKind: 'email', subject: 'Message from the website' });

    const reply = await system.request('POST', `/api/conversations/${conversation.id}/messages`, {
      token: admin,
      body: { body: 'Yes: write the new address here and we will change it.' },
    });
    expect(reply.status).toBe(201);
    const sent = await waitUntil(
      async () => inbox.received.find((mail) => recipients(mail).includes(address) && String(mail.text).includes('write the new address')) ?? null,
    );
    expect(sent.subject).toContain('Message from the website');
  });

  it('writes the subject in the visitor’s language', async () => {
    for (const [locale, subject] of [
      ['zh-CN', '来自网站的留言'],
      ['zh-TW', '來自網站的留言'],
      ['zh-HK', '來自網站的留言'],
    ]) {
      const address = `offline-${locale}-${randomUUID().slice(0, 8)}@example.com`.toLowerCase();
      expect((await leave({ email: address, message: '我想改地址', locale })).status).toBe(201);
      const conversation = await system.db.conversation.findFirstOrThrow({ where: { customer: { email: address } } });
      expect(conversation.subject).toBe(subject);
    }
  });

  it('refuses bad input with a 400 naming the field, storing nothing', async () => {
    const before = await stored();
    const cases: [unknown, string][] = [
      [{ name: 'No Mail', message: 'Hello' }, 'email'],
      [{ email: 'not an address', message: 'Hello' }, 'email'],
      [{ email: 'a@example.com', message: '   ' }, 'message'],
      [{ email: 'a@example.com', message: 'Hello', extra: true }, ''],
    ];
    for (const [body, field] of cases) {
      const answer = await leave(body);
      expect(answer.status).toBe(400);
      expect(answer.body.error?.code).toBe('invalid_input');
      if (field) expect(answer.body.error?.details?.map((detail) => detail.path)).toContain(field);
    }
    expect(await stored()).toEqual(before);
  });

  it('is not offered, and answers 409 no_email_channel, while no email channel is on', async () => {
    await system.db.channel.update({ where: { id: channelId }, data: { enabled: false } });
    try {
      const before = await stored();
      expect((await system.request('GET', '/api/widget/availability')).body.availability.offlineForm).toBe(false);
      const refused = await leave({ email: 'nobody-answers@example.com', message: 'Hello?' });
      expect(refused).toMatchObject({ status: 409, body: { error: { code: 'no_email_channel' } } });
      expect(await stored()).toEqual(before);
    } finally {
      await system.db.channel.update({ where: { id: channelId }, data: { enabled: true } });
    }
  });
});
