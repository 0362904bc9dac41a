// The original of a message that came by email, for the console's "Show original": re-read from
// the raw MIME the inbound pipeline stored first (InboundEmail.raw), so what is shown is exactly
// what arrived, sanitised here on the server (infra/email/inbound/email-html.ts) before any
// browser sees it. The quoted history is identified (stripQuotedHtml, splitReplyText) so the
// console can collapse it; the whole body stays in the answer. Its remote images, withheld as
// `data-remote-src`, are numbered for the image proxy (remoteImageUrls).
import sanitizeHtml from 'sanitize-html';
import type { EmailOriginalView } from '../../contract/views.js';
import type { Db } from '../../infra/db.js';
import { sanitizeEmailHtml, stripQuotedHtml } from '../../infra/email/inbound/email-html.js';
import { defaultInboundLimits, type InboundLimits } from '../../infra/email/inbound/limits.js';
import { parseInboundEmail } from '../../infra/email/inbound/parse-inbound.js';
import { splitReplyText } from '../../infra/email/inbound/reply-text.js';

/**
 * The email a message of this conversation was made from, or null when there is none (an unknown
 * message, one of another conversation, or one that did not come by email). The caller has
 * checked that the viewer may see the conversation.
 */
export async function findMessageEmail(
  db: Db,
  conversationId: string,
  messageId: string,
  limits: Partial<InboundLimits> = {},
): Promise<EmailOriginalView | null> {
  const row = await db.inboundEmail.findFirst({
    where: { messageId, message: { conversationId } },
    select: { id: true, raw: true, size: true, subject: true, fromAddress: true, fromName: true, to: true, cc: true, automated: true, receivedAt: true },
  });
  if (!row) return null;
  // The mail was accepted under these limits once: it must parse again, whatever its size now.
  const parsed = await parseInboundEmail(Buffer.from(row.raw), {
    limits: { ...defaultInboundLimits, ...limits, maxMessageBytes: Math.max(row.size, limits.maxMessageBytes ?? defaultInboundLimits.maxMessageBytes) },
  });
  const base = { messageId, conversationId, inboundEmailId: row.id, receivedAt: row.receivedAt.toISOString(), automated: row.automated };
  if (!parsed.ok) {
    // Refused on a second reading (limits changed since): the headers stored with the row, no body.
    return {
      ...base,
      subject: row.subject ?? '',
      from: row.fromAddress ? { name: row.fromName ?? '', address: row.fromAddress } : null,
      to: row.to.map((address) => ({ name: '', address })),
      cc: row.cc.map((address) => ({ name: '', address })),
      date: null,
      html: null,
      htmlWithoutQuote: null,
      text: '',
      textWithoutQuote: null,
      remoteImages: 0,
      htmlTruncated: false,
    };
  }
  const { email } = parsed;
  // Inline images (cid:) point at their stored files: `data-attachment-id`, downloaded from
  // GET /api/attachments/:id (sanitising the sanitised HTML again changes nothing else).
  const inline = await db.attachment.findMany({ where: { messageId, inlineCid: { not: null } }, select: { id: true, inlineCid: true } });
  const html =
    email.html === null || inline.length === 0
      ? email.html
      : sanitizeEmailHtml(email.html, { inlineImages: new Map(inline.map((file) => [file.inlineCid!, file.id])) }).html;
  const split = splitReplyText(email.text);
  const textWithoutQuote = split.quoted !== null || split.signature !== null ? split.reply : null;
  return {
    ...base,
    subject: email.subject,
    from: email.from,
    to: email.to,
    cc: email.cc,
    date: email.date && !Number.isNaN(email.date.getTime()) ? email.date.toISOString() : null,
    html,
    htmlWithoutQuote: html === null ? null : stripQuotedHtml(html),
    text: email.text,
    textWithoutQuote,
    remoteImages: email.remoteImages,
    htmlTruncated: email.htmlTruncated,
  };
}

/**
 * The remote images of an email's sanitised HTML: each `data-remote-src` URL once, decoded, in
 * document order. Index i is what GET …/email/remote-images/i fetches; the console numbers them
 * the same way (console/src/inbox/email-message.ts, remoteImageSources).
 */
export function remoteImageUrls(sanitizedHtml: string): string[] {
  const urls = new Set<string>();
  sanitizeHtml(sanitizedHtml, {
    allowedTags: [],
    allowedAttributes: {},
    transformTags: {
      img: (tagName, attribs) => {
        const url = attribs['data-remote-src'];
        if (url && /^https?:\/\//i.test(url)) urls.add(url);
        return { tagName, attribs };
      },
    },
  });
  return [...urls];
}

/**
 * The index-th remote image URL of the email a message of this conversation was made from; null
 * when there is no such email or no such image. Only these URLs are ever fetched for the
 * console: the proxy is one mail's, never open. The caller has checked the conversation.
 */
export async function findEmailRemoteImageUrl(
  db: Db,
  conversationId: string,
  messageId: string,
  index: number,
  limits: Partial<InboundLimits> = {},
): Promise<string | null> {
  const email = await findMessageEmail(db, conversationId, messageId, limits);
  if (!email?.html) return null;
  return remoteImageUrls(email.html)[index] ?? null;
}
