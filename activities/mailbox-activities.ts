// Activities of the mailbox workflow (workflows/mailbox.ts): one poll of an email channel's IMAP
// mailbox. Logs in with the stored settings, hands every message after the checkpoint to the
// inbound pipeline (the port in activity-deps.ts) in UID order, saving the checkpoint after each
// one, and records the outcome as the channel's health. Asked to (idleSeconds), it then holds an
// IMAP IDLE, heartbeating, and returns as soon as the server announces new mail. Safe to run again at any point: a message
// handed over but not yet checkpointed is handed over again, and the pipeline drops it by
// Message-ID.
import { Context, log } from '@temporalio/activity';
import type { ImapFlow } from 'imapflow';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../infra/db.js';
import type { ImapMailbox } from '../prisma/generated/client.js';
import { classifyImapError, connectImap, ImapConnectError, isLastingImapError, openMailbox, type ImapErrorCode } from '../infra/email/inbound/imap-connect.js';
import { readNewMail, waitForNewMail, type CheckpointStore, type MailboxCheckpoint } from '../infra/email/inbound/imap-mailbox.js';
import { outboundPolicyOf } from '../infra/outbound/outbound-guard.js';
import { SecretUnreadableError, type SecretBox } from '../infra/secrets/secret-box.js';
import type { ActivityDeps } from './activity-deps.js';

/**
 * The one inbound email pipeline (api/services/email/ingest-email.ts), handed in by the worker's
 * entrypoint (api/services/email/inbound-port.ts builds it): activities may not import api/, and
 * mail read over IMAP must take the same path as mail from the SMTP listener or the webhook (store
 * raw first, dedupe by Message-ID, thread).
 */
export interface InboundMailPort {
  /** Takes one raw message for the channel; a redelivery of the same Message-ID is a no-op ('duplicate'). */
  ingest(raw: Buffer, channelId: string): Promise<{ outcome: 'processed' | 'recorded' | 'duplicate' | 'refused' }>;
  /** The largest message the pipeline takes (INBOUND_EMAIL_MAX_BYTES): larger mail is not downloaded. */
  maxMessageBytes: number;
  /** Records mail refused for its size without its bytes (an InboundEmail row, status refused, the reason); once per mailbox UID. */
  refuseOversize(channelId: string, mail: OversizeMail): Promise<void>;
}

/** A message over the size limit, as the IMAP server describes it (nothing of it is downloaded). */
export interface OversizeMail {
  mailbox: string;
  uidValidity: string;
  uid: number;
  size: number;
  maxBytes: number;
  messageId: string | null;
  subject: string | null;
  from: { address: string; name: string } | null;
}

/** What IMAP polling needs besides the database (ActivityDeps.mailbox). */
export interface MailboxDeps {
  inbound: InboundMailPort;
  /** Opens the channels' IMAP passwords (infra/secrets/imap-passwords.ts: imapPasswordBox of the server secret). */
  passwords: SecretBox;
  /** Bounds opening an IMAP connection (infra/email/inbound/imap-connect.ts); its default when absent. */
  connectTimeoutMs?: number;
}

export interface PollMailboxInput {
  channelId: string;
  /**
   * After reading to the end, hold an IMAP IDLE for up to this long (when the server offers it) and
   * return as soon as new mail arrives, so the workflow polls again at once. Absent: one pass only.
   */
  idleSeconds?: number;
}

export type PollMailboxResult =
  /** Polling is off (switched off, settings removed, channel disabled or gone): the workflow ends. */
  | { kind: 'disabled' }
  /** `more`: the run stopped at its message bound with mail left; poll again at once. */
  | {
      kind: 'polled';
      delivered: number;
      duplicates: number;
      refused: number;
      oversize: number;
      more: boolean;
      intervalMs: number;
      /** It idled after the pass (idleSeconds given, the server offers IDLE): poll again at once. */
      idle?: 'new-mail' | 'ended';
    };

/** Failure types the workflow may see (non-retryable: trying again soon does not help). */
export const mailboxFailures = {
  /** Authentication failed, the mailbox does not exist, TLS refused: waits for an admin. */
  lasting: 'imap_lasting_error',
  /** The worker was started without the inbound pipeline (worker/main.ts wires it). */
  notConfigured: 'mailbox_not_configured',
} as const;

export interface MailboxActivities {
  /** One poll of the channel's mailbox: at most `messagesPerPoll` messages, checkpointed one by one. */
  pollMailbox(input: PollMailboxInput): Promise<PollMailboxResult>;
}

/** Messages handed over per poll: keeps one activity short. */
export const messagesPerPoll = 50;
/** Well inside the heartbeat timeout (workflows/activity-options.ts mailboxPollActivity: 2 minutes). */
const heartbeatEveryMs = 20_000;
/** While idling, how often the channel's settings are read: a change (or polling switched off) ends the IDLE. */
const settingsCheckEveryMs = 5_000;

