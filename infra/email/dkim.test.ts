// DKIM: the mailer signs what it sends when a key is configured, and the signature of the mail a
// real SMTP server receives verifies against the public key (test/support/dkim-verify.ts, an
// independent rsa-sha256 relaxed/relaxed verifier); a half-configured key stops the start.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDkim } from '../../test/support/dkim-verify.js';
import { startSmtpInbox, type SmtpInbox } from '../../test/support/smtp-inbox.js';
import { DkimConfigError, dkimKeyFromEnv } from './dkim.js';
import { createMailer } from './mailer.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

let inbox: SmtpInbox;
beforeAll(async () => {
  inbox = await startSmtpInbox();
});
afterAll(async () => {
  await inbox.close();
});

const reply = {
  to: ['ann@example.com'],
  cc: ['bob@example.com'],
  from: { name: 'Shop 客服', address: 'help@shop.example' },
  replyTo: 'reply+abc@shop.example',
  subject: 'Re: 订单未发货 — order not delivered',
  text: 'Hello Ann,\n\nyour parcel left today.   Trailing spaces here   \n\n-- \nShop team\n',
  html: '<p>Hello Ann,</p><p>your parcel left today.</p>',
  messageId: '<dkim-test-1@shop.example>',
  inReplyTo: '<first@mail.example.com>',
  references: ['<first@mail.example.com>'],
};

describe('DKIM signing', () => {
  it('signs every mail with the configured key: the received signature verifies against the public key', async () => {
    const mailer = createMailer({
      SMTP_URL: inbox.url,
      MAIL_FROM: 'Seamless <support@shop.example>',
      DKIM_DOMAIN: 'shop.example',
      DKIM_SELECTOR: 'seamless2026',
      DKIM_PRIVATE_KEY: privatePem.replace(/\n/g, '\\n'), // one-line env form
    });
    const before = inbox.raw.length;
    expect(await mailer.send(reply)).toMatchObject({ sent: true });
    await inbox.waitForCount(before + 1);
    const raw = inbox.raw[before]!;

    const check = verifyDkim(raw, publicKey);
    expect(check.reason).toBeUndefined();
    expect(check.valid).toBe(true);
    expect(check.tags).toMatchObject({ d: 'shop.example', s: 'seamless2026', a: 'rsa-sha256' });
    const signedFields = check.tags.h!.toLowerCase().split(':');
    for (const name of ['from', 'to', 'cc', 'subject', 'date', 'message-id', 'reply-to', 'in-reply-to', 'references']) expect(signedFields).toContain(name);

    // Not signed with some other key, and a changed header or body breaks it.
    expect(verifyDkim(raw, other.publicKey)).toMatchObject({ valid: false, reason: 'signature does not verify' });
    const text = raw.toString('latin1');
    expect(
      verifyDkim(Buffer.from(text.replace('Message-ID: <dkim-test-1@shop.example>', 'Message-ID: <forged@shop.example>'), 'latin1'), publicKey).valid,
    ).toBe(false);
    const bodyAt = text.indexOf('\r\n\r\n') + 4;
    expect(verifyDkim(Buffer.from(`${text.slice(0, bodyAt)}X${text.slice(bodyAt)}`, 'latin1'), publicKey)).toMatchObject({
      valid: false,
      reason: 'body hash differs',
    });
  });

  it('reads the key from DKIM_PRIVATE_KEY_FILE too, and sends unsigned without any DKIM setting', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dkim-'));
    const file = path.join(dir, 'dkim.pem');
    writeFileSync(file, privatePem);
    const signed = createMailer({
      SMTP_URL: inbox.url,
      MAIL_FROM: 'support@shop.example',
      DKIM_DOMAIN: 'shop.example',
      DKIM_SELECTOR: 's1',
      DKIM_PRIVATE_KEY_FILE: file,
    });
    const unsigned = createMailer({ SMTP_URL: inbox.url, MAIL_FROM: 'support@shop.example' });
    const before = inbox.raw.length;
    await signed.send({ ...reply, messageId: '<dkim-test-2@shop.example>' });
    await inbox.waitForCount(before + 1);
    await unsigned.send({ ...reply, messageId: '<dkim-test-3@shop.example>' });
    await inbox.waitForCount(before + 2);
    const byId = (id: string) => inbox.raw[inbox.received.findIndex((mail) => mail.messageId === id)]!;
    expect(verifyDkim(byId('<dkim-test-2@shop.example>'), publicKey)).toMatchObject({ valid: true, tags: { s: 's1' } });
    expect(verifyDkim(byId('<dkim-test-3@shop.example>'), publicKey)).toMatchObject({ valid: false, reason: 'no DKIM-Signature header' });
  });
});

describe('dkimKeyFromEnv', () => {
  it('is null without DKIM settings and refuses a half-configured, unreadable or non-RSA key', () => {
    expect(dkimKeyFromEnv({})).toBeNull();
    expect(dkimKeyFromEnv({ DKIM_DOMAIN: ' ', DKIM_PRIVATE_KEY: '' })).toBeNull();
    expect(() => dkimKeyFromEnv({ DKIM_DOMAIN: 'shop.example' })).toThrow(/DKIM_SELECTOR, DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE missing/);
    expect(() => dkimKeyFromEnv({ DKIM_DOMAIN: 'shop.example', DKIM_SELECTOR: 's', DKIM_PRIVATE_KEY_FILE: '/nonexistent/dkim.pem' })).toThrow(DkimConfigError);
    expect(() => dkimKeyFromEnv({ DKIM_DOMAIN: 'shop.example', DKIM_SELECTOR: 's', DKIM_PRIVATE_KEY: 'not a key' })).toThrow(/not a PEM private key/);
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => dkimKeyFromEnv({ DKIM_DOMAIN: 'shop.example', DKIM_SELECTOR: 's', DKIM_PRIVATE_KEY: ed })).toThrow(/must be an RSA key/);
    expect(() => createMailer({ MAIL_FROM: 'support@shop.example', DKIM_SELECTOR: 's' })).toThrow(DkimConfigError);
  });
});
