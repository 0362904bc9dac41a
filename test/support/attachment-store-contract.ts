// The behaviour every attachment store keeps, run against the disk store (unit tests) and against
// a bucket when S3_BUCKET is set (infra/attachments/s3-store.integration-test.ts).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagesOnly, type AttachmentStore, type PutResult, type StoredAttachment } from '../../infra/attachments/attachment-store.js';

export const onePixelPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
/** The first bytes of a Windows executable ("MZ" header and a PE signature). */
export const windowsExecutable = (() => {
  const bytes = Buffer.alloc(512);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'latin1');
  bytes.writeUInt16LE(0x014c, 0x84);
  return bytes;
})();

export function stored(result: PutResult): StoredAttachment {
  if (!result.ok) throw new Error(`refused: ${result.refusal.code}`);
  return result.stored;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export function describeAttachmentStoreContract(name: string, open: () => Promise<{ store: AttachmentStore; close(): Promise<void> }>): void {
  describe(`${name} attachment store`, () => {
    let store: AttachmentStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(() => close());

    it('stores bytes under a random key with their size, digest and sniffed type, and reads them back', async () => {
      const file = stored(await store.put(onePixelPng));
      expect(file).toEqual({ key: expect.stringMatching(/^[0-9a-f]{32}$/), size: onePixelPng.length, sha256: sha256(onePixelPng), contentType: 'image/png' });
      expect(await store.read(file.key)).toEqual(onePixelPng);
      expect(await store.size(file.key)).toBe(onePixelPng.length);
      const chunks: Buffer[] = [];
      for await (const chunk of (await store.stream(file.key))!) chunks.push(Buffer.from(chunk as Uint8Array));
      expect(Buffer.concat(chunks)).toEqual(onePixelPng);
    });

    it('takes a stream of many chunks', async () => {
      const content = Buffer.alloc(3 * 1024 * 1024 + 17, 'seamless 客服 ');
      const pieces = Array.from({ length: Math.ceil(content.length / 65536) }, (_, index) => content.subarray(index * 65536, (index + 1) * 65536));
      const file = stored(await store.put(Readable.from(pieces)));
      expect(file).toMatchObject({ size: content.length, sha256: sha256(content), contentType: 'text/plain' });
      // Buffer.equals: vitest's deep equality walks 3 MB byte by byte.
      expect((await store.read(file.key))?.equals(content)).toBe(true);
    });

    it('refuses a file over the size limit and stores nothing of it', async () => {
      const result = await store.put(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { maxBytes: 1000 });
      expect(result).toMatchObject({ ok: false, refusal: { code: 'too_large' } });
    });

    it('refuses an executable named like an image when the policy allows images only', async () => {
      expect(await store.put(windowsExecutable, { allow: imagesOnly })).toMatchObject({ ok: false, refusal: { code: 'type_not_allowed' } });
      expect(stored(await store.put(onePixelPng, { allow: imagesOnly })).contentType).toBe('image/png');
      expect(stored(await store.put(windowsExecutable)).contentType).toBe('application/x-msdownload');
    });

    it('refuses an empty file', async () => {
      expect(await store.put(Buffer.alloc(0))).toMatchObject({ ok: false, refusal: { code: 'empty' } });
    });

    it('gives the same content two keys, so deleting one keeps the other', async () => {
      const first = stored(await store.put(Buffer.from('same bytes')));
      const second = stored(await store.put(Buffer.from('same bytes')));
      expect(second.key).not.toBe(first.key);
      expect(await store.delete(first.key)).toBe(true);
      expect(await store.read(first.key)).toBeNull();
      expect(await store.delete(first.key)).toBe(false);
      expect((await store.read(second.key))?.toString()).toBe('same bytes');
    });

    it('answers null for keys that are not keys, never touching a path built from them', async () => {
      for (const key of ['../../../../etc/passwd', '..', '', 'ABCDEF0123456789ABCDEF0123456789', 'f'.repeat(31), `${'a'.repeat(32)}/x`]) {
        expect(await store.read(key)).toBeNull();
        expect(await store.stream(key)).toBeNull();
        expect(await store.size(key)).toBeNull();
        expect(await store.delete(key)).toBe(false);
      }
      expect(await store.read('0'.repeat(32))).toBeNull();
    });
  });
}
