// The shared first step of every put: stream the bytes into a temporary file, counting, hashing
// and keeping the first bytes for sniffing; stop and delete the file as soon as the size limit is
// passed. Then sniff the type and check the policy. putSpooled() is the whole put around it: the
// store moves the file into place (disk) or uploads it (S3), and the temporary file goes either way.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { defaultAttachmentPolicy, typeAllowed, type AttachmentPolicy, type PutResult } from './attachment-store.js';
import { sniffBytes, sniffContentType } from './sniff.js';

export interface Spooled {
  file: string;
  size: number;
  sha256: string;
  contentType: string;
}

class TooLarge extends Error {}

const refusal = (code: 'too_large' | 'type_not_allowed' | 'empty', message: string) => ({ ok: false as const, refusal: { code, message } });

/** Spools the content under `tmpDir`; on refusal the temporary file is already gone. */
export async function spool(
  content: Buffer | Uint8Array | Readable,
  tmpDir: string,
  policyInput: Partial<AttachmentPolicy> = {},
): Promise<{ ok: true; spooled: Spooled } | Exclude<PutResult, { ok: true }>> {
  const policy: AttachmentPolicy = { ...defaultAttachmentPolicy, ...policyInput };
  await mkdir(tmpDir, { recursive: true });
  const file = path.join(tmpDir, `${randomBytes(16).toString('hex')}.part`);
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > policy.maxBytes) return callback(new TooLarge());
      hash.update(chunk);
      if (headBytes < sniffBytes) {
        head.push(chunk.subarray(0, sniffBytes - headBytes));
        headBytes += Math.min(chunk.length, sniffBytes - headBytes);
      }
      callback(null, chunk);
    },
  });
  const source =
    Buffer.isBuffer(content) || content instanceof Uint8Array ? Readable.from([Buffer.from(content.buffer, content.byteOffset, content.byteLength)]) : content;
  try {
    // Opened before the pipeline runs: a stream that opened its file lazily could create it after a
    // refusal had already removed it, leaving a temporary file behind.
    const handle = await open(file, 'wx', 0o600);
    await pipeline(source, meter, handle.createWriteStream());
  } catch (error) {
    await rm(file, { force: true });
    if (error instanceof TooLarge) return refusal('too_large', `the file is larger than the ${policy.maxBytes} bytes allowed`);
    throw error;
  }
  if (size === 0) {
    await rm(file, { force: true });
    return refusal('empty', 'the file is empty');
  }
  const sniffed = await sniffContentType(Buffer.concat(head));
  if (!typeAllowed(sniffed.contentType, policy.allow) || (policy.deny !== undefined && typeAllowed(sniffed.contentType, policy.deny))) {
    await rm(file, { force: true });
    const allowed = policy.allow ? ` (allowed: ${policy.allow.join(', ')})` : '';
    return refusal('type_not_allowed', `files of type ${sniffed.contentType} are not accepted here${allowed}`);
  }
  return { ok: true, spooled: { file, size, sha256: hash.digest('hex'), contentType: sniffed.contentType } };
}

/**
 * A whole put: spools the content, then hands the accepted file and its new random key to `keep`
 * (which moves it into place or uploads it), and removes the temporary file either way.
 */
export async function putSpooled(
  content: Buffer | Uint8Array | Readable,
  tmpDir: string,
  policy: Partial<AttachmentPolicy> | undefined,
  keep: (file: string, key: string, facts: Omit<Spooled, 'file'>) => Promise<void>,
): Promise<PutResult> {
  const result = await spool(content, tmpDir, policy);
  if (!result.ok) return result;
  const { file, ...facts } = result.spooled;
  try {
    const key = randomBytes(16).toString('hex');
    await keep(file, key, facts);
    return { ok: true, stored: { key, ...facts } };
  } finally {
    await rm(file, { force: true });
  }
}
