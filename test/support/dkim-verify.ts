// A DKIM verifier for tests (RFC 6376, rsa-sha256 with relaxed/relaxed canonicalisation, the
// only form nodemailer signs): checks a received mail's DKIM-Signature against a public key the
// test holds, instead of one published in DNS. Independent of nodemailer's signer: the body hash
// and the signed header block are recomputed here from the bytes that came over SMTP.
import { createHash, verify, type KeyObject } from 'node:crypto';

export interface DkimCheck {
  valid: boolean;
  /** Why not, when not valid. */
  reason?: string;
  /** The signature's tags (d, s, h, bh, b, c, a, …), whitespace removed. */
  tags: Record<string, string>;
}

const splitMessage = (raw: Buffer): { headerBlock: string; body: string } => {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return { headerBlock: text, body: '' };
  return { headerBlock: text.slice(0, end + 2), body: text.slice(end + 4) };
};

/** Header fields in order, each as its raw text (folded lines included, no final CRLF). */
const headerFields = (headerBlock: string): string[] => {
  const fields: string[] = [];
  for (const line of headerBlock.split('\r\n')) {
    if (line === '') continue;
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1] += `\r\n${line}`;
    else fields.push(line);
  }
  return fields;
};

const fieldName = (field: string) => field.slice(0, field.indexOf(':')).trim().toLowerCase();

/** RFC 6376 3.4.2: lower-case name, unfolded value with runs of whitespace as one space, trimmed. */
const relaxedHeader = (field: string) => {
  const colon = field.indexOf(':');
  const value = field
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${fieldName(field)}:${value}`;
};

/** RFC 6376 3.4.4: whitespace runs as one space, none at line ends, no empty lines at the end. */
const relaxedBody = (body: string) => {
  const lines = body.split('\r\n').map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
};

export function verifyDkim(raw: Buffer, publicKey: KeyObject | string): DkimCheck {
  const { headerBlock, body } = splitMessage(raw);
  const fields = headerFields(headerBlock);
  const signatureField = fields.find((field) => fieldName(field) === 'dkim-signature');
  if (!signatureField) return { valid: false, reason: 'no DKIM-Signature header', tags: {} };
  const tagText = signatureField.slice(signatureField.indexOf(':') + 1);
  const tags: Record<string, string> = {};
  for (const part of tagText.split(';')) {
    const equals = part.indexOf('=');
    if (equals < 0) continue;
    tags[part.slice(0, equals).trim()] = part.slice(equals + 1).replace(/\s+/g, '');
  }
  if (tags.a !== 'rsa-sha256' || tags.c !== 'relaxed/relaxed') return { valid: false, reason: `unsupported a=${tags.a} c=${tags.c}`, tags };

  const bodyHash = createHash('sha256').update(relaxedBody(body), 'latin1').digest('base64');
  if (bodyHash !== tags.bh) return { valid: false, reason: 'body hash differs', tags };

  // The fields h= names, each taken from the bottom up (RFC 6376 5.4.2), then the signature
  // header itself with an empty b= and no final CRLF.
  const used = new Set<number>();
  let signed = '';
  for (const name of (tags.h ?? '').split(':').map((n) => n.trim().toLowerCase())) {
    for (let i = fields.length - 1; i >= 0; i--) {
      if (used.has(i) || fieldName(fields[i]!) !== name) continue;
      used.add(i);
      signed += `${relaxedHeader(fields[i]!)}\r\n`;
      break;
    }
  }
  signed += relaxedHeader(signatureField.replace(/((?:^|;)\s*b\s*=)[^;]*/, '$1'));
  const ok = verify('sha256', Buffer.from(signed, 'latin1'), publicKey, Buffer.from(tags.b ?? '', 'base64'));
  return ok ? { valid: true, tags } : { valid: false, reason: 'signature does not verify', tags };
}