/** The checkpoint row of one channel's mailbox; it only moves forward within one UIDVALIDITY (a late, superseded attempt cannot move it back). */
export function checkpointStore(db: Db, channelId: string, mailbox: string): CheckpointStore {
  return {
    async load() {
      const row = await db.imapCheckpoint.findUnique({ where: { channelId_mailbox: { channelId, mailbox } } });
      return row ? { uidValidity: row.uidValidity, lastUid: row.lastUid } : null;
    },
    async save(checkpoint: MailboxCheckpoint) {
      await db.$executeRaw`
        INSERT INTO "ImapCheckpoint" ("channelId", mailbox, "uidValidity", "lastUid", "updatedAt")
        VALUES (${channelId}::uuid, ${mailbox}, ${checkpoint.uidValidity}, ${checkpoint.lastUid}, now())
        ON CONFLICT ("channelId", mailbox) DO UPDATE SET "uidValidity" = EXCLUDED."uidValidity", "lastUid" = EXCLUDED."lastUid", "updatedAt" = now()
        WHERE "ImapCheckpoint"."uidValidity" <> EXCLUDED."uidValidity" OR "ImapCheckpoint"."lastUid" < EXCLUDED."lastUid"`;
    },
  };
}

/** Whether two readings of a channel's IMAP settings poll the same way (what an admin saves, not the health). */
const sameSettings = (a: ImapMailbox, b: ImapMailbox): boolean =>
  a.host === b.host &&
  a.port === b.port &&
  a.tls === b.tls &&
  a.username === b.username &&
  Buffer.compare(a.passwordSealed, b.passwordSealed) === 0 &&
  a.mailbox === b.mailbox &&
  a.pollIntervalSeconds === b.pollIntervalSeconds &&
  a.importDays === b.importDays;

/** A failure of the pipeline (the database, a bug), not of the mailbox: recorded under its own code. */
class PipelineError extends Error {}

