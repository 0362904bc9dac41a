// Logging in to a real Dovecot (test/support/dovecot.ts) and naming each way it fails: what the
// admin's "test connection" answers and what the channel's health records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../../test/support/dovecot.js';
import { freePort } from '../../../test/support/free-port.js';
import { testImapAccount, type ImapAccount } from './imap-connect.js';

let dovecot: DovecotServer;
beforeAll(async () => {
  dovecot = await startDovecot();
});
afterAll(() => dovecot?.stop());

const account = (changes: Partial<ImapAccount> = {}): ImapAccount => ({
  host: dovecot.host,
  port: dovecot.port,
  tls: 'none',
  username: dovecot.user,
  password: dovecot.password,
  ...changes,
});

describe('testImapAccount', () => {
  it('logs in and opens the mailbox read-only', async () => {
    expect(await testImapAccount(account(), 'INBOX')).toEqual({
      ok: true,
      mailbox: { path: 'INBOX', messages: 0, uidValidity: expect.stringMatching(/^\d+$/) },
    });
  });

  it('says "authentication failed" for a wrong password', async () => {
    const result = await testImapAccount(account({ password: 'not-the-password' }), 'INBOX');
    expect(result).toMatchObject({ ok: false, code: 'auth_failed', message: expect.stringMatching(/^Authentication failed/) });
  });

  it('says it cannot connect when nothing listens on the port', async () => {
    const result = await testImapAccount(account({ port: await freePort() }), 'INBOX', 5_000);
    expect(result).toMatchObject({ ok: false, code: 'connect_failed', message: expect.stringMatching(/^Cannot connect/) });
  });

  it('says TLS failed when the server does not speak TLS on the port, or does not offer STARTTLS', async () => {
    expect(await testImapAccount(account({ tls: 'tls' }), 'INBOX', 5_000)).toMatchObject({ ok: false, code: 'tls_failed' });
    expect(await testImapAccount(account({ tls: 'starttls' }), 'INBOX', 5_000)).toMatchObject({ ok: false, code: 'tls_failed' });
  });

  it('names a mailbox that does not exist', async () => {
    expect(await testImapAccount(account(), 'No Such Folder')).toMatchObject({ ok: false, code: 'mailbox_not_found' });
  });
});
