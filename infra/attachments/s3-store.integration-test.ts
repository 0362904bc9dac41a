// The attachment store contract against an S3-compatible bucket. No such server can be installed
// where these tests usually run, so it runs only when S3_BUCKET is set (with S3_ENDPOINT,
// S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE=true for MinIO and the like), as the
// Meilisearch contract does with MEILI_URL. Objects go under a random prefix and are deleted.
import { randomBytes } from 'node:crypto';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { describeAttachmentStoreContract } from '../../test/support/attachment-store-contract.js';
import { s3OptionsFromEnvironment } from './create-attachment-store.js';
import { createS3Store } from './s3-store.js';

const options = s3OptionsFromEnvironment(process.env);

describe.skipIf(!options)('S3-compatible bucket', () => {
  describeAttachmentStoreContract('S3', async () => {
    const prefix = `seamless-test-${randomBytes(6).toString('hex')}/`;
    const store = createS3Store({ ...options!, prefix });
    return {
      store,
      async close() {
        const client = new S3Client({
          region: options!.region,
          endpoint: options!.endpoint,
          forcePathStyle: options!.forcePathStyle,
          credentials:
            options!.accessKeyId && options!.secretAccessKey ? { accessKeyId: options!.accessKeyId, secretAccessKey: options!.secretAccessKey } : undefined,
        });
        const listed = await client.send(new ListObjectsV2Command({ Bucket: options!.bucket, Prefix: prefix }));
        const objects = (listed.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
        if (objects.length > 0) await client.send(new DeleteObjectsCommand({ Bucket: options!.bucket, Delete: { Objects: objects } }));
      },
    };
  });
});
