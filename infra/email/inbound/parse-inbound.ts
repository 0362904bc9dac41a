// Raw MIME → one normalised inbound message, or a refusal with a reason. Never throws on what a
// sender controls: broken MIME is parsed as far as it goes (mailparser is lenient), and what
// cannot be parsed, or passes a limit, is refused whole with an InboundRefusal.
//
// Order: size check → MIME shape pre-scan (depth, parts, attachment count: refused before any
// body is decoded or buffered) → raw 8-bit header repair (GBK/Big5) → mailparser → per-attachment
// limits → type sniffing → HTML sanitising → automated-mail classification. The caller stores the
// raw bytes first (nothing accepted is lost), then this result.
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { displayFileName, sniffContentType } from '../../attachments/sniff.js';
import { classifyAutomatedMail, type AutomatedMailClass, type HeaderMap } from './automated-mail.js';
import { sanitizeEmailHtml } from './email-html.js';
import { repairHeaderCharsets } from './header-charset.js';
import { defaultInboundLimits, type InboundLimits, type InboundRefusal } from './limits.js';
import { scanMimeShape } from './mime-shape.js';
import { bareMessageId } from '../threading.js';

export interface InboundAddress {
  /** Lower-cased. */
  address: string;
  /** The display name, decoded; '' when none. */
  name: string;
}

export interface InboundAttachment {
  /** The sender's file name, cleaned for display (displayFileName); never a storage path. */
  fileName: string | null;
  /** The type the message declared (untrusted). */
  declaredType: string;
  /** The type sniffed from the bytes. */
  contentType: string;
  size: number;
  sha256: string;
  /** Content-ID without angle brackets, for `cid:` references. */
  contentId: string | null;
  /** An inline part (an embedded image) rather than a listed attachment. */
  inline: boolean;
  content: Buffer;
}

export interface InboundEmail {
  /** Without angle brackets; null when the message has none (dedupe then falls back to a digest). */
  messageId: string | null;
  inReplyTo: string[];
  /** Oldest first, as written. */
  references: string[];
  from: InboundAddress | null;
  replyTo: InboundAddress[];
  to: InboundAddress[];
  cc: InboundAddress[];
  /** Delivered-To and X-Original-To addresses (where a forwarding setup sent it), for token matching. */
  deliveredTo: string[];
  subject: string;
  date: Date | null;
  /** The plain text: the text/plain part, else text derived from the HTML. */
  text: string;
  /** The sanitised HTML (email-html.ts), or null when the message had none. */
  html: string | null;
  /** Remote images withheld in `html` (shown after "show images"). */
  remoteImages: number;
  /** The HTML was longer than maxHtmlChars: `html` shows its beginning only (the raw message has all). */
  htmlTruncated: boolean;
  attachments: InboundAttachment[];
  /** Header fields by lower-case name (unfolded raw values), for classification and audits. */
  headers: HeaderMap;
  automated: AutomatedMailClass;
  /** The raw message's size in bytes. */
  size: number;
  /** SHA-256 of the raw bytes: the dedupe key when there is no Message-ID. */
  sha256: string;
}

export type ParseInboundResult = { ok: true; email: InboundEmail } | { ok: false; refusal: InboundRefusal };

export interface ParseInboundOptions {
  limits?: Partial<InboundLimits>;
  /** X-Loop values our outgoing mail carries. */
  ownLoopTags?: readonly string[];
  isOwnMessageId?: (messageId: string) => boolean;
}

const refuse = (code: InboundRefusal['code'], message: string): ParseInboundResult => ({ ok: false, refusal: { code, message } });

const mib = (bytes: number) =>
  bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function addresses(value: AddressObject | AddressObject[] | undefined): InboundAddress[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: InboundAddress[] = [];
  const visit = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      else if (entry.address) out.push({ address: entry.address.trim().toLowerCase(), name: entry.name ?? '' });
    }
  };
  for (const object of list) visit(object.value);
  return out;
}

function headerMap(parsed: ParsedMail): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const { key, line } of parsed.headerLines) {
    const colon = line.indexOf(':');
    const value = (colon === -1 ? '' : line.slice(colon + 1)).replace(/\r?\n[ \t]+/g, ' ').trim();
    const name = key.toLowerCase();
    map.set(name, [...(map.get(name) ?? []), value]);
  }
  return map;
}

/** Message-IDs in a References/In-Reply-To value ("<a@b> <c@d>", or bare ids separated by space). */
function messageIds(value: string | string[] | undefined): string[] {
  const raw = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const ids: string[] = [];
  for (const entry of raw) {
    const bracketed = entry.match(/<[^<>\s]{1,500}>/g);
    for (const candidate of bracketed ?? entry.split(/[\s,]+/)) {
      const id = bareMessageId(candidate);
      if (id && !ids.includes(id)) ids.push(id);
    }
  }
  return ids;
}

function rawHeaderAddresses(headers: HeaderMap, names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    for (const value of headers.get(name) ?? []) {
      for (const match of value.matchAll(/[^\s<>,;"]{1,200}@[^\s<>,;"]{1,255}/g)) {
        const address = match[0].toLowerCase();
        if (!out.includes(address)) out.push(address);
      }
    }
  }
  return out;
}

const reportPart = (attachment: Attachment) => {
  const type = attachment.contentType.toLowerCase();
  return type === 'message/delivery-status' || type === 'message/global-delivery-status' || type === 'text/rfc822-headers' || type === 'message/rfc822-headers';
};

/**
 * The body after the message's header block, as UTF-8 text: what a broken message (a multipart
 * whose boundary never appears) still says when the parser found no text part in it.
 */
