// Logging in to a real Dovecot (test/support/dovecot.ts) and naming each way it fails: what the
// admin's "test connection" answers and what the channel's health records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../../test/support/dovecot.js';
import { freePort } from '../../../test/support/free-port.js';
import { outboundPolicyOf, strictOutboundPolicy } from '../../outbound/outbound-guard.js';
import { testImapAccount, type ImapAccount } from './imap-connect.js';

/** The test server is on loopback: allowed as an operator allows an internal mail server. */
const loopbackAllowed = { policy: outboundPolicyOf(['127.0.0.1']) };
const quick = { ...loopbackAllowed, timeoutMs: 5_000 };

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
    expect(await testImapAccount(account(), 'INBOX', loopbackAllowed)).toEqual({
      ok: true,
      mailbox: { path: 'INBOX', messages: 0, uidValidity: expect.stringMatching(/^\d+$/) },
    });
  });

  it('says "authentication failed" for a wrong password', async () => {
    const result = await testImapAccount(account({ password: 'not-the-password' }), 'INBOX', loopbackAllowed);
    expect(result).toMatchObject({ ok: false, code: 'auth_failed', message: expect.stringMatching(/^Authentication failed/) });
  });

  it('says it cannot connect when nothing listens on the port', async () => {
    const result = await testImapAccount(account({ port: await freePort() }), 'INBOX', quick);
    expect(result).toMatchObject({ ok: false, code: 'connect_failed', message: expect.stringMatching(/^Cannot connect/) });
  });

  it('says TLS failed when the server does not speak TLS on the port, or does not offer STARTTLS', async () => {
    expect(await testImapAccount(account({ tls: 'tls' }), 'INBOX', quick)).toMatchObject({ ok: false, code: 'tls_failed' });
    expect(await testImapAccount(account({ tls: 'starttls' }), 'INBOX', quick)).toMatchObject({ ok: false, code: 'tls_failed' });
  });

  it('names a mailbox that does not exist', async () => {
    expect(await testImapAccount(account(), 'No Such Folder', loopbackAllowed)).toMatchObject({ ok: false, code: 'mailbox_not_found' });
  });

  it('refuses an internal server unless OUTBOUND_ALLOWED_HOSTS names it, and cleartext to any other host, before connecting', async () => {
    for (const [changes, policy, reason] of [
      [{}, strictOutboundPolicy, /127\.0\.0\.1 is a loopback address/],
      [{ host: 'localhost' }, strictOutboundPolicy, /localhost names an internal host/],
      [{ host: '10.1.2.3', tls: 'tls' }, strictOutboundPolicy, /10\.1\.2\.3 is a private address/],
      // A public address taking the password in clear: refused whatever it is.
      [{ host: '93.184.215.14', tls: 'none' }, outboundPolicyOf(['127.0.0.1']), /unencrypted connection is allowed only to hosts in OUTBOUND_ALLOWED_HOSTS/],
      // A name that resolves to an internal address (as in DNS rebinding) is judged by its address.
      [
        { host: 'mail.example.com', tls: 'tls' },
        { allowedHosts: [], resolve: async () => [{ address: '127.0.0.1', family: 4 as const }] },
        /resolves to 127\.0\.0\.1/,
      ],
    ] as const) {
      const result = await testImapAccount(account(changes as Partial<ImapAccount>), 'INBOX', { policy, timeoutMs: 5_000 });
      expect(result).toMatchObject({ ok: false, code: 'host_not_allowed', message: expect.stringMatching(reason) });
    }
  });
});
