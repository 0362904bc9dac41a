// Activities of the email delivery workflow (workflows/email-delivery.ts): the send of one message
// as mail, and the bookkeeping on its OutboundEmail row (written with the message by
// api/services/message-store.ts). Sending is at least once: an SMTP server that took the mail
// while the worker died before hearing so gets it again on the retry — with the same Message-ID
// (fixed before the first try), which mail clients use to show it once.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { AttachmentStore } from '../infra/attachments/attachment-store.js';
import type { Db } from '../infra/db.js';
import { composeReply, emailChannelSettings, type ThreadMail } from '../infra/email/compose-reply.js';
import { smtpFailure, type Mailer } from '../infra/email/mailer.js';
import { bareMessageId, createOutgoingMessageId, createReplyTokens } from '../infra/email/threading.js';
import { appendEvent } from '../infra/event-log.js';
import { conversationScope, messageInclude, toMessageView } from '../infra/views.js';
import { emailFailures, type EmailRetryPolicy } from '../workflows/email-delivery.messages.js';
import { mailAttachmentsOf } from './email-attachments.js';
import { emailsSent } from '../infra/metrics/metrics.js';

/** What sending an email conversation's messages needs besides the mailer. */
export interface OutboundEmailOptions {
  /** The server secret: reply addresses carry a token the API verifies with the same secret (infra/email/threading.ts). */
  secret: string;
  /** MAIL_FROM: the sender when the channel names no address, and the domain of our Message-IDs and reply addresses. */
  mailFrom: string;
  /** How the SMTP send is retried; activities/email-activities.ts defaultEmailRetry for what is not given (tests shorten it). */
  retry?: Partial<EmailRetryPolicy>;
}

/**
 * Production: the first retry after 30 s, doubling up to every 30 min, for two days — an SMTP
 * server down for a weekend night still gets the mail; longer and the answer is stale anyway.
 */
export const defaultEmailRetry: EmailRetryPolicy = {
  initialIntervalMs: 30_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 30 * 60_000,
  giveUpAfterMs: 2 * 24 * 60 * 60_000,
};

export type PreparedOutboundEmail =
  | { kind: 'send'; retry: EmailRetryPolicy }
  /** Nothing can ever send it (no address to send to, no outgoing mail set up): recorded as failed at once. */
  | { kind: 'undeliverable'; error: string }
  /** Not ours to send (no OutboundEmail row), or decided already (sent or failed). */
  | { kind: 'nothing_to_send'; reason: string };

export interface EmailActivities {
  /** Fixes the recipients, subject and our Message-ID on the row before the first try; says how to retry. */
  prepareOutboundEmail(input: { messageId: string }): Promise<PreparedOutboundEmail>;
  /** One SMTP try: non-retryable on a permanent refusal (5xx) or without SMTP; plain errors otherwise. */
  sendOutboundEmail(input: { messageId: string }): Promise<void>;
  /** Marks it sent (once), with a `message.email_sent` event. */
  recordOutboundEmailSent(input: { messageId: string }): Promise<void>;
  /** Marks it "not delivered" (once), with a `message.email_failed` event; `error` null: the last try's error (the retries ran out). */
  recordOutboundEmailFailed(input: { messageId: string; error: string | null }): Promise<{ error: string }>;
}

/** The domain of an address like `Seamless <support@seamless.local>` (as api/services/email/ingest-email.ts reads MAIL_FROM). */
export function mailDomain(address: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(address.trim());
  return (match?.[1] ?? 'seamless.local').toLowerCase();
}

/** The address of `Seamless <support@seamless.local>` or of a bare address, lower-cased. */
const bareAddress = (address: string) => (/<([^>]+)>/.exec(address)?.[1] ?? address).trim().toLowerCase();

/** At most this many Cc addresses are kept on a reply. */
const maxCc = 20;

/**
 * Reply-all: who else is on the thread — the From (a colleague who answered), To and Cc of the
 * latest mail that came in (not an auto-reply or bounce) — without the customer it goes to and
 * without our own addresses (the channel's, MAIL_FROM's, any reply+ address of our domain).
 */
