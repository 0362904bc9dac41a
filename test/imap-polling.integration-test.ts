// IMAP polling end to end (issue 17): a real Dovecot (test/support/dovecot.ts), the API in this
// process with its outbox relay, PostgreSQL and Temporal, and workers built here with the inbound
// pipeline port (as worker/main.ts builds it), so a test can stop one in the middle of a poll.
// Mail appended to the mailbox becomes conversations on the email channel; a poller stopped
// between two deliveries resumes on the next worker without fetching anything twice or skipping
// anything, and reads what arrived while it was down; a recreated mailbox (new UIDVALIDITY) is
// read again and the pipeline's Message-ID dedupe keeps it exactly-once; a wrong password shows
// as the channel's health; switching polling off ends the workflow.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { InboundMailPort } from '../activities/mailbox-activities.js';
import { inboundMailPort } from '../api/services/email/inbound-port.js';
import { createAi } from '../infra/ai/create-ai.js';
import { createMailer } from '../infra/email/mailer.js';
import { createPostgresSearch } from '../infra/search/postgres-search.js';
import { imapPasswordBox } from '../infra/secrets/imap-passwords.js';
import { webhookSecretBox } from '../infra/secrets/webhook-secrets.js';
import { createWorker } from '../worker/create-worker.js';
import { startDovecot, type DovecotServer } from './support/dovecot.js';
import { testWorkflowBundle } from './support/workflow-bundle.js';
import { signIn } from './support/fixtures.js';
import { startSystem, type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';
import { startServiceProcess } from './support/service-process.js';
import { mailboxStateQuery } from '../workflows/mailbox.messages.js';

const mailboxName = 'Support';
let dovecot: DovecotServer;
let system: TestSystem;
let secret: string;
let admin: string;
let channelId: string;

/** Every message a worker's pipeline port took, by Message-ID, and a way to wait for the next ones. */
const ingested = new EventEmitter();
const messageIdOf = (raw: Buffer) => /^Message-ID:\s*<([^>]+)>/im.exec(raw.toString('latin1'))?.[1] ?? '?';

interface TestWorker {
  /** Message-IDs this worker handed to the pipeline, in order (a message it was stopped on is not listed). */
  took: string[];
  stop(): Promise<void>;
}

/**
 * A worker on the system's task queue with the real pipeline behind a recording port.
 * `blockAt`: the port holds the n-th message (1-based) until the worker is stopped, as a worker
 * killed between two deliveries, and `blocked` resolves when it gets there.
 */
async function startTestWorker(options: { blockAt?: number; maxMessageBytes?: number } = {}): Promise<TestWorker & { blocked: Promise<void> }> {
  const real = inboundMailPort(
    { db: system.db, temporal: system.temporal, taskQueue: system.taskQueue, secret, log: () => {} },
    { mailFrom: 'Seamless <support@seamless.local>', maxMessageBytes: options.maxMessageBytes },
  );
  const took: string[] = [];
  let calls = 0;
  let reached!: () => void;
  const blocked = new Promise<void>((resolve) => (reached = resolve));
  const port: InboundMailPort = {
    maxMessageBytes: real.maxMessageBytes,
    refuseOversize: real.refuseOversize,
    async ingest(raw, id) {
      calls += 1;
      if (calls === options.blockAt) {
        reached();
        // Held until the worker shuts down and cancels the poll: nothing of this message was stored.
        const { cancellationSignal } = Context.current();
        await new Promise<void>((_, reject) => cancellationSignal.addEventListener('abort', () => reject(new Error('worker stopped')), { once: true }));
      }
      const result = await real.ingest(raw, id);
      took.push(messageIdOf(raw));
      ingested.emit('ingested', messageIdOf(raw));
      return result;
    },
  };
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker: Worker = await createWorker({
    connection,
    namespace: system.namespace,
    taskQueue: system.taskQueue,
    db: system.db,
    temporal: system.temporal,
    ai: createAi(),
    search: createPostgresSearch(system.db),
    mailer: createMailer({ MAIL_FROM: 'Seamless <support@seamless.local>' }),
    webhookSecrets: webhookSecretBox(secret),
    // The test's Dovecot is on loopback: allowed as an operator allows an internal mail server.
    outboundAllowedHosts: ['127.0.0.1'],
    mailbox: { inbound: port, passwords: imapPasswordBox(secret), connectTimeoutMs: 5_000 },
    tuning: { workflowBundlePath: testWorkflowBundle().codePath },
  });
  const running = worker.run();
  return {
    took,
    blocked,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** Resolves once the pipeline has taken every one of these Message-IDs (from now on). */
function ingestedAll(ids: string[], timeoutMs = 45_000): Promise<void> {
  const left = new Set(ids);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ingested.off('ingested', onIngested);
      reject(new Error(`not ingested within ${timeoutMs} ms: ${[...left].join(', ')}`));
    }, timeoutMs);
    const onIngested = (id: string) => {
      left.delete(id);
      if (left.size > 0) return;
      clearTimeout(timer);
      ingested.off('ingested', onIngested);
      resolve();
    };
    ingested.on('ingested', onIngested);
  });
}

