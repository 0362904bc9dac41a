// Hostile and broken mail through the real SMTP listener (issue 17, "Malicious mail"): each message
// is either stored safely (a conversation, the limits applied) or refused with a reason (SMTP 5xx,
// the raw copy kept with its reason when it was accepted at DATA), never a crash — and the
// listener keeps serving: a normal mail after the whole matrix becomes its conversation. Hostile
// HTML in Chromium is test/console-email.e2e-test.ts's; the parser's cases one by one are
// infra/email/inbound/parse-inbound.test.ts's.
import { createHash, randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessApi, type InProcessApi } from '../../../test/support/in-process-api.js';
import { brokenMime } from '../../../test/support/mail-samples.js';
import { startSmtpListener, type SmtpListener } from './smtp-listener.js';

const replyDomain = 'support.example.com';
const channelAddress = 'support@support.example.com';
/** Above the display limit on HTML (2,000,000 characters), so a mail just under it is cut for display. */
const maxMessageBytes = 3 * 1024 * 1024;

let api: InProcessApi;
let listener: SmtpListener;
let channelId: string;
let admin: string;
const secret = randomBytes(48).toString('base64url');

beforeAll(async () => {
  api = await startInProcessApi({ inboundEmail: { maxMessageBytes, replyDomain } });
  channelId = (await api.db.channel.findFirstOrThrow({ where: { kind: 'email' } })).id;
  await api.db.channel.update({ where: { id: channelId }, data: { enabled: true, settings: { address: channelAddress } } });
  listener = await startSmtpListener(
    { db: api.db, temporal: api.temporal.client, taskQueue: api.taskQueue, secret, log: (message, error) => api.logged.push({ message, error }) },
    { host: '127.0.0.1', port: 0, replyDomain, limits: { maxMessageBytes } },
  );
  admin = await api.login('admin@seamless.local');
});

afterAll(async () => {
  await listener?.close();
  await api?.stop();
});

/** Sends raw MIME to the listener; resolves to the SMTP outcome (accepted, or the refusal's code and words). */
const send = async (raw: Buffer | string): Promise<{ accepted: true } | { accepted: false; responseCode: number; response: string }> => {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope: { from: 'sender@example.com', to: [channelAddress] }, raw });
    return { accepted: true };
  } catch (error) {
    const { responseCode, response } = error as { responseCode: number; response: string };
    return { accepted: false, responseCode, response };
  } finally {
    transport.close();
  }
};

const head = (id: string, headers: Record<string, string> = {}) =>
  Object.entries({
    From: `Sender <${id}@example.com>`,
    To: channelAddress,
    Subject: `Case ${id}`,
    'Message-ID': `<${id}@example.com>`,
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    ...headers,
  })
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');

const row = (id: string) => api.db.inboundEmail.findFirst({ where: { channelId, emailMessageId: `${id}@example.com` } });

/** The mail became a conversation with a customer message. */
async function expectStored(id: string) {
  const stored = await row(id);
  expect(stored).toMatchObject({ status: 'processed', conversationId: expect.any(String), messageId: expect.any(String) });
  expect(stored!.raw.length).toBeGreaterThan(0);
  return stored!;
}

/** The mail was refused at DATA with a 5xx naming the reason, its raw copy kept with that reason and nothing made of it. */
async function expectRefused(raw: string, outcome: Awaited<ReturnType<typeof send>>, code: RegExp) {
  expect(outcome).toMatchObject({ accepted: false, responseCode: 554 });
  if (outcome.accepted) return;
  // A message refused on its content has no Message-ID we trust: its row is keyed by its bytes.
  const stored = await api.db.inboundEmail.findFirst({ where: { channelId, sha256: createHash('sha256').update(raw).digest('hex') } });
  expect(outcome.response).toContain(stored?.reason?.replace(/^[a-z_]+: /, '') ?? 'a stored refusal');
  expect(stored).toMatchObject({ status: 'refused', reason: expect.stringMatching(code), conversationId: null, messageId: null });
  expect(await api.db.attachment.count({ where: { inboundEmailId: stored!.id } })).toBe(0);
}