export function replyAllCc(
  latest: { fromAddress: string | null; to: string[]; cc: string[] } | null,
  customer: string,
  own: { addresses: string[]; domain: string },
): string[] {
  if (!latest) return [];
  const ours = new Set([customer, ...own.addresses].map(bareAddress));
  const isOurs = (address: string) => ours.has(address) || (address.startsWith('reply+') && address.endsWith(`@${own.domain}`));
  const cc = new Set<string>();
  for (const address of [latest.fromAddress ?? '', ...latest.to, ...latest.cc].map(bareAddress)) {
    if (address.includes('@') && !isOurs(address)) cc.add(address);
  }
  return [...cc].slice(0, maxCc);
}

const notConfigured = 'Outgoing mail is not set up (SMTP_URL, and the server secret for reply addresses).';
const noAddress = 'The customer has no email address.';

export function createEmailActivities({
  db,
  mailer,
  outboundEmail,
  attachments,
}: {
  db: Db;
  mailer: Mailer;
  outboundEmail?: OutboundEmailOptions;
  /** Where the files a reply sends are read from (email-attachments.ts). */
  attachments?: AttachmentStore;
}): EmailActivities {
  const retry: EmailRetryPolicy = { ...defaultEmailRetry, ...outboundEmail?.retry };
  const domain = outboundEmail ? mailDomain(outboundEmail.mailFrom) : null;
  const tokens = outboundEmail && domain ? createReplyTokens({ secret: outboundEmail.secret, domain }) : null;

  const load = (messageId: string) =>
    db.outboundEmail.findUnique({
      where: { messageId },
      include: { message: { include: { conversation: { include: { customer: true, channel: true } } } } },
    });

  /** The conversation's mail so far, oldest first: the customer's stored mail and what we sent before this message. */
  const threadOf = async (conversationId: string, before: Date): Promise<ThreadMail[]> => {
    const [inbound, sent] = await Promise.all([
      db.inboundEmail.findMany({
        where: { conversationId, emailMessageId: { not: null }, receivedAt: { lte: before } },
        select: { emailMessageId: true, receivedAt: true },
      }),
      db.outboundEmail.findMany({
        where: { message: { conversationId, createdAt: { lt: before } }, emailMessageId: { not: null }, status: { not: 'failed' } },
        select: { emailMessageId: true, message: { select: { createdAt: true } } },
      }),
    ]);
    return [
      ...inbound.map((row) => ({ messageId: row.emailMessageId!, inbound: true, at: row.receivedAt.getTime() })),
      ...sent.map((row) => ({ messageId: row.emailMessageId!, inbound: false, at: row.message.createdAt.getTime() })),
    ]
      .sort((a, b) => a.at - b.at)
      .map(({ messageId, inbound: isInbound }) => ({ messageId, inbound: isInbound }));
  };

  /** Writes the outcome once (only a row still queued changes) with its event. */
  const settle = async (messageId: string, outcome: { status: 'sent' } | { status: 'failed'; error: string }) => {
    await db.$transaction(async (tx) => {
      const now = new Date();
      const changed = await tx.outboundEmail.updateMany({
        where: { messageId, status: 'queued' },
        data: outcome.status === 'sent' ? { status: 'sent', sentAt: now, lastError: null } : { status: 'failed', failedAt: now, lastError: outcome.error },
      });
      if (changed.count === 0) return; // a retry after the commit
      const row = await tx.outboundEmail.findUniqueOrThrow({
        where: { messageId },
        include: { message: { include: { ...messageInclude, conversation: true } } },
      });
      const message = toMessageView(row.message);
      const common = {
        actorKind: 'system' as const,
        conversationId: row.message.conversationId,
        internal: row.message.private,
        ...conversationScope(row.message.conversation),
      };
      if (outcome.status === 'sent') await appendEvent(tx, { ...common, type: 'message.email_sent', payload: { message, to: row.to } });
      else await appendEvent(tx, { ...common, type: 'message.email_failed', payload: { message, to: row.to, error: outcome.error } });
    });
  };

  return {
    async prepareOutboundEmail({ messageId }) {
      const row = await load(messageId);
      if (!row) return { kind: 'nothing_to_send', reason: 'the message does not leave as mail' };
      if (row.status !== 'queued') return { kind: 'nothing_to_send', reason: `already ${row.status}` };
      if (!tokens || !domain) return { kind: 'undeliverable', error: notConfigured };
      const { conversation } = row.message;
      const to = conversation.customer.email?.trim();
      if (!to) return { kind: 'undeliverable', error: noAddress };
      const settings = emailChannelSettings(conversation.channel.settings);
      const latest = settings.replyAll
        ? await db.inboundEmail.findFirst({
            where: { conversationId: conversation.id, automated: false, receivedAt: { lte: row.message.createdAt } },
            orderBy: { receivedAt: 'desc' },
            select: { fromAddress: true, to: true, cc: true },
          })
        : null;
      const cc = replyAllCc(latest, to, { addresses: [settings.address ?? '', outboundEmail?.mailFrom ?? ''], domain });
      await db.outboundEmail.updateMany({
        where: { messageId, emailMessageId: null },
        data: { emailMessageId: bareMessageId(createOutgoingMessageId(conversation.id, domain)), to: [to], cc },
      });
      return { kind: 'send', retry };
    },

    async sendOutboundEmail({ messageId }) {
      const row = await load(messageId);
      if (!row || row.status !== 'queued') return; // decided meanwhile: nothing to send
      if (!tokens || !row.emailMessageId) throw ApplicationFailure.nonRetryable(notConfigured, emailFailures.notConfigured);
      const { message } = row;
      const { conversation } = message;
      const thread = await threadOf(conversation.id, message.createdAt);
      // The files sent with the message, read from the store on each try.
      const files = await mailAttachmentsOf(db, attachments, messageId);
      const email = composeReply({
        channel: { name: conversation.channel.name, settings: conversation.channel.settings },
        conversation: { number: conversation.number, subject: conversation.subject },
        body: message.body,
        to: row.to,
        cc: row.cc,
        replyTo: tokens.replyAddress(conversation.id),
        messageId: `<${row.emailMessageId}>`,
        thread,
        automatic: message.authorKind === 'bot',
        // An agent wrote first (POST /api/conversations): nothing before it, so it is no reply.
        opensThread:
          thread.length === 0 && (await db.message.count({ where: { conversationId: conversation.id, createdAt: { lt: message.createdAt } } })) === 0,
        fileNames: files.map((file) => file.fileName),
      });
      email.attachments = files;
      await db.outboundEmail.update({ where: { messageId }, data: { attempts: Context.current().info.attempt, subject: email.subject } });
      let result;
      try {
        result = await mailer.send(email);
      } catch (error) {
        const failure = smtpFailure(error);
        await db.outboundEmail.update({ where: { messageId }, data: { lastError: failure.message } });
        if (failure.permanent) throw ApplicationFailure.nonRetryable(failure.message, emailFailures.refused);
        throw new Error(`SMTP: ${failure.message}`, { cause: error });
      }
      if (!result.sent) throw ApplicationFailure.nonRetryable(result.reason === 'not_configured' ? notConfigured : noAddress, emailFailures.notConfigured);
    },

    async recordOutboundEmailSent({ messageId }) {
      await settle(messageId, { status: 'sent' });
      emailsSent.inc({ outcome: 'sent' });
    },

    async recordOutboundEmailFailed({ messageId, error }) {
      const row = await db.outboundEmail.findUnique({ where: { messageId }, select: { lastError: true, attempts: true } });
      const reason = error ?? `Gave up after ${row?.attempts ?? 0} attempts: ${row?.lastError ?? 'no answer from the SMTP server'}`;
      await settle(messageId, { status: 'failed', error: reason });
      emailsSent.inc({ outcome: 'failed' });
      return { error: reason };
    },
  };
}
