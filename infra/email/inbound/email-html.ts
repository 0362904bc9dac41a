// Server-side sanitising of email HTML (sanitize-html, an allow-list parser): what leaves here is
// safe to put in the console's DOM. No scripts, frames, objects, forms, event handlers, style
// blocks or javascript:/data: links; inline styles only from a short list of properties with no
// url(). Images never load by themselves:
// - remote images (http/https) lose their src and keep the URL as `data-remote-src`, so the
//   console shows them only after a "show images" click (no tracking pixel fires on open);
// - `cid:` inline images become `data-cid="<content-id>"`, or `data-attachment-id="<id>"` once
//   the caller passes the stored attachments' ids (`inlineImages`);
// - `data:` images of raster types stay as they are (they load nothing).
// Quote containers that mail clients mark (Gmail, Apple Mail, Thunderbird, Outlook, Yahoo) are
// tagged `data-email-part` so stripQuotedHtml() can hide the history for display while the full
// sanitised body stays one click away.
import sanitizeHtml from 'sanitize-html';

export interface SanitizeEmailHtmlOptions {
  /** Content-ID (without angle brackets) → stored attachment id, for inline images. */
  inlineImages?: ReadonlyMap<string, string>;
}

export interface SanitizedEmailHtml {
  html: string;
  /** Remote images withheld (each now has `data-remote-src`). */
  remoteImages: number;
  /** Content-IDs referenced by inline images that `inlineImages` did not resolve. */
  unresolvedCids: string[];
}

const allowedTags = [
  'a',
  'abbr',
  'address',
  'b',
  'big',
  'blockquote',
  'br',
  'caption',
  'center',
  'cite',
  'code',
  'col',
  'colgroup',
  'dd',
  'del',
  'div',
  'dl',
  'dt',
  'em',
  'font',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'tt',
  'u',
  'ul',
  'wbr',
];

const layoutAttributes = [
  'align',
  'valign',
  'width',
  'height',
  'bgcolor',
  'border',
  'cellpadding',
  'cellspacing',
  'colspan',
  'rowspan',
  'dir',
  'lang',
  'title',
  'style',
];