describe('malicious mail through the SMTP listener', () => {
  it('refuses 1,000 attachments with a reason, storing no file', async () => {
    const parts = Array.from({ length: 1000 }, (_, n) =>
      [
        '--many',
        `Content-Type: text/plain; name="f${n}.txt"`,
        `Content-Disposition: attachment; filename="f${n}.txt"`,
        'Content-Transfer-Encoding: base64',
        '',
        'aGk=',
      ].join('\r\n'),
    );
    const raw = `${head('many', { 'Content-Type': 'multipart/mixed; boundary="many"' })}\r\n\r\n--many\r\nContent-Type: text/plain\r\n\r\nSee files.\r\n${parts.join('\r\n')}\r\n--many--\r\n`;
    await expectRefused(raw, await send(raw), /^too_many_(attachments|mime_parts): /);
  });

  it('refuses a zip-bomb-like multipart nested 60 deep with a reason', async () => {
    let body = 'Content-Type: text/plain\r\n\r\nat the bottom\r\n';
    for (let depth = 60; depth >= 1; depth -= 1) body = `Content-Type: multipart/mixed; boundary="d${depth}"\r\n\r\n--d${depth}\r\n${body}--d${depth}--\r\n`;
    // The outermost part's headers are the message's.
    const [outerType, ...rest] = body.split('\r\n\r\n');
    const raw = `${head('deep', { 'Content-Type': outerType!.replace('Content-Type: ', '') })}\r\n\r\n${rest.join('\r\n\r\n')}`;
    await expectRefused(raw, await send(raw), /^mime_too_deep: /);
  });

  it('refuses a body over the size limit at DATA, storing nothing; stores one just under it, its HTML cut for display', async () => {
    const before = await api.db.inboundEmail.count();
    const over = await send(`${head('over')}\r\n\r\n${'x'.repeat(maxMessageBytes + 100)}\r\n`);
    expect(over).toMatchObject({ accepted: false, responseCode: 552 });
    expect(await api.db.inboundEmail.count()).toBe(before);

    const html = `<p>${'word '.repeat(Math.floor((maxMessageBytes - 64 * 1024) / 5))}</p>`;
    expect(await send(`${head('under', { 'Content-Type': 'text/html; charset=utf-8' })}\r\n\r\n${html}\r\n`)).toEqual({ accepted: true });
    const stored = await expectStored('under');
    const { status, body } = await api.request('GET', `/api/conversations/${stored.conversationId}/messages/${stored.messageId}/email`, { token: admin });
    expect(status).toBe(200);
    expect(body.email.htmlTruncated).toBe(true);
    expect(body.email.html.length).toBeLessThan(html.length);
  });

  it('stores broken MIME safely: a missing boundary, bad base64, broken headers', async () => {
    // The declared boundary never comes, the part's charset does not exist, stray bytes at the end.
    expect(await send(brokenMime)).toEqual({ accepted: true });
    await expectStored('broken');

    const badBase64 = [
      head('bad-base64', { 'Content-Type': 'multipart/mixed; boundary="b64"' }),
      '',
      '--b64',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      '!!!this is *not* base64 at all@@@',
      '--b64',
      'Content-Type: application/pdf; name="broken.pdf"',
      'Content-Disposition: attachment; filename="broken.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      '%%%%====JVBERi0xLjQK====%%%%',
      '--b64--',
      '',
    ].join('\r\n');
    expect(await send(badBase64)).toEqual({ accepted: true });
    await expectStored('bad-base64');

    const badHeaders = [
      head('bad-headers', { Subject: '=?x-unknown?B?SGVsbG8=?= =?utf-8?Q?broken=ZZ?=' }),
      'this line has no colon',
      `X-Long: ${'a'.repeat(20_000)}`,
      'Date: not a date at all',
      'Cc: ,,,<<>>@@, "unterminated',
      '',
      'Body after broken headers.',
      '',
    ].join('\r\n');
    expect(await send(badHeaders)).toEqual({ accepted: true });
    await expectStored('bad-headers');
  });

  it('stores mail in unknown or invalid charsets without a crash, the words it can read kept', async () => {
    const unknown = `${head('unknown-charset', { 'Content-Type': 'text/plain; charset=x-klingon' })}\r\n\r\nplain words in an unknown charset\r\n`;
    expect(await send(unknown)).toEqual({ accepted: true });
    const stored = await expectStored('unknown-charset');
    expect((await api.db.message.findUniqueOrThrow({ where: { id: stored.messageId! } })).body).toContain('plain words in an unknown charset');

    // Bytes that are not UTF-8 at all, declared as UTF-8.
    const invalid = Buffer.concat([
      Buffer.from(`${head('invalid-utf8')}\r\n\r\nbefore `),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]),
      Buffer.from(' after\r\n'),
    ]);
    expect(await send(invalid)).toEqual({ accepted: true });
    const body = (await api.db.message.findUniqueOrThrow({ where: { id: (await expectStored('invalid-utf8')).messageId! } })).body;
    expect(body).toMatch(/^before .* after$/s);
  });

  it('keeps serving after the whole matrix: a normal mail becomes its conversation', async () => {
    expect(await send(`${head('normal')}\r\n\r\nHello, where is my parcel?\r\n`)).toEqual({ accepted: true });
    const stored = await expectStored('normal');
    expect((await api.db.message.findUniqueOrThrow({ where: { id: stored.messageId! } })).body).toBe('Hello, where is my parcel?');
    expect(api.logged.filter((entry) => entry.error !== undefined)).toEqual([]);
  });
});
