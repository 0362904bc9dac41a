// Email in the conversation view, the pure parts: which messages came by email (their headers in
// `metadata.email`), where a message that leaves as mail stands (`delivery.status`), and the
// document a mail's original is shown in.
//
// The original's HTML is sanitised by the server (infra/email/inbound/email-html.ts) and shown in
// an iframe all the same, as a second wall: `sandbox` without allow-scripts (nothing in it runs),
// `srcdoc` (no URL of ours to navigate), and a Content-Security-Policy that forbids scripts,
// frames, forms and every image that is not inline data — always: the browser never calls a
// sender's server, so a tracking pixel learns nothing of the agent. The mail's own inline images
// (stored attachments, `data-attachment-id`) are fetched with the session and put in as data:
// URLs at once. Remote images arrive as `data-remote-src`; after the agent's "Show images" click
// each is fetched by the server (GET …/email/remote-images/:index, the image proxy) with the
// session and put in as a data: URL the same way (embedRemoteImages). The console's own policy
// (img-src 'self' data:) would refuse a remote src anyway, and a srcdoc frame inherits it.
import type { EmailMessageMetadata, MessageView } from '../shared/wire-types';

export type DeliveryStatus = 'queued' | 'sent' | 'failed';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : []);

/** The mail a customer message came from, or null; read defensively, as it arrives over the socket too. */
export function emailOf(message: Pick<MessageView, 'metadata'>): EmailMessageMetadata | null {
  const metadata: unknown = message.metadata;
  if (!isObject(metadata) || !isObject(metadata.email)) return null;
  const email = metadata.email;
  if (typeof email.inboundEmailId !== 'string') return null;
  return {
    inboundEmailId: email.inboundEmailId,
    subject: typeof email.subject === 'string' ? email.subject : '',
    from: typeof email.from === 'string' ? email.from : '',
    to: strings(email.to),
    cc: strings(email.cc),
    automated: email.automated === true,
    ...(Array.isArray(email.automatedReasons) ? { automatedReasons: strings(email.automatedReasons) } : {}),
  };
}

/** Where a message that leaves as mail stands (`delivery` on the message view), or null for any other. */
export function deliveryOf(message: object): { status: DeliveryStatus; error: string | null } | null {
  const delivery = (message as { delivery?: unknown }).delivery;
  if (!isObject(delivery)) return null;
  const status = delivery.status;
  if (status !== 'queued' && status !== 'sent' && status !== 'failed') return null;
  return { status, error: typeof delivery.error === 'string' && delivery.error ? delivery.error : null };
}

/** What the mail's body shows: the text or HTML without its quoted history unless asked for, and whether there is history to show. */
export function visibleBody<T>(whole: T, withoutQuote: T | null, showQuoted: boolean): { body: T; hasQuoted: boolean } {
  const hasQuoted = withoutQuote !== null;
  return { body: hasQuoted && !showQuoted ? withoutQuote : whole, hasQuoted };
}

const attachmentIdShape = /^[A-Za-z0-9_-]{1,100}$/;
const safeRasterDataUrl = /^data:image\/(?:png|jpeg|gif|webp|bmp);base64,[A-Za-z0-9+/=]+$/;
/** Image types an inline image is shown as: rasters only (an SVG can carry script). */
export const inlineImageTypes: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp'];

/**
 * The mail's own inline images (`cid:` parts the server stored as attachments): the ids its
 * sanitised HTML names in `data-attachment-id`, each once, in order.
 */
export function inlineAttachmentIds(html: string): string[] {
  const ids = new Set<string>();
  for (const tag of html.match(/<img\b[^>]*>/gi) ?? []) {
    const id = /\sdata-attachment-id="([^"]*)"/i.exec(tag)?.[1];
    if (id && attachmentIdShape.test(id)) ids.add(id);
  }
  return [...ids];
}

/**
 * Inline images put in place as data: URLs (fetched with the agent's session: the frame cannot
 * send it). They load nothing from anywhere, so they show at once; anything but a raster data:
 * URL is left out.
 */
export function embedInlineImages(html: string, images: ReadonlyMap<string, string>): string {
  if (images.size === 0) return html;
  return html.replace(/<img\b[^>]*>/gi, (tag) =>
    tag.replace(/\sdata-attachment-id="([^"]*)"/i, (attribute, id: string) => {
      const url = images.get(id);
      return url && safeRasterDataUrl.test(url) ? ` src="${url}"` : attribute;
    }),
  );
}

/**
 * The mail's remote images as the server numbers them for the image proxy: each `data-remote-src`
 * once, in document order, as written in the (full) sanitised HTML — index i is fetched from
 * GET …/email/remote-images/i (api/finders/email-finder.ts remoteImageUrls, which decodes them).
 */
export function remoteImageSources(html: string): string[] {
  const sources = new Set<string>();
  for (const tag of html.match(/<img\b[^>]*>/gi) ?? []) {
    const source = /\sdata-remote-src="(https?:\/\/[^"]*)"/i.exec(tag)?.[1];
    if (source) sources.add(source);
  }
  return [...sources];
}

/**
 * Remote images fetched through the server put in place as data: URLs (keyed by their
 * `data-remote-src` as written); anything but a raster data: URL, or an image not fetched, stays
 * a blank placeholder. Never a remote src.
 */
export function embedRemoteImages(html: string, images: ReadonlyMap<string, string>): string {
  if (images.size === 0) return html;
  return html.replace(/<img\b[^>]*>/gi, (tag) =>
    tag.replace(/\sdata-remote-src="([^"]*)"/i, (attribute, source: string) => {
      const url = images.get(source);
      return url && safeRasterDataUrl.test(url) ? ` src="${url}"` : attribute;
    }),
  );
}

/** The Content-Security-Policy of the original's document: nothing runs, nothing remote loads, images only as data: URLs. */
export function emailDocumentPolicy(): string {
  return "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src 'none'; script-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'";
}

/** The whole document for the iframe's `srcdoc`: inline images, and remote ones once fetched, as data: URLs. */
export function emailDocument(html: string, options: { inlineImages?: ReadonlyMap<string, string>; remoteImages?: ReadonlyMap<string, string> } = {}): string {
  const body = embedRemoteImages(embedInlineImages(html, options.inlineImages ?? new Map()), options.remoteImages ?? new Map());
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${emailDocumentPolicy()}">`,
    '<meta name="referrer" content="no-referrer">',
    '<style>html,body{margin:0;padding:0;background:#fff;color:#101828;font:14px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;overflow-wrap:anywhere}',
    'body{padding:12px 14px}img{max-width:100%;height:auto}table{max-width:100%}blockquote{margin:0 0 0 .8ex;border-left:2px solid #d0d5dd;padding-left:1ex;color:#475467}',
    'img[data-remote-src]{display:inline-block;min-width:16px;min-height:16px;background:#f2f4f7;outline:1px dashed #d0d5dd}</style>',
    `</head><body>${body}</body></html>`,
  ].join('');
}