/** CSS properties kept in style attributes; values may not contain url(), expression() or escapes. */
const safeValue = [/^(?!.*(?:url\s*\(|expression\s*\(|\\|javascript:|@import))[^<>{}]{0,200}$/i];
const allowedStyleProperties = [
  'color',
  'background-color',
  'font',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'line-height',
  'text-align',
  'text-decoration',
  'text-indent',
  'text-transform',
  'letter-spacing',
  'white-space',
  'word-break',
  'vertical-align',
  'direction',
  'margin',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'padding',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'border',
  'border-top',
  'border-right',
  'border-bottom',
  'border-left',
  'border-color',
  'border-style',
  'border-width',
  'border-collapse',
  'border-radius',
  'width',
  'max-width',
  'min-width',
  'height',
  'list-style-type',
  'display',
];
const allowedStyles = { '*': Object.fromEntries(allowedStyleProperties.map((property) => [property, safeValue])) };

const safeRasterDataUrl = /^data:image\/(?:png|jpe?g|gif|webp|bmp);base64,[a-z0-9+/=\s]+$/i;
const httpUrl = /^https?:\/\//i;
const attachmentIdShape = /^[A-Za-z0-9_-]{1,100}$/;

type Attributes = Record<string, string>;
type EmailPart = 'quote' | 'quote-header' | 'quote-after' | 'signature';

/** Which quoted-history or signature container a mail client's markup denotes, if any. */
function emailPartOf(tag: string, attributes: Attributes): EmailPart | null {
  const classes = ` ${(attributes.class ?? '').toLowerCase()} `;
  const id = (attributes.id ?? '').toLowerCase();
  if (classes.includes(' gmail_signature ') || attributes['data-smartmail'] === 'gmail_signature') return 'signature';
  if (classes.includes(' gmail_attr ') || classes.includes(' moz-cite-prefix ')) return 'quote-header';
  if (classes.includes(' gmail_quote') || classes.includes(' yahoo_quoted ') || classes.includes(' protonmail_quote ')) return 'quote';
  if (tag === 'blockquote' && (attributes.type ?? '').toLowerCase() === 'cite') return 'quote';
  if (classes.includes(' moz-signature ') || id === 'signature') return 'signature';
  if (id === 'divrplyfwdmsg' || id === 'appendonsend' || id === 'mail-editor-reference-message-container') return 'quote-after';
  if (attributes['data-email-part'] && ['quote', 'quote-header', 'quote-after', 'signature'].includes(attributes['data-email-part'])) {
    return attributes['data-email-part'] as EmailPart; // our own earlier output, sanitised again
  }
  return null;
}

function sanitizeOptions(
  options: SanitizeEmailHtmlOptions,
  found: { remoteImages: number; unresolvedCids: Set<string> },
  extra: Partial<sanitizeHtml.IOptions> = {},
): sanitizeHtml.IOptions {
  const boundIds = new Set(options.inlineImages?.values() ?? []);
  return {
    allowedTags,
    allowedAttributes: {
      '*': [...layoutAttributes, 'data-email-part'],
      a: ['href', 'name', 'target', 'rel'],
      img: ['src', 'alt', 'data-remote-src', 'data-cid', 'data-attachment-id'],
      ol: ['start', 'type'],
      font: ['color', 'face', 'size'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['data'] },
    allowProtocolRelative: false,
    allowedStyles,
    disallowedTagsMode: 'discard',
    // Content of these is dropped along with the tag (the defaults plus title and head).
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'xmp', 'iframe', 'object', 'template', 'svg', 'math'],
    // Pathologically deep markup keeps its text, loses its tags past this depth.
    nestingLimit: 200,
    transformTags: {
      '*': (tagName, attribs) => {
        const attributes: Attributes = {};
        for (const [name, value] of Object.entries(attribs)) {
          // Only markers this function sets survive; anything else `data-*` is the sender's.
          if (!name.startsWith('data-')) attributes[name] = value;
        }
        const part = emailPartOf(tagName, attribs);
        delete attributes.class;
        delete attributes.id;
        if (part) attributes['data-email-part'] = part;
        if (tagName === 'a') {
          attributes.target = '_blank';
          attributes.rel = 'noopener noreferrer nofollow';
        }
        if (tagName === 'img') return { tagName, attribs: imageAttributes(attribs, attributes, options, boundIds, found) };
        return { tagName, attribs: attributes };
      },
    },
    ...extra,
  };
}

function imageAttributes(
  original: Attributes,
  attributes: Attributes,
  options: SanitizeEmailHtmlOptions,
  boundIds: Set<string>,
  found: { remoteImages: number; unresolvedCids: Set<string> },
): Attributes {
  delete attributes.src;
  const src = (original.src ?? '').trim();
  const cid = src.toLowerCase().startsWith('cid:') ? src.slice(4) : (original['data-cid'] ?? null);
  const remote = httpUrl.test(src) ? src : httpUrl.test(original['data-remote-src'] ?? '') ? original['data-remote-src']! : null;
  const attachmentId = original['data-attachment-id'];
  if (attachmentId && boundIds.has(attachmentId) && attachmentIdShape.test(attachmentId)) {
    attributes['data-attachment-id'] = attachmentId;
  } else if (cid) {
    const bound = options.inlineImages?.get(cid);
    if (bound && attachmentIdShape.test(bound)) attributes['data-attachment-id'] = bound;
    else {
      attributes['data-cid'] = cid;
      found.unresolvedCids.add(cid);
    }
  } else if (remote) {
    attributes['data-remote-src'] = remote;
    found.remoteImages += 1;
  } else if (safeRasterDataUrl.test(src)) {
    attributes.src = src;
  }
  return attributes;
}

/** Sanitises email HTML for display; running it again on its own output changes nothing. */
export function sanitizeEmailHtml(html: string, options: SanitizeEmailHtmlOptions = {}): SanitizedEmailHtml {
  const found = { remoteImages: 0, unresolvedCids: new Set<string>() };
  const clean = sanitizeHtml(html, sanitizeOptions(options, found)).trim();
  return { html: clean, remoteImages: found.remoteImages, unresolvedCids: [...found.unresolvedCids] };
}

const separatorText = /^\s*(?:-{2,}|_{2,})\s*(?:original message|forwarded message|原始邮件|原始郵件|转发邮件信息|转发的邮件|轉寄郵件)\s*(?:-{2,}|_{2,})?\s*$/i;
const outlookHeaderText = /^\s*(?:from|发件人|寄件者)\s*[:：][\s\S]{0,400}?(?:sent|date|发送时间|寄件日期|日期|时间)\s*[:：]/i;

/**
 * The sanitised HTML without quoted history and signatures, for display; null when nothing was
 * recognised as history (show the whole body). Everything from an Outlook-style reply header
 * (`divRplyFwdMsg`, a "From: … Sent: …" block, an "Original Message" separator) to the end is
 * history; Gmail/Apple/Thunderbird/Yahoo quote containers and marked signatures are removed.
 */
export function stripQuotedHtml(sanitizedHtml: string): string | null {
  let removed = false;
  let historyFrom: number | null = null;
  const found = { remoteImages: 0, unresolvedCids: new Set<string>() };
  const result = sanitizeHtml(
    sanitizedHtml,
    sanitizeOptions({}, found, {
      transformTags: {
        // The input is this module's output: keep its image markers, checked again.
        '*': (tagName, attribs) => {
          const attributes: Attributes = { ...attribs };
          if (attributes['data-remote-src'] && !httpUrl.test(attributes['data-remote-src'])) delete attributes['data-remote-src'];
          if (attributes['data-attachment-id'] && !attachmentIdShape.test(attributes['data-attachment-id'])) delete attributes['data-attachment-id'];
          return { tagName, attribs: attributes };
        },
      },
      exclusiveFilter: (frame) => {
        if (historyFrom !== null && frame.tagPosition >= historyFrom) return (removed = true);
        // An element that started before the history and held nothing else (Outlook's bordered
        // header box): empty now, so it goes too.
        if (historyFrom !== null && frame.text.trim() === '' && frame.mediaChildren.length === 0 && frame.tag !== 'br' && frame.tag !== 'img') {
          historyFrom = frame.tagPosition;
          return true;
        }
        const part = frame.attribs['data-email-part'];
        if (part === 'quote' || part === 'quote-header' || part === 'signature') return (removed = true);
        const text = frame.text.length <= 2000 ? frame.text : '';
        if (part === 'quote-after' || (frame.tag !== 'body' && (separatorText.test(text) || outlookHeaderText.test(text)))) {
          historyFrom = frame.tagPosition;
          return (removed = true);
        }
        return false;
      },
    }),
  ).trim();
  return removed ? result : null;
}
