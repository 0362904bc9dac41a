// The attachment store on an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Ceph, …) when
// one is configured. Puts spool to a local temporary file first (spool.ts: size limit, digest,
// sniffed type and policy, exactly as on disk), then upload with a known length. Objects are
// named `<prefix><key>` with the same random keys as on disk.
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { isAttachmentKey, type AttachmentStore } from './attachment-store.js';
import { putSpooled } from './spool.js';

export interface S3StoreOptions {
  bucket: string;
  /** e.g. us-east-1 (MinIO accepts any). */
  region: string;
  /** The endpoint of a non-AWS service, e.g. http://127.0.0.1:9000; AWS when undefined. */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style URLs (bucket in the path), which MinIO and most self-hosted services need. */
  forcePathStyle?: boolean;
  /** Prepended to every object name, e.g. `attachments/`. */
  prefix?: string;
  /** Where puts are spooled before upload (default: the OS temporary folder). */
  tmpDir?: string;
}

const notFound = (error: unknown) =>
  error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);

export function createS3Store(options: S3StoreOptions): AttachmentStore {
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined,
  });
  const prefix = options.prefix ?? '';
  const tmpDir = options.tmpDir ?? path.join(os.tmpdir(), 'seamless-attachments');
  const objectName = (key: string) => `${prefix}${key}`;

  const head = async (key: string) => {
    try {
      return await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: objectName(key) }));
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  };

  const stream = async (key: string): Promise<Readable | null> => {
    if (!isAttachmentKey(key)) return null;
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: objectName(key) }));
      return object.Body instanceof Readable ? object.Body : null;
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  };

  return {
    stream,
    put: (content, policy) =>
      putSpooled(content, tmpDir, policy, async (file, key, facts) => {
        await client.send(
          new PutObjectCommand({
            Bucket: options.bucket,
            Key: objectName(key),
            Body: createReadStream(file),
            ContentLength: facts.size,
            ContentType: facts.contentType,
            Metadata: { sha256: facts.sha256 },
          }),
        );
      }),
    async read(key) {
      const body = await stream(key);
      if (!body) return null;
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
      return Buffer.concat(chunks);
    },
    async size(key) {
      if (!isAttachmentKey(key)) return null;
      return (await head(key))?.ContentLength ?? null;
    },
    async delete(key) {
      if (!isAttachmentKey(key)) return false;
      // S3 deletes succeed for missing objects too: ask first, so the answer means something.
      if (!(await head(key))) return false;
      await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: objectName(key) }));
      return true;
    },
  };
}