function unparsedBody(raw: Buffer, headerEnd: number): string {
  const body = raw.subarray(headerEnd, headerEnd + 1024 * 1024).toString('utf8');
  // Control characters other than tab and newline say nothing a reader needs.
  // eslint-disable-next-line no-control-regex
  const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/g;
  return body.replace(/\r\n?/g, '\n').replace(controlCharacters, '').trim();
}

export async function parseInboundEmail(raw: Buffer, options: ParseInboundOptions = {}): Promise<ParseInboundResult> {
  const limits: InboundLimits = { ...defaultInboundLimits, ...options.limits };
  if (raw.length > limits.maxMessageBytes) {
    return refuse('message_too_large', `the message is ${mib(raw.length)}, more than the ${mib(limits.maxMessageBytes)} allowed`);
  }
  const shape = scanMimeShape(raw, limits);
  if (shape.attachmentLike > limits.maxAttachments) {
    return refuse(
      'too_many_attachments',
      `the message has ${shape.exceeded ? 'at least ' : ''}${shape.attachmentLike} attachments, more than the ${limits.maxAttachments} allowed`,
    );
  }
  if (shape.exceeded === 'depth') return refuse('mime_too_deep', `MIME parts nest more than ${limits.maxMimeDepth} levels deep`);
  if (shape.exceeded === 'parts') return refuse('too_many_mime_parts', `the message has more than ${limits.maxMimeParts} MIME parts`);
  if (shape.headerBlocks.length === 0 || !/^[\x21-\x39\x3b-\x7e]{1,100}:/.test(raw.toString('latin1', 0, 200))) {
    return refuse('not_a_message', 'the data does not start with a header field: it is not an email message');
  }

  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(repairHeaderCharsets(raw, shape.headerBlocks), {
      keepCidLinks: true,
      keepDeliveryStatus: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      checksumAlgo: 'sha256',
      // Converting a huge HTML body to text costs more than it is worth; its text stays empty.
      maxHtmlLengthToParse: limits.maxHtmlChars,
      maxChildNodes: limits.maxMimeParts,
    });
  } catch (error) {
    return refuse('unparseable', `the MIME structure cannot be parsed: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}`);
  }

  const headers = headerMap(parsed);
  const reports = parsed.attachments.filter(reportPart);
  const files = parsed.attachments.filter((attachment) => !reportPart(attachment));
  if (files.length > limits.maxAttachments) {
    return refuse('too_many_attachments', `the message has ${files.length} attachments, more than the ${limits.maxAttachments} allowed`);
  }
  const oversize = files.find((attachment) => attachment.size > limits.maxAttachmentBytes);
  if (oversize) {
    return refuse('attachment_too_large', `an attachment is ${mib(oversize.size)}, more than the ${mib(limits.maxAttachmentBytes)} allowed per attachment`);
  }

  const attachments: InboundAttachment[] = [];
  for (const attachment of files) {
    const sniffed = await sniffContentType(attachment.content);
    attachments.push({
      fileName: displayFileName(attachment.filename),
      declaredType: attachment.contentType.toLowerCase(),
      contentType: sniffed.contentType,
      size: attachment.content.length,
      sha256: attachment.checksum || createHash('sha256').update(attachment.content).digest('hex'),
      contentId: attachment.cid ?? (attachment.contentId ? bareMessageId(attachment.contentId) : null),
      inline: attachment.related === true || attachment.contentDisposition === 'inline',
      content: attachment.content,
    });
  }

  const rawHtml = typeof parsed.html === 'string' && parsed.html.trim() !== '' ? parsed.html : null;
  const htmlTruncated = rawHtml !== null && rawHtml.length > limits.maxHtmlChars;
  const sanitized = rawHtml === null ? null : sanitizeEmailHtml(htmlTruncated ? rawHtml.slice(0, limits.maxHtmlChars) : rawHtml);
  const from = addresses(parsed.from)[0] ?? null;
  const subject = parsed.subject ?? '';
  const messageId = parsed.messageId ? bareMessageId(parsed.messageId) : null;
  const deliveryStatus = reports.find((part) => part.contentType.toLowerCase().endsWith('delivery-status'));
  const returnedHeaders = reports.find((part) => part.contentType.toLowerCase().endsWith('rfc822-headers'));
  const embedded = parsed.attachments.find((part) => part.contentType.toLowerCase() === 'message/rfc822');
  const automated = classifyAutomatedMail({
    headers,
    from: from?.address ?? null,
    subject,
    messageId,
    deliveryStatus: deliveryStatus ? deliveryStatus.content.toString('utf8') : null,
    returnedHeaders: returnedHeaders ? returnedHeaders.content.toString('utf8') : embedded ? embedded.content.subarray(0, 64 * 1024).toString('utf8') : null,
    ownLoopTags: options.ownLoopTags,
    isOwnMessageId: options.isOwnMessageId,
  });

  return {
    ok: true,
    email: {
      messageId,
      inReplyTo: messageIds(parsed.inReplyTo),
      references: messageIds(parsed.references),
      from,
      replyTo: addresses(parsed.replyTo),
      to: addresses(parsed.to),
      cc: addresses(parsed.cc),
      deliveredTo: rawHeaderAddresses(headers, ['delivered-to', 'x-original-to', 'envelope-to']),
      subject,
      date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
      text: parsed.text || (sanitized || files.length > 0 ? '' : unparsedBody(raw, shape.headerBlocks[0]![1])),
      html: sanitized?.html || null,
      remoteImages: sanitized?.remoteImages ?? 0,
      htmlTruncated,
      attachments,
      headers,
      automated,
      size: raw.length,
      sha256: createHash('sha256').update(raw).digest('hex'),
    },
  };
}
