// Reading a mailbox over IMAP (imapflow) so that nothing is fetched twice and nothing is skipped,
// across restarts and outages. The checkpoint is (UIDVALIDITY, last UID delivered): IMAP promises
// that UIDs only grow within one UIDVALIDITY, so "everything above the last UID" is exactly the
// new mail, including what arrived while the reader was stopped. When UIDVALIDITY changes (the
// mailbox was recreated or the server rebuilt it) the old UIDs mean nothing: everything is read
// again from UID 1 and the pipeline's Message-ID dedupe drops what was seen before.
//
// Delivery is at-least-once by construction and exactly-once in practice: the checkpoint is saved
// after each message is delivered, so a crash between the two redelivers that one message (the
// pipeline dedupes it by Message-ID) and never loses one. The mailbox is opened read-only
// (EXAMINE): reading marks nothing as seen and moves nothing.
import type { ImapFlow } from 'imapflow';

export interface MailboxCheckpoint {
  /** UIDVALIDITY as a decimal string (it is a 32-bit unsigned number; imapflow gives a bigint). */
  uidValidity: string;
  /** The highest UID delivered (0: none yet). */
  lastUid: number;
}

export interface MailboxStatus {
  uidValidity: string;
  /** The UID the next message will get. */
  uidNext: number;
  /** Messages in the mailbox now. */
  messages: number;
}

export type MailboxFetchPlan =
  | { kind: 'up-to-date' }
  /** Record this checkpoint without fetching (a first run that starts from now, or an empty mailbox). */
  | { kind: 'baseline'; checkpoint: MailboxCheckpoint }
  /** Fetch every message with UID ≥ fromUid; `reset`: UIDVALIDITY changed, the old checkpoint is void. */
  | { kind: 'fetch'; fromUid: number; reset: boolean };

/**
 * What to fetch next (pure). `initial` decides a first run: 'all' backfills the whole mailbox,
 * 'new-only' starts from the mail that arrives after it.
 */
export function planMailboxFetch(checkpoint: MailboxCheckpoint | null, status: MailboxStatus, initial: 'all' | 'new-only' = 'all'): MailboxFetchPlan {
  const sameMailbox = checkpoint !== null && checkpoint.uidValidity === status.uidValidity;
  if (checkpoint === null && initial === 'new-only')
    return { kind: 'baseline', checkpoint: { uidValidity: status.uidValidity, lastUid: Math.max(0, status.uidNext - 1) } };
  if (status.messages === 0) {
    return sameMailbox ? { kind: 'up-to-date' } : { kind: 'baseline', checkpoint: { uidValidity: status.uidValidity, lastUid: 0 } };
  }
  if (!sameMailbox) return { kind: 'fetch', fromUid: 1, reset: checkpoint !== null };
  if (status.uidNext - 1 <= checkpoint.lastUid) return { kind: 'up-to-date' };
  return { kind: 'fetch', fromUid: checkpoint.lastUid + 1, reset: false };
}

export interface CheckpointStore {
  load(): Promise<MailboxCheckpoint | null>;
  /** Must be durable when it resolves: the next run starts from what was saved. */
  save(checkpoint: MailboxCheckpoint): Promise<void>;
}

export interface FetchedMail {
  raw: Buffer;
  uid: number;
  uidValidity: string;
  mailbox: string;
}

export interface ReadMailboxOptions {
  /** A connected client (the caller connects, logs in and logs out). */
  client: ImapFlow;
  mailbox?: string;
  checkpoints: CheckpointStore;
  /** Hands one message to the inbound pipeline (store the raw bytes first). A throw stops the run; the checkpoint stays before this message. */
  deliver(mail: FetchedMail): Promise<void>;
  /** Messages larger than this are not downloaded: onOversize is told and the checkpoint moves past them. */
  maxMessageBytes?: number;
  onOversize?(mail: { uid: number; size: number; uidValidity: string; mailbox: string }): Promise<void>;
  /** At most this many messages per run (a poll activity stays short); `more` says whether some are left. */
  maxMessages?: number;
  initial?: 'all' | 'new-only';
  /**
   * The first import (no checkpoint yet, or UIDVALIDITY changed) reads only mail received
   * (INTERNALDATE) at or after this instant, found with SEARCH SINCE; older mail is passed over.
   * After that the checkpoint rules: everything above the last UID.
   */
  since?: Date;
}

export interface ReadMailboxResult {
  delivered: number;
  oversize: number;
  /** Messages past maxMessages, left for the next run. */
  more: boolean;
  /** Messages of the first import older than `since`: passed over, never delivered. */
  tooOld?: number;
  /** UIDVALIDITY changed since the saved checkpoint: the mailbox was read again from the start. */
  reset: boolean;
  checkpoint: MailboxCheckpoint | null;
  /** Messages in the mailbox when the pass began (waitForNewMail compares: mail that came during the pass). */
  messages: number;
}

