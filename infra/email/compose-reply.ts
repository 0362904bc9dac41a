// A message of a conversation as the mail that carries it to the customer (issue 17, outbound):
// who it is from (the channel's address and name, else MAIL_FROM), where replies go (the
// conversation's reply token address), how it threads (our Message-ID, In-Reply-To the customer's
// latest mail, References the whole chain), the subject ("Re: …", never "Re: Re: …") and the body
// as plain text plus HTML rendered the way the help center renders Markdown (contract/markdown.ts:
// raw HTML escaped, unsafe links left as text), with the channel's signature. Pure: the caller
// looks the facts up (activities/email-activities.ts).
import { renderMarkdown } from '../../contract/markdown.js';
import type { MailAddress, OutgoingEmail } from './mailer.js';
import { bareMessageId } from './threading.js';

/** What an email channel's settings (Channel.settings, api/admin-fields.ts) say about outgoing mail. */
export interface EmailChannelSettings {
  /** The channel's address: From, when set. */
  address: string | null;
  /** The display name of From; the channel's name when not set. */
  fromName: string | null;
  /** Added under every reply, after the usual "-- " line. */
  signature: string | null;
  /** Replies keep the thread's Cc (reply-all); on unless set to false. */
  replyAll: boolean;
  /** Each new thread also opens a linked ticket (api/services/email/ingest-email.ts); off unless set to true. */
  createTickets: boolean;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/** Reads the settings leniently: a missing or malformed field counts as not set. */
export function emailChannelSettings(settings: unknown): EmailChannelSettings {
  const record = typeof settings === 'object' && settings !== null ? (settings as Record<string, unknown>) : {};
  return {
    address: text(record.address),
    fromName: text(record.fromName),
    signature: text(record.signature),
    replyAll: record.replyAll !== false,
    createTickets: record.createTickets === true,
  };
}

/** Leading reply markers mail clients add: Re:, RE:, Aw: (German), Sv: (Nordic), 回复/回覆/答复 (Chinese), with a full-width colon too. */
const replyPrefix = /^\s*(?:(?:re|aw|sv|回复|回覆|答复)\s*(?:\[\d+\])?\s*[:：]\s*)+/i;

/** "Re: " and the subject without the reply markers it already has; `[#n]` when the conversation has no subject. */
export function replySubject(subject: string | null, conversationNumber: number): string {
  const bare = (subject ?? '').replace(replyPrefix, '').replace(/\s+/g, ' ').trim();
  return `Re: ${bare || `[#${conversationNumber}]`}`;
}

const angle = (id: string) => {
  const bare = bareMessageId(id);
  return bare ? `<${bare}>` : null;
};

/** References kept: the thread's first Message-ID and the newest ones (RFC 5322 §3.6.4 lets the middle go). */
const maxReferences = 20;

export interface ThreadMail {
  /** A Message-ID of the thread (either form); `inbound`: the customer's, else one we sent. */
  messageId: string;
  inbound: boolean;
}

/** In-Reply-To (the customer's latest mail, else our latest) and References (the chain, oldest first, without repeats). */
export function threadHeaders(thread: readonly ThreadMail[]): { inReplyTo?: string; references: string[] } {
  const seen = new Set<string>();
  const chain: string[] = [];
  for (const mail of thread) {
    const id = angle(mail.messageId);
    if (id && !seen.has(id.toLowerCase())) {
      seen.add(id.toLowerCase());
      chain.push(id);
    }
  }
  const lastInbound = [...thread].reverse().find((mail) => angle(mail.messageId) !== null && mail.inbound);
  const inReplyTo = lastInbound ? angle(lastInbound.messageId)! : chain.at(-1);
  const references = chain.length > maxReferences ? [chain[0]!, ...chain.slice(-(maxReferences - 1))] : chain;
  return { ...(inReplyTo ? { inReplyTo } : {}), references };
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);

export interface ReplyFacts {
  channel: { name: string; settings: unknown };
  conversation: { number: number; subject: string | null };
  /** The message as written (Markdown). */
  body: string;
  to: string[];
  cc?: string[];
  /** The conversation's reply token address (threading.ts, replyAddress). */
  replyTo: string;
  /** Ours, from createOutgoingMessageId. */
  messageId: string;
  /** The conversation's mail so far, oldest first: stored inbound Message-IDs and the ones we sent. */
  thread: readonly ThreadMail[];
  /** A message the product wrote (the bot): marked Auto-Submitted so other robots do not answer it. */
  automatic?: boolean;
  /** The conversation's first message, written by an agent to a customer who never wrote: the subject as it is, no "Re: ". */
  opensThread?: boolean;
  /**
   * The names of the files sent with the message. A message of files only carries their names as
   * its text (the console's stand-in, console/src/shared/attachments.ts messageBodyFor): such a
   * mail's body stays empty, the files are attached.
   */
  fileNames?: readonly string[];
}

/** The text the mail says: the message's, unless it is only the names of its files. */
function mailBody(facts: ReplyFacts): string {
  const body = facts.body.trim();
  return facts.fileNames && facts.fileNames.length > 0 && body === facts.fileNames.join(', ') ? '' : body;
}

/** The mail for one message. */
export function composeReply(facts: ReplyFacts): OutgoingEmail {
  const settings = emailChannelSettings(facts.channel.settings);
  const from: MailAddress | undefined = settings.address ? { name: settings.fromName ?? facts.channel.name, address: settings.address } : undefined;
  const body = mailBody(facts);
  const signature = settings.signature;
  const text = signature ? `${body}\n\n-- \n${signature}\n` : body ? `${body}\n` : '';
  const signatureHtml = signature ? `<div class="signature">-- <br>${escapeHtml(signature).replace(/\r?\n/g, '<br>')}</div>` : '';
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${renderMarkdown(body)}${signatureHtml}</body></html>`;
  const { inReplyTo, references } = threadHeaders(facts.thread);
  return {
    ...(from ? { from } : {}),
    to: facts.to,
    ...(facts.cc && facts.cc.length > 0 ? { cc: facts.cc } : {}),
    subject: facts.opensThread
      ? facts.conversation.subject?.replace(/\s+/g, ' ').trim() || `[#${facts.conversation.number}]`
      : replySubject(facts.conversation.subject, facts.conversation.number),
    text,
    html,
    replyTo: facts.replyTo,
    messageId: facts.messageId,
    ...(inReplyTo ? { inReplyTo } : {}),
    references,
    ...(facts.automatic ? { headers: { 'Auto-Submitted': 'auto-replied' } } : {}),
  };
}
