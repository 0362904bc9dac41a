// Classifies a received message as an automatic reply, a bounce, list mail or our own mail come
// back, from its headers (and, for bounces, its delivery-status report). Pure: the caller decides
// what to do — never answer automatically (bot, rules, CSAT) when mayAutoReply() is false, mark a
// recipient's address as bouncing on a permanent bounce, drop our own looped mail.
//
// Signals (RFC 3834, RFC 3464, RFC 2919, and what Exchange, Gmail and common MTAs send):
//   Auto-Submitted other than "no"; X-Autoreply, X-Autorespond, X-AutoReply-From,
//   X-Mail-Autoreply; X-Auto-Response-Suppress (Exchange's own automatic mail carries it);
//   Precedence bulk / list / junk / auto_reply; X-Loop; List-Id / List-Unsubscribe (list mail);
//   a null Return-Path (<>); mailer-daemon / postmaster senders; multipart/report with
//   report-type=delivery-status; X-Failed-Recipients (Exim).

export type HeaderMap = ReadonlyMap<string, readonly string[]>;

export interface Bounce {
  /** Recipients the report names as failed (Action: failed, or X-Failed-Recipients), lower-cased. */
  failedRecipients: string[];
  /** A 5.x.x status (or a failure with no status): the address will not work. Delays are not bounces. */
  permanent: boolean;
  /** The first status code the report gives, e.g. "5.1.1". */
  status: string | null;
  /** The Message-ID (no angle brackets) of the message that bounced, when the report quotes it. */
  originalMessageId: string | null;
}

export interface AutomatedMailClass {
  /** Sent by a machine (auto-reply, out-of-office, notification, bounce): never answer it automatically. */
  autoReply: boolean;
  bounce: Bounce | null;
  /** Mailing-list or bulk mail. */
  list: boolean;
  /** Our own outgoing mail, come back (X-Loop or our Message-ID scheme). */
  ownLoop: boolean;
  /** Which signals were seen, e.g. "auto-submitted: auto-replied", for logs and the admin view. */
  reasons: string[];
}

export interface AutomatedMailInput {
  /** Header fields by lower-case name, values unfolded, in order. */
  headers: HeaderMap;
  /** The sender's address (From). */
  from: string | null;
  subject: string;
  messageId: string | null;
  /** The text of a message/delivery-status part, when there is one. */
  deliveryStatus: string | null;
  /** The headers of the bounced message (a text/rfc822-headers or message/rfc822 part), when quoted. */
  returnedHeaders: string | null;
  /** X-Loop values our own outgoing mail carries. */
  ownLoopTags?: readonly string[];
  /** True for Message-IDs our outgoing scheme generates (threading.ts isOwnMessageId). */
  isOwnMessageId?: (messageId: string) => boolean;
}

const bounceSubject =
  /undeliver|delivery status notification \(failure\)|failure notice|returned mail|delivery fail|mail delivery failed|could not be delivered|退信|未能送达|无法投递|投递失败|系統退信|投遞失敗|無法傳遞/i;
const daemonSender = /^(?:mailer-daemon|postmaster|mail-daemon|maildaemon)@/i;

const first = (headers: HeaderMap, name: string): string | null => headers.get(name)?.[0]?.trim() ?? null;

/** Per-recipient fields of an RFC 3464 report: one block per recipient, separated by blank lines. */
function parseDeliveryStatus(text: string): { recipient: string | null; action: string; status: string | null }[] {
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  const recipients: { recipient: string | null; action: string; status: string | null }[] = [];
  for (const block of blocks) {
    const fields = new Map<string, string>();
    for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const action = fields.get('action')?.toLowerCase();
    if (!action) continue;
    const recipientField = fields.get('final-recipient') ?? fields.get('original-recipient') ?? null;
    const recipient = recipientField
      ? recipientField
          .replace(/^[^;]*;\s*/, '')
          .replace(/^<|>$/g, '')
          .trim()
          .toLowerCase() || null
      : null;
    const status = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(fields.get('status') ?? '')?.[1] ?? null;
    recipients.push({ recipient, action, status });
  }
  return recipients;
}

function quotedMessageId(headersText: string | null): string | null {
  if (!headersText) return null;
  const match = /^message-id:\s*<?([^\s<>]{1,500})>?/im.exec(headersText);
  return match?.[1] ?? null;
}

function addressList(value: string | null): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((part) => part.trim().replace(/^<|>$/g, '').toLowerCase())
    .filter((part) => part.includes('@'));
}

