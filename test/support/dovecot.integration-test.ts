// The test IMAP server itself: Dovecot from Debian, started by test/support/dovecot.ts.
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from './dovecot.js';

describe('test Dovecot', () => {
  let dovecot: DovecotServer;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(() => dovecot?.stop());

  it('logs in, appends a message, fetches it back by UID and reports UIDVALIDITY', async () => {
    const client = new ImapFlow(dovecot.imapOptions());
    await client.connect();
    try {
      const raw = Buffer.from(
        'From: Ann <ann@example.com>\r\nTo: support@example.com\r\nSubject: =?UTF-8?B?5L2g5aW9?=\r\nMessage-ID: <dovecot-1@example.com>\r\n\r\nHello 你好\r\n',
      );
      const appended = await client.append('INBOX', raw);
      expect(appended).toMatchObject({ uid: 1, uidValidity: expect.any(BigInt) });
      const lock = await client.getMailboxLock('INBOX');
      try {
        expect(client.mailbox && client.mailbox.uidValidity).toBe(appended && appended.uidValidity);
        const fetched = await client.fetchOne('1', { uid: true, source: true, envelope: true }, { uid: true });
        expect(fetched && fetched.source?.equals(raw)).toBe(true);
        expect(fetched && fetched.envelope?.subject).toBe('你好');
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  });

  it('refuses a wrong password', async () => {
    const client = new ImapFlow({ ...dovecot.imapOptions(), auth: { user: dovecot.user, pass: 'wrong' } });
    await expect(client.connect()).rejects.toThrow();
    client.close();
  });

  it('stops, and then accepts no connection', async () => {
    const other = await startDovecot();
    await other.stop();
    const client = new ImapFlow(other.imapOptions());
    await expect(client.connect()).rejects.toThrow();
    client.close();
  });
});
