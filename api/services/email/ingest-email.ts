// The one inbound email pipeline (issue 17): the SMTP listener and the webhook hand raw MIME to
// ingestInboundEmail(). The raw bytes are stored first (InboundEmail), so nothing accepted is
// lost; a redelivery of the same Message-ID to the same channel is a no-op; then the mail is
// threaded (reply token address → In-Reply-To / References → `[#n]` in the subject) and becomes a
// customer message through the same services as a chat message (startConversation / postMessage:
// the workflow outbox, routing, SLA, rules, journey, a resolved conversation reopening).
// Safety: an auto-reply, a bounce or list mail, and a sender past the hourly limit of automatic
// answers, is stored and shown but never answered automatically — the message and its workflow
// start or signal carry `autoAnswer: false` (auto-answer.ts); a bounce marks the failed address
// and is noted on the conversation of the message that bounced (bounce.ts).
import { createHash, randomUUID } from 'node:crypto';
import { emailChannelSettings } from '../../../infra/email/compose-reply.js';
import { defaultInboundLimits, type InboundLimits } from '../../../infra/email/inbound/limits.js';
import { parseInboundEmail, type InboundEmail } from '../../../infra/email/inbound/parse-inbound.js';
import { mayAutoReply } from '../../../infra/email/inbound/automated-mail.js';
import type { AutoReplyLimit } from '../../../infra/email/inbound/auto-reply-limit.js';
import { splitReplyText } from '../../../infra/email/inbound/reply-text.js';
import { conversationOfMessageId, createReplyTokens, isOwnMessageId, matchThread, type ReplyTokens, type ThreadMatch } from '../../../infra/email/threading.js';
import type { EmailSender } from '../../../contract/views.js';
import type { ApiDeps } from '../../deps.js';
import { HttpError } from '../../http-error.js';
import { bindEmailAttachments, resolveAttachmentSettings, stageEmailAttachments } from '../attachments.js';
import { postMessage, startConversation } from '../conversation-service.js';
import { isUniqueViolation } from '../prisma-errors.js';
import { decideAutoAnswer } from './auto-answer.js';
import { customerByEmail } from './email-customer.js';
import { discardEmailFiles, insertEmailFiles, putEmailFiles } from './email-files.js';
import { openTicketForEmailThread } from './email-ticket.js';
import { clearBounceMark, markBouncedAddresses, markOutboundBounced, recordBounceNote } from './bounce.js';
import { emailsReceived } from '../../../infra/metrics/metrics.js';

export type IngestDeps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay' | 'secret' | 'attachments'>;

export interface IngestOptions {
  /** The domain of our reply addresses and Message-IDs (the MAIL_FROM domain). */
  replyDomain: string;
  limits?: Partial<InboundLimits>;
  /** SMTP envelope recipients (RCPT TO), matched for reply tokens with To, Cc and Delivered-To. */
  envelopeRecipients?: readonly string[];
  /** Automatic answers per sender per window, whatever the organisation set (tests); absent: the organisation's setting. */
  autoReplyLimit?: AutoReplyLimit;
  /** The server's number of automatic answers per sender per hour while no admin set one (EMAIL_AUTO_ANSWERS_PER_HOUR; else 5). */
  defaultAutoAnswersPerHour?: number;
}

export type IngestResult =
  | {
      outcome: 'processed';
      inboundEmailId: string;
      conversationId: string;
      messageId: string;
      threadedBy: ThreadMatch;
      automated: boolean;
      /** Whether bot and rules may answer it (not automated, and the sender within the hourly limit). */
      autoAnswer: boolean;
      /** A bounce recorded as a system note on the conversation of the message that bounced. */
      bounceNote: boolean;
    }
  | { outcome: 'duplicate'; inboundEmailId: string; conversationId: string | null }
  /** Kept and nothing else: a bounce naming no conversation of ours (no customer is made of the mailer-daemon). */
  | { outcome: 'recorded'; inboundEmailId: string; conversationId: null; reason: string }
  | { outcome: 'refused'; inboundEmailId: string | null; code: string; reason: string };

/** The domain of an address like `Seamless <support@seamless.local>`. */
export function domainOfAddress(address: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(address.trim());
  return (match?.[1] ?? 'seamless.local').toLowerCase();
}

const tokensFor = (deps: IngestDeps, options: IngestOptions): ReplyTokens => createReplyTokens({ secret: deps.secret, domain: options.replyDomain });

