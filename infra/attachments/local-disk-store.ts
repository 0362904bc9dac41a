// The attachment store on local disk (the default): `<root>/objects/<k0k1>/<key>` with a random
// 128-bit hex key, temporary files under `<root>/tmp` on the same file system so that moving a
// finished file into place is an atomic rename. Keys are checked against their shape before any
// path is built, so a key from a request can never reach outside the root.
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { isAttachmentKey, type AttachmentStore } from './attachment-store.js';
import { putSpooled } from './spool.js';

export interface LocalDiskStoreOptions {
  /** The store's folder, e.g. `<DATA_DIR>/attachments`. */
  root: string;
}

const missing = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

export function createLocalDiskStore(options: LocalDiskStoreOptions): AttachmentStore {
  const root = path.resolve(options.root);
  const tmpDir = path.join(root, 'tmp');
  const pathOf = (key: string) => path.join(root, 'objects', key.slice(0, 2), key);
  /** `use` of a key's file; `absent` when the key is not one of ours or its file is not there. */
  const withFile = async <T>(key: string, absent: T, use: (file: string) => Promise<T>): Promise<T> => {
    if (!isAttachmentKey(key)) return absent;
    try {
      return await use(pathOf(key));
    } catch (error) {
      if (missing(error)) return absent;
      throw error;
    }
  };

  return {
    put: (content, policy) =>
      putSpooled(content, tmpDir, policy, async (file, key) => {
        const target = pathOf(key);
        await mkdir(path.dirname(target), { recursive: true });
        await rename(file, target);
      }),
    read: (key) => withFile<Buffer | null>(key, null, (file) => readFile(file)),
    // Open first, so a missing file is null here rather than an error event later.
    stream: (key) => withFile<Readable | null>(key, null, async (file) => (await open(file, 'r')).createReadStream({ autoClose: true })),
    size: (key) => withFile<number | null>(key, null, async (file) => (await stat(file)).size),
    delete: (key) =>
      withFile(key, false, async (file) => {
        await rm(file);
        return true;
      }),
  };
}
