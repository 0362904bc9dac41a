import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeAttachmentStoreContract, onePixelPng, stored } from '../../test/support/attachment-store-contract.js';
import { createAttachmentStore, s3OptionsFromEnvironment } from './create-attachment-store.js';
import { createLocalDiskStore } from './local-disk-store.js';

describeAttachmentStoreContract('Local disk', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'seamless-store-'));
  return { store: createLocalDiskStore({ root }), close: () => rm(root, { recursive: true, force: true }) };
});

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)));
}

describe('local disk store', () => {
  it('names files by key only, under the root, and leaves no temporary file behind', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'seamless-store-'));
    try {
      const store = createLocalDiskStore({ root });
      const file = stored(await store.put(onePixelPng));
      await store.put(Readable.from([Buffer.alloc(2000)]), { maxBytes: 1000 });
      expect(await filesUnder(root)).toEqual([path.join('objects', file.key.slice(0, 2), file.key)]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('is the default store, under DATA_DIR/attachments; a bucket only when S3_BUCKET is set', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-data-'));
    try {
      const file = stored(await createAttachmentStore({ dataDir }).put(onePixelPng));
      expect(await filesUnder(path.join(dataDir, 'attachments'))).toEqual([path.join('objects', file.key.slice(0, 2), file.key)]);
      expect(s3OptionsFromEnvironment({})).toBeUndefined();
      expect(s3OptionsFromEnvironment({ S3_BUCKET: 'files', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'true' })).toEqual({
        bucket: 'files',
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:9000',
        accessKeyId: undefined,
        secretAccessKey: undefined,
        forcePathStyle: true,
        prefix: undefined,
      });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