/** One pass over the mailbox: deliver everything after the checkpoint, in UID order. */
export async function readNewMail(options: ReadMailboxOptions): Promise<ReadMailboxResult> {
  const { client } = options;
  const mailbox = options.mailbox ?? 'INBOX';
  const maxMessages = options.maxMessages ?? 200;
  const lock = await client.getMailboxLock(mailbox, { readOnly: true });
  try {
    if (!client.mailbox) throw new Error(`the mailbox ${mailbox} did not open`);
    const status: MailboxStatus = { uidValidity: client.mailbox.uidValidity.toString(), uidNext: client.mailbox.uidNext, messages: client.mailbox.exists };
    let checkpoint = await options.checkpoints.load();
    const plan = planMailboxFetch(checkpoint, status, options.initial);
    if (plan.kind === 'up-to-date') return { delivered: 0, oversize: 0, more: false, reset: false, checkpoint, messages: status.messages };
    if (plan.kind === 'baseline') {
      await options.checkpoints.save(plan.checkpoint);
      return { delivered: 0, oversize: 0, more: false, reset: false, checkpoint: plan.checkpoint, messages: status.messages };
    }

    // A first import starts at the oldest mail received since the cutoff: years of old mail are
    // neither listed nor read. SINCE compares dates only (in the server's zone), so it asks from the
    // day before and the INTERNALDATE decides below.
    const since = options.since && (checkpoint === null || plan.reset) ? options.since : null;
    let fromUid = plan.fromUid;
    if (since) {
      const found = await client.search({ since: new Date(since.getTime() - 86_400_000) }, { uid: true });
      const recent = found ? found.reduce((lowest, uid) => Math.min(lowest, uid), Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
      if (recent === Number.POSITIVE_INFINITY) {
        // Nothing recent: start from the mail that arrives next.
        checkpoint = { uidValidity: status.uidValidity, lastUid: Math.max(0, status.uidNext - 1) };
        await options.checkpoints.save(checkpoint);
        return { delivered: 0, oversize: 0, more: false, reset: plan.reset, checkpoint, messages: status.messages, tooOld: status.messages };
      }
      fromUid = Math.max(fromUid, recent);
    }

    // UIDs, sizes and dates first (cheap), so oversize mail is never downloaded. `n:*` also returns
    // the highest message when n is above every UID: only UIDs ≥ fromUid count.
    const sizes = new Map<number, { size: number; receivedAt: Date | null }>();
    for await (const message of client.fetch(`${fromUid}:*`, { uid: true, size: true, internalDate: true }, { uid: true })) {
      if (message.uid >= fromUid) {
        const receivedAt = message.internalDate ? new Date(message.internalDate) : null;
        sizes.set(message.uid, { size: message.size ?? 0, receivedAt });
      }
    }
    const uids = [...sizes.keys()].sort((a, b) => a - b);
    let delivered = 0;
    let oversize = 0;
    let tooOld = 0;
    for (const uid of uids.slice(0, maxMessages)) {
      const { size, receivedAt } = sizes.get(uid)!;
      if (since && receivedAt && receivedAt.getTime() < since.getTime()) {
        tooOld += 1;
      } else if (options.maxMessageBytes !== undefined && size > options.maxMessageBytes) {
        await options.onOversize?.({ uid, size, uidValidity: status.uidValidity, mailbox });
        oversize += 1;
      } else {
        const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
        // Expunged since the listing: there is nothing to deliver, and its UID is never reused.
        if (message && message.source) {
          await options.deliver({ raw: message.source, uid, uidValidity: status.uidValidity, mailbox });
          delivered += 1;
        }
      }
      checkpoint = { uidValidity: status.uidValidity, lastUid: uid };
      await options.checkpoints.save(checkpoint);
    }
    if (uids.length === 0) {
      // Nothing above the checkpoint after all (or a reset onto an emptied range): record the mailbox.
      checkpoint = { uidValidity: status.uidValidity, lastUid: plan.reset ? 0 : (checkpoint?.lastUid ?? 0) };
      await options.checkpoints.save(checkpoint);
    }
    return { delivered, oversize, more: uids.length > maxMessages, reset: plan.reset, checkpoint, messages: status.messages, tooOld };
  } finally {
    lock.release();
  }
}

export type IdleOutcome =
  /** The server does not offer IDLE (RFC 2177): poll on the interval instead. */
  | 'unsupported'
  /** New mail (EXISTS) arrived, or came during the pass before: read it now. */
  | 'new-mail'
  /** Nothing arrived within the time, the caller's signal stopped it, or the server closed the connection. */
  | 'ended';

export interface WaitForNewMailOptions {
  client: ImapFlow;
  mailbox?: string;
  /** Messages when the last pass began (ReadMailboxResult.messages). */
  messages: number;
  /** Idles at most this long. */
  timeoutMs: number;
  /** Ends the wait early (the activity cancelled, the channel's settings changed). */
  signal?: AbortSignal;
}

/**
 * Holds an IDLE on the mailbox (opened read-only, as readNewMail leaves it) until the server
 * announces new mail, the time is up, or `signal` aborts. The caller logs out afterwards (which
 * ends the IDLE) and reads the new mail with readNewMail on a fresh session.
 */
export async function waitForNewMail(options: WaitForNewMailOptions): Promise<IdleOutcome> {
  const { client } = options;
  if (!client.capabilities.has('IDLE')) return 'unsupported';
  const mailbox = options.mailbox ?? 'INBOX';
  const lock = await client.getMailboxLock(mailbox, { readOnly: true });
  try {
    // Mail that arrived while the last pass read (an EXISTS it already saw): no need to wait.
    if (client.mailbox && client.mailbox.exists > options.messages) return 'new-mail';
    if (options.signal?.aborted) return 'ended';
    let finish!: (outcome: IdleOutcome) => void;
    const outcome = new Promise<IdleOutcome>((resolve) => (finish = resolve));
    // Only the selected mailbox announces EXISTS.
    const onExists = (data: { count: number; prevCount: number }) => {
      if (data.count > data.prevCount) finish('new-mail');
    };
    const onClose = () => finish('ended');
    const onAbort = () => finish('ended');
    const timer = setTimeout(() => finish('ended'), options.timeoutMs);
    client.on('exists', onExists);
    client.on('close', onClose);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // Runs until another command (the caller's LOGOUT) breaks it; a failure just ends the wait.
    client.idle().then(
      () => finish('ended'),
      () => finish('ended'),
    );
    try {
      return await outcome;
    } finally {
      clearTimeout(timer);
      client.off('exists', onExists);
      client.off('close', onClose);
      options.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    lock.release();
  }
}
