// A linear pre-scan of a raw message's MIME tree: how deep it nests, how many parts it has and
// how many of them look like attachments. It runs before the real parser so that a "zip bomb"
// of nested multiparts or a message with thousands of parts is refused without being parsed and
// buffered. It only counts; it never decodes bodies. Broken structure (an unclosed boundary, a
// missing header block) is counted as far as it goes, never thrown on.

export interface MimeShape {
  /** The deepest part: 1 for a single-part message, 2 for the children of a top-level multipart. */
  depth: number;
  /** Every part, containers included (the message itself counts as one). */
  parts: number;
  /** Parts with `Content-Disposition: attachment` or a file name. */
  attachmentLike: number;
  /** Set when the scan stopped early because a limit was passed (the counts are lower bounds then). */
  exceeded: 'depth' | 'parts' | null;
  /** Byte ranges [start, end) of every header block found, the message's own first. */
  headerBlocks: [number, number][];
}

interface PartHeader {
  mediaType: string;
  boundary: string | null;
  transferEncoding: string;
  attachmentLike: boolean;
}

const boundaryParam = /(?:^|;)\s*boundary\s*=\s*(?:"([^"]{1,200})"|([^\s;"]{1,200}))/i;
const fileNameParam = /(?:^|;)\s*(?:file)?name\*?(?:\*\d+\*?)?\s*=/i;

function parseHeaderBlock(lines: string[]): PartHeader {
  // Unfold: a line starting with white space continues the previous field.
  const fields: string[] = [];
  for (const line of lines) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && fields.length > 0) fields[fields.length - 1] += line;
    else fields.push(line);
  }
  let contentType = '';
  let disposition = '';
  let transferEncoding = '';
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon <= 0) continue;
    const name = field.slice(0, colon).trim().toLowerCase();
    const value = field.slice(colon + 1).trim();
    if (name === 'content-type' && !contentType) contentType = value;
    else if (name === 'content-disposition' && !disposition) disposition = value;
    else if (name === 'content-transfer-encoding' && !transferEncoding) transferEncoding = value.toLowerCase();
  }
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() || 'text/plain';
  const params = semicolon === -1 ? '' : contentType.slice(semicolon);
  const boundaryMatch = mediaType.startsWith('multipart/') ? boundaryParam.exec(params) : null;
  return {
    mediaType,
    boundary: boundaryMatch ? (boundaryMatch[1] ?? boundaryMatch[2] ?? null) : null,
    transferEncoding,
    attachmentLike: /^\s*attachment/i.test(disposition) || fileNameParam.test(disposition) || fileNameParam.test(params),
  };
}

export function scanMimeShape(raw: Buffer, limits: { maxMimeDepth: number; maxMimeParts: number }): MimeShape {
  // latin1 maps every byte to one character, so offsets stay byte offsets and nothing is decoded.
  const text = raw.toString('latin1');
  let position = 0;
  const nextLine = (): string | null => {
    if (position >= text.length) return null;
    const end = text.indexOf('\n', position);
    const line = text.slice(position, end === -1 ? text.length : end);
    position = end === -1 ? text.length : end + 1;
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  };
  const shape: MimeShape = { depth: 0, parts: 0, attachmentLike: 0, exceeded: null, headerBlocks: [] };
  // Open multiparts, innermost last, each with the depth of its own part.
  const open: { delimiter: string; close: string; depth: number }[] = [];
  const readHeader = (): PartHeader => {
    const lines: string[] = [];
    const start = position;
    let end = position;
    for (let lineStart = position, line = nextLine(); line !== null && line !== ''; lineStart = position, line = nextLine()) {
      // A delimiter of an open multipart ends a part that has no blank line after its headers.
      if (line.startsWith('--') && open.some((multipart) => line.trimEnd() === multipart.delimiter || line.trimEnd() === multipart.close)) {
        position = lineStart;
        break;
      }
      lines.push(line);
      end = position;
    }
    if (end > start) shape.headerBlocks.push([start, end]);
    return parseHeaderBlock(lines);
  };

  const enterPart = (depth: number): boolean => {
    let header = readHeader();
    for (;;) {
      shape.parts += 1;
      shape.depth = Math.max(shape.depth, depth);
      if (header.attachmentLike) shape.attachmentLike += 1;
      if (depth > limits.maxMimeDepth) shape.exceeded = 'depth';
      else if (shape.parts > limits.maxMimeParts) shape.exceeded = 'parts';
      if (shape.exceeded) return false;
      if (header.boundary) open.push({ delimiter: `--${header.boundary}`, close: `--${header.boundary}--`, depth });
      // An embedded message that is not transfer-encoded starts with its own header block.
      const encoded = header.transferEncoding === 'base64' || header.transferEncoding === 'quoted-printable';
      if (header.mediaType !== 'message/rfc822' && header.mediaType !== 'message/global') return true;
      if (encoded) return true;
      header = readHeader();
      depth += 1;
    }
  };

  if (!enterPart(1)) return shape;
  for (let line = nextLine(); line !== null; line = nextLine()) {
    if (open.length === 0 || !line.startsWith('--')) continue;
    const candidate = line.trimEnd();
    for (let index = open.length - 1; index >= 0; index -= 1) {
      const multipart = open[index]!;
      if (candidate === multipart.close) {
        open.length = index;
        break;
      }
      if (candidate === multipart.delimiter) {
        open.length = index + 1;
        if (!enterPart(multipart.depth + 1)) return shape;
        break;
      }
    }
  }
  return shape;
}