/** The body a message shows: the new text without the quoted history (the raw copy keeps everything). */
function messageBody(email: InboundEmail): string {
  const text = email.text.trim();
  const { reply } = splitReplyText(text);
  const body = reply.trim() || text || email.subject.trim();
  return body || '(no text)';
}

async function thread(deps: IngestDeps, options: IngestOptions, channelId: string, email: InboundEmail): Promise<ThreadMatch> {
  const recipients = [...email.to, ...email.cc].map((entry) => entry.address).concat(email.deliveredTo, options.envelopeRecipients ?? []);
  const { db } = deps;
  // A bounce quotes the Message-ID of the message that bounced: its conversation is the one.
  const bounced = email.automated.bounce?.originalMessageId;
  return matchThread(
    {
      recipients,
      from: email.from?.address ?? null,
      inReplyTo: bounced ? [bounced, ...email.inReplyTo] : email.inReplyTo,
      references: email.references,
      subject: email.subject,
    },
    { tokens: tokensFor(deps, options) },
    {
      async existingConversations(ids) {
        const rows = await db.conversation.findMany({ where: { id: { in: ids }, channelId }, select: { id: true } });
        return rows.map((row) => row.id);
      },
      async conversationsByMessageId(ids) {
        const rows = await db.inboundEmail.findMany({
          where: { channelId, emailMessageId: { in: ids }, conversationId: { not: null } },
          select: { emailMessageId: true, conversationId: true },
        });
        const found = new Map<string, string>(rows.map((row) => [row.emailMessageId!, row.conversationId!]));
        // Our own outgoing Message-IDs name their conversation (threading.ts).
        const ours = ids.flatMap((id) => {
          const conversationId = found.has(id) ? null : conversationOfMessageId(id, options.replyDomain);
          return conversationId ? [{ id, conversationId }] : [];
        });
        if (ours.length > 0) {
          const existing = new Set(
            (await db.conversation.findMany({ where: { id: { in: ours.map((entry) => entry.conversationId) }, channelId }, select: { id: true } })).map(
              (row) => row.id,
            ),
          );
          for (const { id, conversationId } of ours) if (existing.has(conversationId)) found.set(id, conversationId);
        }
        return found;
      },
      async conversationByNumber(number) {
        const conversation = await db.conversation.findFirst({
          where: { number, channelId },
          select: { id: true, customer: { select: { email: true } }, inboundEmails: { select: { fromAddress: true } } },
        });
        if (!conversation) return null;
        const participants = [conversation.customer.email, ...conversation.inboundEmails.map((row) => row.fromAddress)].filter((address): address is string =>
          Boolean(address),
        );
        return { conversationId: conversation.id, participants };
      },
    },
  );
}

/**
 * Takes one raw message for an email channel: stores it, then turns it into a message. Safe to
 * call again with the same bytes (a redelivery, or a retry after a crash mid-way): the stored row
 * and the services' idempotency keys make the second call a no-op or finish the first.
 */
export async function ingestInboundEmail(deps: IngestDeps, raw: Buffer, channelId: string, options: IngestOptions): Promise<IngestResult> {
  const result = await ingestOnce(deps, raw, channelId, options);
  emailsReceived.inc({ outcome: result.outcome });
  return result;
}

