// The IMAP mailbox reader against a real Dovecot (test/support/dovecot.ts): restarts, mail that
// arrives while the reader is stopped, a crash in the middle of a run, a recreated mailbox.
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../../test/support/dovecot.js';
import { readNewMail, type CheckpointStore, type FetchedMail, type MailboxCheckpoint } from './imap-mailbox.js';
import { parseInboundEmail } from './parse-inbound.js';

let dovecot: DovecotServer;
beforeAll(async () => {
  dovecot = await startDovecot();
});
afterAll(() => dovecot?.stop());

/** A checkpoint kept across reader "restarts", as a database row would be. */
function memoryCheckpoints(): CheckpointStore & { saved: MailboxCheckpoint | null } {
  const store = {
    saved: null as MailboxCheckpoint | null,
    load: async () => store.saved,
    save: async (checkpoint: MailboxCheckpoint) => {
      store.saved = checkpoint;
    },
  };
  return store;
}

const mail = (id: string, subject = id) =>
  Buffer.from(`From: customer@example.com\r\nTo: support@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${id}@example.com>\r\n\r\nbody of ${id}\r\n`);

/** One reader process: its own connection, its own lifetime. */
async function runReader(
  mailbox: string,
  checkpoints: CheckpointStore,
  deliver: (mail: FetchedMail) => Promise<void>,
  extra: { maxMessages?: number; maxMessageBytes?: number } = {},
) {
  const client = new ImapFlow(dovecot.imapOptions());
  await client.connect();
  try {
    return await readNewMail({ client, mailbox, checkpoints, deliver, ...extra });
  } finally {
    await client.logout();
  }
}

async function append(mailbox: string, ...messages: Buffer[]): Promise<void> {
  const client = new ImapFlow(dovecot.imapOptions());
  await client.connect();
  try {
    for (const message of messages) await client.append(mailbox, message);
  } finally {
    await client.logout();
  }
}

async function withClient<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow(dovecot.imapOptions());
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}

const messageIdOf = async (raw: Buffer) => {
  const parsed = await parseInboundEmail(raw);
  if (!parsed.ok) throw new Error(parsed.refusal.message);
  return parsed.email.messageId;
};

describe('readNewMail', () => {
  it('fetches every message once across restarts, and what arrived while the reader was stopped', async () => {
    await withClient((client) => client.mailboxCreate('Restarts'));
    const checkpoints = memoryCheckpoints();
    const received: string[] = [];
    const deliver = async (fetched: FetchedMail) => {
      received.push((await messageIdOf(fetched.raw))!);
    };

    await append('Restarts', mail('a'), mail('b'), mail('c'));
    expect(await runReader('Restarts', checkpoints, deliver)).toMatchObject({ delivered: 3, reset: false, more: false });
    // The reader is stopped; mail keeps arriving.
    await append('Restarts', mail('d'), mail('e'));
    expect(await runReader('Restarts', checkpoints, deliver)).toMatchObject({ delivered: 2 });
    // Nothing new: nothing fetched.
    expect(await runReader('Restarts', checkpoints, deliver)).toMatchObject({ delivered: 0 });
    expect(received).toEqual(['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com', 'e@example.com']);
    expect(checkpoints.saved).toEqual({ uidValidity: expect.stringMatching(/^\d+$/), lastUid: 5 });
  });

  it('resumes after a crash in the middle of a run without skipping or repeating a message', async () => {
    await withClient((client) => client.mailboxCreate('Crash'));
    await append('Crash', mail('1'), mail('2'), mail('3'), mail('4'));
    const checkpoints = memoryCheckpoints();
    const received: string[] = [];
    let crashAt: string | null = '3@example.com';
    const deliver = async (fetched: FetchedMail) => {
      const id = (await messageIdOf(fetched.raw))!;
      if (id === crashAt) throw new Error('the pipeline went down');
      received.push(id);
    };
    await expect(runReader('Crash', checkpoints, deliver)).rejects.toThrow('the pipeline went down');
    expect(checkpoints.saved?.lastUid).toBe(2);
    crashAt = null;
    expect(await runReader('Crash', checkpoints, deliver)).toMatchObject({ delivered: 2 });
    expect(received).toEqual(['1@example.com', '2@example.com', '3@example.com', '4@example.com']);
  });

  it('works through a backlog in bounded runs, and skips oversize mail without downloading it', async () => {
    await withClient((client) => client.mailboxCreate('Backlog'));
    const big = Buffer.concat([mail('big'), Buffer.alloc(20_000, 'x')]);
    await append('Backlog', mail('m1'), big, mail('m2'), mail('m3'));
    const checkpoints = memoryCheckpoints();
    const received: string[] = [];
    const deliver = async (fetched: FetchedMail) => {
      received.push((await messageIdOf(fetched.raw))!);
    };
    expect(await runReader('Backlog', checkpoints, deliver, { maxMessages: 2, maxMessageBytes: 10_000 })).toMatchObject({
      delivered: 1,
      oversize: 1,
      more: true,
    });
    expect(await runReader('Backlog', checkpoints, deliver, { maxMessages: 2, maxMessageBytes: 10_000 })).toMatchObject({
      delivered: 2,
      oversize: 0,
      more: false,
    });
    expect(received).toEqual(['m1@example.com', 'm2@example.com', 'm3@example.com']);
  });

  it('reads a recreated mailbox (new UIDVALIDITY) again from the start', async () => {
    await withClient((client) => client.mailboxCreate('Recreated'));
    await append('Recreated', mail('old1'), mail('old2'));
    const checkpoints = memoryCheckpoints();
    const received: string[] = [];
    const deliver = async (fetched: FetchedMail) => {
      received.push((await messageIdOf(fetched.raw))!);
    };
    await runReader('Recreated', checkpoints, deliver);
    const before = checkpoints.saved!;
    await withClient(async (client) => {
      await client.mailboxDelete('Recreated');
      await client.mailboxCreate('Recreated');
    });
    await append('Recreated', mail('new1'));
    const result = await runReader('Recreated', checkpoints, deliver);
    expect(result).toMatchObject({ delivered: 1, reset: true });
    expect(checkpoints.saved?.uidValidity).not.toBe(before.uidValidity);
    expect(received).toEqual(['old1@example.com', 'old2@example.com', 'new1@example.com']);
  });

  it('reads without marking anything as seen', async () => {
    await withClient((client) => client.mailboxCreate('Unseen'));
    await append('Unseen', mail('u1'));
    await runReader('Unseen', memoryCheckpoints(), async () => {});
    const unseen = await withClient(async (client) => (await client.status('Unseen', { unseen: true })) || null);
    expect(unseen?.unseen).toBe(1);
  });
});
