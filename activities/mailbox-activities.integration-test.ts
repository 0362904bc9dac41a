// The poll activity against a real database (cloned from the seeded template) and a real Dovecot
// (test/support/dovecot.ts), with a recording pipeline port: what it records as the channel's
// health, which failures it retries, and a checkpoint that only moves forward.
import { randomBytes } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../infra/db.js';
import { imapPasswordBox } from '../infra/secrets/imap-passwords.js';
import { startDovecot, type DovecotServer } from '../test/support/dovecot.js';
import { cloneTemplateDatabase } from '../test/support/test-database.js';
import { checkpointStore, createMailboxActivities, mailboxFailures, type InboundMailPort, type OversizeMail } from './mailbox-activities.js';

let db: Db;
let dovecot: DovecotServer;
let channelId: string;
const secret = randomBytes(32).toString('hex');
const passwords = imapPasswordBox(secret);

beforeAll(async () => {
  [db, dovecot] = await Promise.all([cloneTemplateDatabase(inject('postgresAdminUrl')).then((url) => createDb(url, { poolSize: 2 })), startDovecot()]);
  channelId = (await db.channel.findFirstOrThrow({ where: { kind: 'email' } })).id;
  const client = new ImapFlow(dovecot.imapOptions());
  await client.connect();
  await client.mailboxCreate('Activity');
  await client.append('Activity', mail('a1'));
  await client.append('Activity', Buffer.concat([mail('big'), Buffer.alloc(50_000, 'x')]));
  await client.append('Activity', mail('a2'));
  await client.logout();
});
afterAll(async () => {
  await db?.$disconnect();
  await dovecot?.stop();
});

function mail(id: string) {
  return Buffer.from(`From: someone@example.com\r\nTo: support@seamless.local\r\nSubject: ${id}\r\nMessage-ID: <${id}@example.com>\r\n\r\nbody ${id}\r\n`);
}

async function configure(changes: { password?: string; mailbox?: string; enabled?: boolean } = {}) {
  const settings = {
    host: dovecot.host,
    port: dovecot.port,
    tls: 'none' as const,
    username: dovecot.user,
    passwordSealed: passwords.seal(changes.password ?? dovecot.password, channelId),
    mailbox: changes.mailbox ?? 'Activity',
    enabled: changes.enabled ?? true,
    pollIntervalSeconds: 30,
  };
  await db.imapMailbox.upsert({ where: { channelId }, create: { channelId, ...settings }, update: settings });
}

/** A pipeline port that records Message-IDs; `failOn`: throws on that one, as a database outage would. */
function recordingPort(options: { failOn?: string; maxMessageBytes?: number } = {}) {
  const took: string[] = [];
  const refused: OversizeMail[] = [];
  const port: InboundMailPort = {
    maxMessageBytes: options.maxMessageBytes ?? 10_000,
    async ingest(raw) {
      const id = /Message-ID: <([^>]+)>/.exec(raw.toString())![1]!;
      if (id === options.failOn) throw new Error('the database went away');
      took.push(id);
      return { outcome: 'processed' };
    },
    async refuseOversize(_channelId, mail) {
      refused.push(mail);
    },
  };
  return { port, took, refused };
}

const poll = (port: InboundMailPort) =>
  new MockActivityEnvironment().run(
    createMailboxActivities({ db, outboundAllowedHosts: ['127.0.0.1'], mailbox: { inbound: port, passwords, connectTimeoutMs: 5_000 } }).pollMailbox,
    { channelId },
  );
const health = () => db.imapMailbox.findUniqueOrThrow({ where: { channelId } });