async function ingestOnce(deps: IngestDeps, raw: Buffer, channelId: string, options: IngestOptions): Promise<IngestResult> {
  const { db } = deps;
  const limits = { ...defaultInboundLimits, ...options.limits };
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const parsed = await parseInboundEmail(raw, { limits, isOwnMessageId: (id) => isOwnMessageId(id, options.replyDomain) });
  const email = parsed.ok ? parsed.email : null;
  const dedupeKey = email?.messageId ?? `sha256:${sha256}`;
  const ownLoop = email?.automated.ownLoop ?? false;
  const refusal = !parsed.ok
    ? parsed.refusal
    : ownLoop
      ? { code: 'own_loop', message: 'Our own outgoing mail came back.' }
      : !email?.from
        ? { code: 'no_sender', message: 'The message has no From address.' }
        : null;

  // 1. The raw message, stored before anything acts on it.
  let row = await db.inboundEmail.findUnique({ where: { channelId_dedupeKey: { channelId, dedupeKey } } });
  if (!row) {
    try {
      row = await db.inboundEmail.create({
        data: {
          id: randomUUID(),
          channelId,
          dedupeKey,
          emailMessageId: email?.messageId ?? null,
          raw: new Uint8Array(raw),
          size: raw.length,
          sha256,
          status: refusal ? 'refused' : 'received',
          reason: refusal ? `${refusal.code}: ${refusal.message}` : null,
          automated: email ? !mayAutoReply(email.automated) : false,
          inReplyTo: email?.inReplyTo ?? [],
          references: email?.references ?? [],
          subject: email?.subject ?? null,
          fromAddress: email?.from?.address.toLowerCase() ?? null,
          fromName: email?.from?.name || null,
          to: email?.to.map((entry) => entry.address) ?? [],
          cc: email?.cc.map((entry) => entry.address) ?? [],
          processedAt: refusal ? new Date() : null,
        },
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      row = await db.inboundEmail.findUniqueOrThrow({ where: { channelId_dedupeKey: { channelId, dedupeKey } } });
      return { outcome: 'duplicate', inboundEmailId: row.id, conversationId: row.conversationId };
    }
    if (refusal) return { outcome: 'refused', inboundEmailId: row.id, code: refusal.code, reason: refusal.message };
  } else if (row.status !== 'received') {
    return { outcome: 'duplicate', inboundEmailId: row.id, conversationId: row.conversationId };
  }
  if (refusal || !email?.from) return { outcome: 'refused', inboundEmailId: row.id, code: refusal?.code ?? 'no_sender', reason: refusal?.message ?? '' };

  // 2. A bounce marks the address that failed, and is noted on the conversation it belongs to.
  const automated = !mayAutoReply(email.automated);
  const bounce = email.automated.bounce;
  const idempotencyKey = `email:${row.id}`;
  const headers = {
    inboundEmailId: row.id,
    subject: email.subject,
    from: email.from.address,
    to: email.to.map((entry) => entry.address),
    cc: email.cc.map((entry) => entry.address),
    automated,
    ...(automated ? { automatedReasons: email.automated.reasons } : {}),
  };
  const match = await thread(deps, options, channelId, email);
  if (bounce) {
    await markBouncedAddresses(db, bounce, row.receivedAt);
    await markOutboundBounced(db, bounce, row.receivedAt);
    if (match.kind === 'existing') {
      const { failedRecipients, permanent, status, originalMessageId } = bounce;
      const note = await recordBounceNote(db, {
        conversationId: match.conversationId,
        body: messageBody(email),
        idempotencyKey,
        metadata: { kind: 'email_bounce', email: headers, bounce: { failedRecipients, permanent, status, originalMessageId } },
      });
      await db.inboundEmail.update({
        where: { id: row.id },
        data: { status: 'processed', autoAnswer: false, conversationId: match.conversationId, messageId: note.id, processedAt: new Date() },
      });
      return {
        outcome: 'processed',
        inboundEmailId: row.id,
        conversationId: match.conversationId,
        messageId: note.id,
        threadedBy: match,
        automated,
        autoAnswer: false,
        bounceNote: true,
      };
    }
    // A report about mail that is not ours to thread: the addresses are marked (above), the mail
    // kept for an admin to read; no customer is made of the mailer-daemon, no conversation started.
    const reason = 'unmatched_bounce: A delivery report naming no conversation of ours: recorded, nothing else done.';
    await db.inboundEmail.update({ where: { id: row.id }, data: { status: 'refused', reason, autoAnswer: false, processedAt: new Date() } });
    return { outcome: 'recorded', inboundEmailId: row.id, conversationId: null, reason };
  }

  // 3. Continue or start the conversation as the sender (found or created by address), saying
  // whether anything may answer it automatically.
  const customerId = await customerByEmail(deps.db, email.from.address, email.from.name);
  // Mail from the address (other than a bounce about it) shows it works again.
  if (!bounce) await clearBounceMark(db, customerId);
  const autoAnswer = await decideAutoAnswer(db, row, automated, options.autoReplyLimit, options.defaultAutoAnswersPerHour);
  const body = messageBody(email);
  // What the console reads about the mail, stored with the message.
  const metadata: Record<string, unknown> = { email: autoAnswer || automated ? headers : { ...headers, autoAnswerWithheld: 'sender_limit' } };
  // A reply in the thread from someone else than its customer (a CC'd colleague): shown as theirs.
  if (match.kind === 'existing') {
    const owner = await db.conversation.findUnique({ where: { id: match.conversationId }, select: { customerId: true } });
    if (owner && owner.customerId !== customerId) metadata.sender = { name: email.from.name.trim() || null, address: email.from.address } satisfies EmailSender;
  }
  // The row's id keys both services: a retry after a crash finds what the first attempt stored.
  let conversationId: string | null = null;
  let messageId: string | null = null;
  const attachmentStore = resolveAttachmentSettings(deps.attachments).store;
  if (match.kind === 'existing') {
    // Its files first, bound in the message's own statement: its event lists them.
    const attachmentIds = await stageEmailAttachments(
      db,
      attachmentStore,
      { inboundEmailId: row.id, conversationId: match.conversationId, customerId },
      email.attachments,
    );
    try {
      const posted = await postMessage(deps, {
        conversationId: match.conversationId,
        authorKind: 'customer',
        authorId: customerId,
        body,
        private: false,
        idempotencyKey,
        metadata,
        autoAnswer,
        attachmentIds,
      });
      conversationId = match.conversationId;
      messageId = posted.message.id;
    } catch (error) {
      // A closed conversation takes no more messages: the reply starts a new one.
      if (!(error instanceof HttpError && error.status === 409)) throw error;
    }
  }
  if (!messageId) {
    // Its files stored first and bound in the conversation's own transaction: message.created lists them.
    const files = await putEmailFiles(db, attachmentStore, row.id, email.attachments);
    let started;
    try {
      started = await startConversation(deps, {
        customerId,
        body,
        idempotencyKey,
        channelId,
        subject: email.subject.trim() || null,
        metadata,
        autoAnswer,
        withFiles: (tx, created) => insertEmailFiles(tx, files, { inboundEmailId: row.id, customerId, ...created }),
      });
    } catch (error) {
      await discardEmailFiles(attachmentStore, files);
      throw error;
    }
    // A replay (the conversation was started by an earlier attempt): the files are staged below instead.
    if (!started.created) await discardEmailFiles(attachmentStore, files);
    conversationId = started.conversation.id;
    messageId = started.message.id;
    // A new thread on a channel that makes tickets of mail opens one (not for an auto-reply or a
    // bounce); before the row is marked processed, so a retry after a crash still opens it, once.
    const channel = await db.channel.findUnique({ where: { id: channelId }, select: { settings: true } });
    if (!automated && emailChannelSettings(channel?.settings).createTickets) await openTicketForEmailThread(deps, { conversationId, inboundEmailId: row.id });
  }
  // Its files and inline images not bound yet (a new conversation's, or a retry's), before the row
  // is marked processed: a retry after a crash stores the ones still missing (one row per place).
  await stageEmailAttachments(db, attachmentStore, { inboundEmailId: row.id, conversationId: conversationId!, customerId }, email.attachments);
  await bindEmailAttachments(db, { inboundEmailId: row.id, conversationId: conversationId!, messageId });
  await db.inboundEmail.update({
    where: { id: row.id },
    data: { status: 'processed', conversationId, messageId, processedAt: new Date() },
  });
  return {
    outcome: 'processed',
    inboundEmailId: row.id,
    conversationId: conversationId!,
    messageId,
    threadedBy: match,
    automated,
    autoAnswer,
    bounceNote: false,
  };
}

/** A message an IMAP mailbox holds that is over the size limit: what the server said about it. */
export interface OversizeInboundEmail {
  mailbox: string;
  uidValidity: string;
  uid: number;
  size: number;
  maxBytes: number;
  messageId: string | null;
  subject: string | null;
  from: { address: string; name: string } | null;
}

/**
 * Records mail refused for its size before any of it was downloaded (IMAP): a row with status
 * refused and the reason, its sender and subject, no bytes — never a message, never half-stored.
 * Once per mailbox UID (a retried poll finds the row).
 */
export async function refuseOversizeEmail(deps: Pick<IngestDeps, 'db'>, channelId: string, mail: OversizeInboundEmail): Promise<void> {
  const dedupeKey = `imap-oversize:${mail.mailbox}:${mail.uidValidity}:${mail.uid}`;
  await deps.db.inboundEmail.upsert({
    where: { channelId_dedupeKey: { channelId, dedupeKey } },
    update: {},
    create: {
      channelId,
      dedupeKey,
      emailMessageId: mail.messageId,
      raw: new Uint8Array(0),
      size: mail.size,
      sha256: '',
      status: 'refused',
      reason: `too_large: The message is ${mail.size} bytes, over the limit of ${mail.maxBytes} bytes; it was not downloaded.`,
      subject: mail.subject,
      fromAddress: mail.from?.address.toLowerCase() ?? null,
      fromName: mail.from?.name || null,
      processedAt: new Date(),
    },
  });
}