const mail = (id: string) =>
  Buffer.from(
    `From: Customer ${id} <${id}@customers.example>\r\nTo: support@seamless.local\r\nSubject: Question ${id}\r\nMessage-ID: <${id}@customers.example>\r\nDate: Sun, 06 Dec 2026 10:00:00 +0000\r\n\r\nHello, this is ${id}.\r\n`,
  );
const ids = (...names: string[]) => names.map((name) => `${name}@customers.example`);

async function withImap<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow(dovecot.imapOptions());
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}
const append = (...names: string[]) =>
  withImap(async (client) => {
    for (const name of names) await client.append(mailboxName, mail(name));
  });

const putImap = (changes: Record<string, unknown> = {}) =>
  system.request('PUT', `/api/channels/${channelId}/imap`, {
    token: admin,
    body: {
      host: dovecot.host,
      port: dovecot.port,
      tls: 'none',
      username: dovecot.user,
      password: dovecot.password,
      mailbox: mailboxName,
      pollIntervalSeconds: 15,
      ...changes,
    },
  });

/** The email channel's conversations' first messages, by sender address. */
async function conversationSenders(): Promise<string[]> {
  const conversations = await system.db.conversation.findMany({ where: { channelId }, include: { customer: true }, orderBy: { number: 'asc' } });
  return conversations.map((conversation) => conversation.customer.email ?? '?');
}

beforeAll(async () => {
  secret = randomBytes(48).toString('base64url');
  [dovecot, system] = await Promise.all([startDovecot(), startSystem({ inProcessWorker: false, secret, outboundAllowedHosts: ['127.0.0.1'] })]);
  ({ admin } = await signIn(system, 'admin'));
  const channels = (await system.request('GET', '/api/channels', { token: admin })).body.channels as { id: string; kind: string }[];
  channelId = channels.find((channel) => channel.kind === 'email')!.id;
  await withImap((client) => client.mailboxCreate(mailboxName));
});
afterAll(async () => {
  await system?.stop();
  await dovecot?.stop();
});