export function classifyAutomatedMail(input: AutomatedMailInput): AutomatedMailClass {
  const { headers } = input;
  const reasons: string[] = [];
  let autoReply = false;
  let list = false;
  let ownLoop = false;

  const autoSubmitted = first(headers, 'auto-submitted')?.toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) {
    autoReply = true;
    reasons.push(`auto-submitted: ${autoSubmitted}`);
  }
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoreply-from', 'x-mail-autoreply', 'x-autogenerated', 'x-auto-response-suppress']) {
    const value = first(headers, name);
    if (value === null) continue;
    if (name === 'x-autogenerated' && !/^(?:reply|forward|group|letter)/i.test(value)) continue;
    // DR/RN/NRN only ask for no delivery and read receipts; All/OOF/AutoReply ask for no auto-replies.
    if (name === 'x-auto-response-suppress' && !/\b(?:all|oof|autoreply)\b/i.test(value)) continue;
    autoReply = true;
    reasons.push(`${name}: ${value.slice(0, 60)}`);
  }
  const precedence = first(headers, 'precedence')?.toLowerCase();
  if (precedence && ['bulk', 'list', 'junk', 'auto_reply'].includes(precedence)) {
    autoReply = true;
    if (precedence !== 'auto_reply') list = true;
    reasons.push(`precedence: ${precedence}`);
  }
  if (headers.has('list-id') || headers.has('list-unsubscribe')) {
    list = true;
    reasons.push(headers.has('list-id') ? 'list-id' : 'list-unsubscribe');
  }
  const loopTags = (headers.get('x-loop') ?? []).map((value) => value.trim().toLowerCase());
  if (loopTags.length > 0) {
    autoReply = true;
    reasons.push(`x-loop: ${loopTags[0]!.slice(0, 60)}`);
    const own = new Set((input.ownLoopTags ?? []).map((tag) => tag.toLowerCase()));
    if (loopTags.some((tag) => own.has(tag))) ownLoop = true;
  }
  if (input.messageId && input.isOwnMessageId?.(input.messageId)) {
    ownLoop = true;
    reasons.push('own message-id');
  }
  const returnPath = first(headers, 'return-path');
  const nullSender = returnPath !== null && /^<\s*>$/.test(returnPath);
  if (nullSender) {
    autoReply = true;
    reasons.push('return-path: <>');
  }
  const from = input.from?.toLowerCase() ?? '';
  const fromDaemon = daemonSender.test(from);
  if (fromDaemon) {
    autoReply = true;
    reasons.push(`from: ${from}`);
  }

  // Bounces: a delivery-status report, Exim's header, or a daemon / null sender saying so.
  const contentType = first(headers, 'content-type')?.toLowerCase() ?? '';
  const isReport = contentType.startsWith('multipart/report') && /report-type\s*=\s*"?delivery-status/.test(contentType);
  const reported = input.deliveryStatus ? parseDeliveryStatus(input.deliveryStatus) : [];
  const failedByReport = reported.filter((entry) => entry.action === 'failed');
  const eximFailed = addressList(first(headers, 'x-failed-recipients'));
  const looksBounced = (fromDaemon || nullSender) && bounceSubject.test(input.subject);
  let bounce: Bounce | null = null;
  if (failedByReport.length > 0 || eximFailed.length > 0 || ((isReport || looksBounced) && !reported.some((entry) => entry.action !== 'failed'))) {
    const failedRecipients = [...new Set([...failedByReport.map((entry) => entry.recipient).filter((r): r is string => r !== null), ...eximFailed])];
    const status = failedByReport.find((entry) => entry.status)?.status ?? null;
    bounce = {
      failedRecipients,
      permanent: status === null ? true : status.startsWith('5'),
      status,
      originalMessageId: quotedMessageId(input.returnedHeaders),
    };
    autoReply = true;
    reasons.push(isReport ? 'delivery-status report' : eximFailed.length > 0 ? 'x-failed-recipients' : 'bounce notice');
  } else if (isReport || reported.length > 0) {
    // A delay or success notice: automatic, not a bounce.
    autoReply = true;
    reasons.push('delivery-status report (not failed)');
  }
  return { autoReply, bounce, list, ownLoop, reasons };
}

/** Whether the product may answer this message automatically (bot, rules, CSAT, acknowledgements). */
export function mayAutoReply(classification: AutomatedMailClass): boolean {
  return !classification.autoReply && !classification.list && !classification.ownLoop && classification.bounce === null;
}