export function createMailboxActivities(deps: Pick<ActivityDeps, 'db' | 'outboundAllowedHosts'> & { mailbox?: MailboxDeps }): MailboxActivities {
  const { db } = deps;

  const recordFailure = async (channelId: string, code: ImapErrorCode | 'pipeline_failed' | 'message_too_large', message: string) => {
    await db.imapMailbox.updateMany({ where: { channelId }, data: { lastErrorCode: code, lastError: message.slice(0, 1000), lastErrorAt: new Date() } });
  };

  /**
   * IDLE until new mail, the time is up, the activity is cancelled, or an admin saves the channel's
   * settings. Two checks, because the poll's own writes (lastPolledAt, the health) move updatedAt
   * too: a save while the IDLE runs moves updatedAt past the one read when it began; a change saved
   * while the poll was still reading (before the IDLE began) shows as settings other than those it
   * polled with.
   */
  const idleUntilNewMail = async (polledWith: ImapMailbox, client: ImapFlow, messages: number, timeoutMs: number, cancelled: AbortSignal) => {
    const { channelId, mailbox } = polledWith;
    const read = () => db.imapMailbox.findUnique({ where: { channelId } });
    const savedBefore = (await read())?.updatedAt.getTime();
    const changed = new AbortController();
    const watch = setInterval(() => {
      read().then(
        (now) => {
          if (!now || !now.enabled || now.updatedAt.getTime() !== savedBefore || !sameSettings(now, polledWith)) changed.abort();
        },
        () => changed.abort(),
      );
    }, settingsCheckEveryMs);
    try {
      return await waitForNewMail({ client, mailbox, messages, timeoutMs, signal: AbortSignal.any([cancelled, changed.signal]) });
    } finally {
      clearInterval(watch);
    }
  };

  return {
    async pollMailbox({ channelId, idleSeconds }) {
      const settings = await db.imapMailbox.findUnique({ where: { channelId }, include: { channel: { select: { kind: true, enabled: true } } } });
      if (!settings || !settings.enabled || !settings.channel.enabled || settings.channel.kind !== 'email') return { kind: 'disabled' };
      if (!deps.mailbox) {
        await recordFailure(channelId, 'protocol_error', 'The worker cannot read mailboxes: it was started without the inbound email pipeline.');
        throw ApplicationFailure.nonRetryable('The worker was started without the inbound email pipeline.', mailboxFailures.notConfigured);
      }
      const { inbound, passwords, connectTimeoutMs } = deps.mailbox;
      const context = Context.current();
      let password: string;
      try {
        password = passwords.open(settings.passwordSealed, channelId);
      } catch (error) {
        if (!(error instanceof SecretUnreadableError)) throw error;
        const message = 'The stored IMAP password cannot be decrypted (was SEAMLESS_SECRET changed?): save it again.';
        await recordFailure(channelId, 'auth_failed', message);
        throw ApplicationFailure.nonRetryable(message, mailboxFailures.lasting, { code: 'auth_failed' });
      }
      const account = { host: settings.host, port: settings.port, tls: settings.tls, username: settings.username, password };
      const counts = { delivered: 0, duplicates: 0, refused: 0 };
      // Alive while it works, whatever it waits on: listing a large backlog (one FETCH of every UID
      // and size) or a slow download must not look like a dead worker and be started over.
      const alive = setInterval(() => context.heartbeat(), heartbeatEveryMs);
      try {
        context.heartbeat();
        const client = await connectImap(account, { policy: outboundPolicyOf(deps.outboundAllowedHosts), timeoutMs: connectTimeoutMs });
        try {
          // A missing folder is named as such (readNewMail would only say the lock failed).
          await openMailbox(client, settings.mailbox, account);
          const result = await readNewMail({
            client,
            mailbox: settings.mailbox,
            checkpoints: checkpointStore(db, channelId, settings.mailbox),
            maxMessages: messagesPerPoll,
            maxMessageBytes: inbound.maxMessageBytes,
            since: new Date(settings.createdAt.getTime() - settings.importDays * 86_400_000),
            async onOversize({ uid, size, uidValidity, mailbox }) {
              // Not downloaded, never half-stored: refused with its reason (the sender and subject
              // from the server's envelope), named in the channel's health; the checkpoint moves past it.
              const envelope = (await client.fetchOne(String(uid), { uid: true, envelope: true }, { uid: true })) || undefined;
              const { envelope: header } = envelope ?? {};
              const sender = header?.from?.[0];
              const mail: OversizeMail = {
                mailbox,
                uidValidity,
                uid,
                size,
                maxBytes: inbound.maxMessageBytes,
                messageId: header?.messageId?.replace(/^<|>$/g, '') || null,
                subject: header?.subject ?? null,
                from: sender?.address ? { address: sender.address, name: sender.name ?? '' } : null,
              };
              try {
                await inbound.refuseOversize(channelId, mail);
              } catch (error) {
                throw new PipelineError(error instanceof Error ? error.message : String(error), { cause: error });
              }
              const who = mail.from ? ` from ${mail.from.address}` : '';
              const what = mail.subject ? ` ("${mail.subject.slice(0, 200)}")` : '';
              await recordFailure(
                channelId,
                'message_too_large',
                `Refused a message${who}${what} of ${size} bytes: over the limit of ${inbound.maxMessageBytes} bytes. It was not downloaded and stays in the mailbox.`,
              );
              log.warn(`mailbox ${channelId}: UID ${uid} in ${mailbox} is ${size} bytes, over ${inbound.maxMessageBytes}: refused`);
            },
            async deliver(mail) {
              // Between two messages: a cancelled attempt (worker shutting down) stops here, its checkpoint saved.
              if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason ?? new Error('cancelled');
              let outcome;
              try {
                ({ outcome } = await inbound.ingest(mail.raw, channelId));
              } catch (error) {
                throw new PipelineError(error instanceof Error ? error.message : String(error), { cause: error });
              }
              if (outcome === 'processed' || outcome === 'recorded') counts.delivered += 1;
              else if (outcome === 'duplicate') counts.duplicates += 1;
              else counts.refused += 1;
              context.heartbeat({ uid: mail.uid });
            },
          });
          await db.imapMailbox.updateMany({ where: { channelId }, data: { lastPolledAt: new Date() } });
          const polled = {
            kind: 'polled' as const,
            ...counts,
            oversize: result.oversize,
            more: result.more,
            intervalMs: settings.pollIntervalSeconds * 1000,
          };
          if (!idleSeconds || result.more) return polled;
          // The IDLE ends a minute before the attempt's own time is up (a long pass leaves less of it).
          const { startToCloseTimeoutMs, currentAttemptScheduledTimestampMs } = context.info;
          const idleMs = Math.min(idleSeconds * 1000, startToCloseTimeoutMs - (Date.now() - currentAttemptScheduledTimestampMs) - 60_000);
          if (idleMs <= 0) return polled;
          const idle = await idleUntilNewMail(settings, client, result.messages, idleMs, context.cancellationSignal);
          return idle === 'unsupported' ? polled : { ...polled, idle };
        } finally {
          await client.logout().catch(() => client.close());
        }
      } catch (error) {
        if (context.cancellationSignal.aborted) throw error;
        if (error instanceof PipelineError) {
          await recordFailure(channelId, 'pipeline_failed', `Storing a message failed: ${error.message}`);
          throw error;
        }
        const failure = error instanceof ImapConnectError ? error : classifyImapError(error, account);
        await recordFailure(channelId, failure.code, failure.message);
        if (isLastingImapError(failure.code)) throw ApplicationFailure.nonRetryable(failure.message, mailboxFailures.lasting, { code: failure.code });
        throw failure;
      } finally {
        clearInterval(alive);
      }
    },
  };
}