describe('IMAP polling', () => {
  it('turns mail into conversations, and a poller stopped between two deliveries resumes on another worker without fetching twice or skipping', async () => {
    await append('m1', 'm2', 'm3', 'm4', 'm5');
    const first = await startTestWorker({ blockAt: 3 });
    const firstTwo = ingestedAll(ids('m1', 'm2'));
    expect(await putImap()).toMatchObject({ status: 200, body: { imap: { enabled: true, passwordSet: true } } });
    await firstTwo;
    await first.blocked;
    // The worker dies in the middle of the poll (m3 handed over, not stored); mail keeps arriving meanwhile.
    await first.stop();
    expect(first.took).toEqual(ids('m1', 'm2'));
    await append('m6', 'm7');

    const rest = ingestedAll(ids('m3', 'm4', 'm5', 'm6', 'm7'));
    const second = await startTestWorker();
    try {
      await rest;
      // Fetched nothing twice, skipped nothing: the second worker started at m3, where the first stopped.
      expect(second.took).toEqual(ids('m3', 'm4', 'm5', 'm6', 'm7'));
      expect((await conversationSenders()).sort()).toEqual(ids('m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7').sort());
      expect(await system.db.inboundEmail.count({ where: { channelId, status: 'processed' } })).toBe(7);
      // The checkpoint moves after each message is stored: it reaches the last one just after.
      const checkpoint = () => system.db.imapCheckpoint.findUniqueOrThrow({ where: { channelId_mailbox: { channelId, mailbox: mailboxName } } });
      expect(await waitUntil(async () => ((await checkpoint()).lastUid === 7 ? checkpoint() : null), 15_000)).toMatchObject({ lastUid: 7 });
      // The conversations run like chat ones: their workflows are started through the outbox (the
      // worker wrote the rows; the API's relay delivered them).
      const conversations = await system.db.conversation.findMany({ where: { channelId }, select: { workflowId: true } });
      for (const { workflowId } of conversations) {
        await waitUntil(() =>
          system.temporal.workflow
            .getHandle(workflowId)
            .describe()
            .then(() => true)
            .catch(() => null),
        );
      }
      const health = await waitUntil(async () => {
        const { body } = await system.request('GET', `/api/channels/${channelId}/imap`, { token: admin });
        return body.imap.health.status === 'ok' ? body.imap.health : null;
      });
      expect(health).toMatchObject({ lastPolledAt: expect.any(String) });

      // The mailbox is recreated (new UIDVALIDITY) with the old mail and one new message: read
      // again from the start, the old ones are dropped by Message-ID, the new one arrives once.
      await withImap(async (client) => {
        await client.mailboxDelete(mailboxName);
        await client.mailboxCreate(mailboxName);
      });
      await append('m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8');
      const reread = ingestedAll(ids('m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'));
      await putImap({ password: undefined }); // a settings change: the poller looks now
      await reread;
      expect((await conversationSenders()).sort()).toEqual(ids('m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8').sort());
      expect(await system.db.inboundEmail.count({ where: { channelId } })).toBe(8);
    } finally {
      await second.stop();
    }
    // Two workers, a retry after the first stops, a recreated folder (a poll idling on the deleted one
    // ends at the settings change, within 5 s): more than the default minute on a loaded machine.
  }, 120_000);

  it('shows a wrong password as the channel health, and polls again once it is corrected; switching polling off ends the workflow', async () => {
    const worker = await startTestWorker();
    try {
      await putImap({ password: 'not-the-password' });
      const failing = await waitUntil(async () => {
        const { body } = await system.request('GET', '/api/channels', { token: admin });
        const imap = body.channels.find((channel: { id: string }) => channel.id === channelId).imap;
        return imap.health.status === 'failing' ? imap.health : null;
      }, 30_000);
      expect(failing).toMatchObject({
        lastErrorCode: 'auth_failed',
        lastError: expect.stringMatching(/^Authentication failed/),
        lastErrorAt: expect.any(String),
      });
      expect(await system.request('POST', `/api/channels/${channelId}/imap/test`, { token: admin, body: {} })).toMatchObject({
        status: 200,
        body: { ok: false, code: 'auth_failed', message: expect.stringMatching(/^Authentication failed/) },
      });

      // Corrected: the signal cuts the back-off short, the next poll reads what came meanwhile.
      await append('m9');
      const m9 = ingestedAll(ids('m9'));
      await putImap();
      await m9;
      expect(worker.took).toEqual(ids('m9'));
      await waitUntil(async () => {
        const { body } = await system.request('GET', `/api/channels/${channelId}/imap`, { token: admin });
        return body.imap.health.status === 'ok' ? true : null;
      });

      await putImap({ enabled: false });
      const handle = system.temporal.workflow.getHandle(`mailbox-${channelId}`);
      await expect(handle.result()).resolves.toBeUndefined();
      expect((await handle.describe()).status.name).toBe('COMPLETED');
    } finally {
      await worker.stop();
    }
  });

  it('holds an IMAP IDLE between polls: mail appended while the poller idles becomes a conversation long before the poll interval', async () => {
    await withImap((client) => client.mailboxCreate('Idle'));
    const worker = await startTestWorker();
    try {
      // An hour between polls: only the IDLE can explain mail read within the test's time.
      expect(await putImap({ mailbox: 'Idle', pollIntervalSeconds: 3600 })).toMatchObject({ status: 200 });
      // The first poll has read the (empty) folder; from then on the poll idles on it.
      const checkpoint = () => system.db.imapCheckpoint.findUnique({ where: { channelId_mailbox: { channelId, mailbox: 'Idle' } } });
      await waitUntil(checkpoint, 30_000);
      for (const name of ['i1', 'i2']) {
        const arrived = ingestedAll(ids(name), 30_000);
        await withImap((client) => client.append('Idle', mail(name)));
        await arrived;
        expect(await conversationSenders()).toContain(`${name}@customers.example`);
      }
      const polls = (await system.temporal.workflow.getHandle(`mailbox-${channelId}`).query(mailboxStateQuery)).polls;
      // The first poll, then one per mail the IDLE announced (each poll idles again).
      expect(polls).toBeGreaterThanOrEqual(3);
    } finally {
      await putImap({ mailbox: 'Idle', enabled: false });
      await system.temporal.workflow.getHandle(`mailbox-${channelId}`).result();
      await worker.stop();
    }
  });

  it('imports only the last days of a mailbox connected for the first time (importDays), then everything new', async () => {
    const day = 86_400_000;
    await withImap(async (client) => {
      for (const folder of ['Import', 'ImportNone']) await client.mailboxCreate(folder);
      // Received 30 days and 1 day ago (INTERNALDATE), and just now.
      await client.append('Import', mail('old'), [], new Date(Date.now() - 30 * day));
      await client.append('Import', mail('yesterday'), [], new Date(Date.now() - day));
      await client.append('ImportNone', mail('hour-ago'), [], new Date(Date.now() - 3_600_000));
    });
    const worker = await startTestWorker();
    try {
      // The default: the last 3 days. The old mail stays in the mailbox, unread by us.
      const recent = ingestedAll(ids('yesterday'));
      expect(await putImap({ mailbox: 'Import' })).toMatchObject({ status: 200, body: { imap: { importDays: 3 } } });
      await recent;
      // After the first import the checkpoint rules: new mail is read, whatever its date.
      const next = ingestedAll(ids('later'));
      await withImap((client) => client.append('Import', mail('later'), [], new Date()));
      await next;
      expect(await system.db.inboundEmail.count({ where: { channelId, emailMessageId: 'old@customers.example' } })).toBe(0);
      expect(worker.took).toEqual(ids('yesterday', 'later'));

      // 0 days: only mail that arrives after the settings were saved (the row's creation, earlier in this file).
      expect(await putImap({ mailbox: 'ImportNone', importDays: 0 })).toMatchObject({ status: 200, body: { imap: { importDays: 0 } } });
      const checkpoint = () => system.db.imapCheckpoint.findUnique({ where: { channelId_mailbox: { channelId, mailbox: 'ImportNone' } } });
      expect(await waitUntil(checkpoint, 30_000)).toMatchObject({ lastUid: 1 });
      const fresh = ingestedAll(ids('fresh'));
      await withImap((client) => client.append('ImportNone', mail('fresh')));
      await fresh;
      expect(worker.took).toEqual(ids('yesterday', 'later', 'fresh'));
    } finally {
      await putImap({ mailbox: 'Import', enabled: false });
      await system.temporal.workflow.getHandle(`mailbox-${channelId}`).result();
      await worker.stop();
    }
  });

  it('refuses mail over the size limit with a reason an admin sees, stores none of it, and reads on past it', async () => {
    await withImap(async (client) => {
      await client.mailboxCreate('Big');
      await client.append('Big', Buffer.concat([mail('huge'), Buffer.alloc(40_000, 'x')]));
      await client.append('Big', mail('small'));
    });
    const worker = await startTestWorker({ maxMessageBytes: 20_000 });
    try {
      const small = ingestedAll(ids('small'));
      expect(await putImap({ mailbox: 'Big' })).toMatchObject({ status: 200 });
      await small;
      expect(worker.took).toEqual(ids('small'));
      const refused = await system.db.inboundEmail.findFirstOrThrow({ where: { channelId, emailMessageId: 'huge@customers.example' } });
      expect(refused).toMatchObject({
        status: 'refused',
        reason: expect.stringMatching(/^too_large: The message is \d+ bytes, over the limit of 20000 bytes/),
        fromAddress: 'huge@customers.example',
        subject: 'Question huge',
        conversationId: null,
        messageId: null,
      });
      expect(refused.raw.length).toBe(0);
      expect(await system.db.attachment.count({ where: { inboundEmailId: refused.id } })).toBe(0);
      // The admin sees it on the channel; the checkpoint moved past both.
      const { body } = await system.request('GET', `/api/channels/${channelId}/imap`, { token: admin });
      expect(body.imap.health).toMatchObject({
        lastErrorCode: 'message_too_large',
        lastError: expect.stringMatching(/^Refused a message from huge@customers.example \("Question huge"\) of \d+ bytes: over the limit of 20000 bytes/),
      });
      const checkpoint = await waitUntil(async () => {
        const row = await system.db.imapCheckpoint.findUnique({ where: { channelId_mailbox: { channelId, mailbox: 'Big' } } });
        return row?.lastUid === 2 ? row : null;
      });
      expect(checkpoint.lastUid).toBe(2);
      // Refused once, not again on the next polls.
      expect(await system.db.inboundEmail.count({ where: { channelId, emailMessageId: 'huge@customers.example' } })).toBe(1);
    } finally {
      await putImap({ mailbox: 'Big', enabled: false });
      await system.temporal.workflow.getHandle(`mailbox-${channelId}`).result();
      await worker.stop();
    }
  });

  it('runs in the worker process as npm start runs it (worker/main.ts wires the pipeline and the password box)', async () => {
    // The worker reads the server secret from DATA_DIR, as without SEAMLESS_SECRET: the API's, so it opens what the API sealed.
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'seamless-imap-worker-'));
    writeFileSync(path.join(dataDir, 'secret.key'), secret);
    const worker = await startServiceProcess({
      entry: 'worker/main.ts',
      env: {
        DATABASE_URL: system.databaseUrl,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: system.taskQueue,
        TEMPORAL_NAMESPACE: system.namespace,
        DATA_DIR: dataDir,
        OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      },
      readyLine: 'worker polling task queue',
      readyTimeoutMs: 60_000,
    });
    try {
      await withImap((client) => client.mailboxCreate('Process'));
      await withImap((client) => client.append('Process', mail('p1')));
      await putImap({ mailbox: 'Process' });
      const sender = await waitUntil(async () => {
        const row = await system.db.inboundEmail.findFirst({ where: { channelId, emailMessageId: 'p1@customers.example', status: 'processed' } });
        return row?.fromAddress ?? null;
      }, 60_000);
      expect(sender).toBe('p1@customers.example');
      expect(await conversationSenders()).toContain('p1@customers.example');
      await putImap({ mailbox: 'Process', enabled: false });
      await expect(system.temporal.workflow.getHandle(`mailbox-${channelId}`).result()).resolves.toBeUndefined();
    } finally {
      expect(await worker.stop('SIGTERM')).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
