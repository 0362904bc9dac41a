// Chooses the attachment store once per process: an S3-compatible bucket when one is configured,
// else local disk under DATA_DIR. Callers never know which one runs.
import path from 'node:path';
import type { AttachmentStore } from './attachment-store.js';
import { createLocalDiskStore } from './local-disk-store.js';
import { createS3Store, type S3StoreOptions } from './s3-store.js';

export interface AttachmentStoreConfig {
  /** DATA_DIR: the disk store lives in `<dataDir>/attachments`. */
  dataDir: string;
  /** Set to use a bucket instead of the disk. */
  s3?: S3StoreOptions;
}

export function createAttachmentStore(config: AttachmentStoreConfig): AttachmentStore {
  if (config.s3) return createS3Store({ tmpDir: path.join(config.dataDir, 'attachments', 'tmp'), ...config.s3 });
  return createLocalDiskStore({ root: path.join(config.dataDir, 'attachments') });
}

/**
 * The bucket settings from the environment (S3_BUCKET, S3_REGION, S3_ENDPOINT, S3_ACCESS_KEY_ID,
 * S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE, S3_PREFIX), or undefined without S3_BUCKET. Until
 * infra/env.ts parses these, this reads them; the contract tests use it too.
 */
export function s3OptionsFromEnvironment(source: NodeJS.ProcessEnv): S3StoreOptions | undefined {
  const bucket = source.S3_BUCKET?.trim();
  if (!bucket) return undefined;
  return {
    bucket,
    region: source.S3_REGION?.trim() || 'us-east-1',
    endpoint: source.S3_ENDPOINT?.trim() || undefined,
    accessKeyId: source.S3_ACCESS_KEY_ID?.trim() || undefined,
    secretAccessKey: source.S3_SECRET_ACCESS_KEY?.trim() || undefined,
    forcePathStyle: source.S3_FORCE_PATH_STYLE === 'true' || source.S3_FORCE_PATH_STYLE === '1',
    prefix: source.S3_PREFIX?.trim() || undefined,
  };
}
