// Some mailers (older Outlook and Foxmail set to Chinese, many scripts) write header fields in
// raw 8-bit GBK or Big5 instead of RFC 2047 encoded words: a subject or an attachment's file name
// then arrives as bytes that are not UTF-8, and every parser shows mojibake. Before parsing, each
// header block whose bytes are not valid UTF-8 is re-encoded as UTF-8 from the charset the message
// names (its Content-Type charset parameters), else from the first of GB18030 and Big5 that
// decodes it cleanly, else windows-1252. Blocks that are ASCII or valid UTF-8 are left untouched.

const charsetParam = /charset\s*=\s*"?([A-Za-z0-9_.:-]{1,40})/gi;
const unicodeLabels = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii', 'utf-16', 'utf-7']);

function hasEightBit(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
}

function decodesAs(bytes: Buffer, label: string): string | null {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The legacy charsets the message itself names, in order of appearance. */
function declaredCharsets(raw: Buffer, blocks: [number, number][]): string[] {
  const found: string[] = [];
  for (const [start, end] of blocks) {
    for (const match of raw.toString('latin1', start, end).matchAll(charsetParam)) {
      const label = match[1]!.toLowerCase();
      if (!unicodeLabels.has(label) && !found.includes(label)) found.push(label);
    }
  }
  return found;
}

/** The header text in UTF-8, or null when the bytes are already fine. */
function repairBlock(bytes: Buffer, candidates: string[]): string | null {
  if (!hasEightBit(bytes) || decodesAs(bytes, 'utf-8') !== null) return null;
  for (const label of candidates) {
    // GB2312 and GBK mail routinely uses characters only their superset GB18030 has.
    const effective = label === 'gb2312' || label === 'gbk' || label === 'x-gbk' ? 'gb18030' : label;
    const decoded = decodesAs(bytes, effective);
    if (decoded !== null) return decoded;
  }
  return new TextDecoder('windows-1252').decode(bytes);
}

/**
 * The raw message with every non-UTF-8 header block (ranges from scanMimeShape) re-encoded as
 * UTF-8; the same Buffer when nothing needed repair. Bodies are never touched.
 */
export function repairHeaderCharsets(raw: Buffer, blocks: [number, number][]): Buffer {
  let candidates: string[] | null = null;
  const pieces: Buffer[] = [];
  let copied = 0;
  for (const [start, end] of blocks) {
    const bytes = raw.subarray(start, end);
    if (!hasEightBit(bytes)) continue;
    candidates ??= [...declaredCharsets(raw, blocks), 'gb18030', 'big5'];
    const repaired = repairBlock(bytes, candidates);
    if (repaired === null) continue;
    pieces.push(raw.subarray(copied, start), Buffer.from(repaired, 'utf8'));
    copied = end;
  }
  if (pieces.length === 0) return raw;
  pieces.push(raw.subarray(copied));
  return Buffer.concat(pieces);
}