describe('pollMailbox', () => {
  it('says polling is off when it is switched off or not set up, touching nothing', async () => {
    const { port, took } = recordingPort();
    expect(await poll(port)).toEqual({ kind: 'disabled' });
    await configure({ enabled: false });
    expect(await poll(port)).toEqual({ kind: 'disabled' });
    expect(took).toEqual([]);
  });

  it('records a wrong password or a missing folder as the health, and does not retry what only an admin can fix', async () => {
    for (const [changes, code] of [
      [{ password: 'wrong' }, 'auth_failed'],
      [{ mailbox: 'Nowhere' }, 'mailbox_not_found'],
    ] as const) {
      await configure(changes);
      const failure = await poll(recordingPort().port).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: mailboxFailures.lasting, nonRetryable: true });
      expect(await health()).toMatchObject({ lastErrorCode: code, lastErrorAt: expect.any(Date), lastPolledAt: null });
    }
  });

  it('stops at a message the pipeline could not take, retryable, with the checkpoint before it; skips oversize mail; resumes there', async () => {
    await configure();
    const failing = recordingPort({ failOn: 'a2@example.com' });
    const failure = await poll(failing.port).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(ApplicationFailure); // a plain error: Temporal retries it
    expect(failing.took).toEqual(['a1@example.com']);
    expect(await health()).toMatchObject({ lastErrorCode: 'pipeline_failed', lastError: expect.stringContaining('the database went away') });
    // The oversize message (UID 2) was passed over without being downloaded, refused by what the
    // server's envelope says of it; a2 (UID 3) was not taken.
    expect(failing.refused).toEqual([expect.objectContaining({ mailbox: 'Activity', uid: 2, maxBytes: 10_000, messageId: 'big@example.com' })]);
    expect(failing.refused[0]!.size).toBeGreaterThan(50_000);
    expect(await checkpointStore(db, channelId, 'Activity').load()).toMatchObject({ lastUid: 2 });

    const working = recordingPort();
    expect(await poll(working.port)).toMatchObject({ kind: 'polled', delivered: 1, oversize: 0, more: false, intervalMs: 30_000 });
    expect(working.took).toEqual(['a2@example.com']);
    const after = await health();
    expect(after.lastPolledAt).not.toBeNull();
    expect(after.lastPolledAt!.getTime()).toBeGreaterThan(after.lastErrorAt!.getTime());
  });

  it('ends the IDLE after a pass when the settings were saved while that pass was reading (it does not idle on the old ones)', async () => {
    const client = new ImapFlow(dovecot.imapOptions());
    await client.connect();
    await client.mailboxCreate('Race');
    await client.append('Race', mail('r1'));
    await client.logout();
    await configure({ mailbox: 'Race' });
    // The admin saves a new poll interval while the pass hands r1 to the pipeline, before the IDLE begins.
    const { port, took } = recordingPort();
    const ingest = port.ingest;
    port.ingest = async (raw, id) => {
      await db.imapMailbox.update({ where: { channelId }, data: { pollIntervalSeconds: 45 } });
      return ingest(raw, id);
    };
    // An IDLE of up to 10 minutes: only noticing the change can end it within the test's 30 s.
    const activities = createMailboxActivities({ db, outboundAllowedHosts: ['127.0.0.1'], mailbox: { inbound: port, passwords, connectTimeoutMs: 5_000 } });
    const environment = new MockActivityEnvironment({ startToCloseTimeoutMs: 15 * 60_000, currentAttemptScheduledTimestampMs: Date.now() });
    const result = await environment.run(activities.pollMailbox, { channelId, idleSeconds: 600 });
    expect(result).toMatchObject({ kind: 'polled', delivered: 1, idle: 'ended' });
    expect(took).toEqual(['r1@example.com']);
  }, 30_000);
});

describe('checkpointStore', () => {
  it('moves forward only within one UIDVALIDITY, and starts over for a new one', async () => {
    const store = checkpointStore(db, channelId, 'Forward');
    expect(await store.load()).toBeNull();
    await store.save({ uidValidity: '100', lastUid: 5 });
    await store.save({ uidValidity: '100', lastUid: 3 }); // a late, superseded attempt
    expect(await store.load()).toEqual({ uidValidity: '100', lastUid: 5 });
    await store.save({ uidValidity: '200', lastUid: 1 });
    expect(await store.load()).toEqual({ uidValidity: '200', lastUid: 1 });
  });
});
