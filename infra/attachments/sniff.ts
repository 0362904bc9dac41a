// What a file is, from its bytes (file-type's magic numbers), never from the name or the type a
// client declared. Text has no magic number: bytes without NUL or other control characters are
// text/plain, anything else unrecognised is application/octet-stream.
import { fileTypeFromBuffer } from 'file-type';

/** How many leading bytes sniffing reads (file-type's own sample size). */
export const sniffBytes = 4100;

export interface SniffedType {
  /** The media type, e.g. image/png. */
  contentType: string;
  /** The usual file extension for it, without the dot, when known. */
  extension: string | null;
  /** False when no signature matched and the type is the text/plain or octet-stream fallback. */
  recognised: boolean;
}

function looksLikeText(head: Uint8Array): boolean {
  for (const byte of head) {
    // Tab, line feed, form feed, carriage return and escape appear in text; other C0 controls do not.
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b) return false;
    if (byte === 0x7f) return false;
  }
  return true;
}

export async function sniffContentType(head: Uint8Array): Promise<SniffedType> {
  const sample = head.subarray(0, sniffBytes);
  const found = sample.length > 0 ? await fileTypeFromBuffer(sample) : undefined;
  if (found) return { contentType: found.mime, extension: found.ext, recognised: true };
  if (sample.length > 0 && looksLikeText(sample)) return { contentType: 'text/plain', extension: 'txt', recognised: false };
  return { contentType: 'application/octet-stream', extension: null, recognised: false };
}

/** Raster image types a browser may show inline without risk (not SVG: it can carry script). */
const inlineSafeTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif']);

/** Whether a sniffed type may be served inline; everything else is Content-Disposition: attachment. */
export function isInlineSafe(contentType: string): boolean {
  return inlineSafeTypes.has(contentType.toLowerCase());
}

/** A file name safe to show and to put in Content-Disposition: no path, no control characters, at most 200 characters. Never a storage path. */
export function displayFileName(name: string | null | undefined): string | null {
  if (!name) return null;
  const base = name.replace(/\\/g, '/').split('/').pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  if (clean === '' || clean === '.' || clean === '..') return null;
  return [...clean].slice(0, 200).join('');
}
