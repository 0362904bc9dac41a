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

  return {
    put: (content, policy) =>
      putSpooled(content, tmpDir, policy, async (file, key) => {
        const target = pathOf(key);
        await mkdir(path.dirname(target), { recursive: true });
        await rename(file, target);
      }),
    async read(key) {
      if (!isAttachmentKey(key)) return null;
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if (missing(error)) return null;
        throw error;
      }
    },
    async stream(key): Promise<Readable | null> {
      if (!isAttachmentKey(key)) return null;
      // Open first, so a missing file is null here rather than an error event later.
      try {
        const handle = await open(pathOf(key), 'r');
        return handle.createReadStream({ autoClose: true });
      } catch (error) {
        if (missing(error)) return null;
        throw error;
      }
    },
    async size(key) {
      if (!isAttachmentKey(key)) return null;
      try {
        return (await stat(pathOf(key))).size;
      } catch (error) {
        if (missing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      if (!isAttachmentKey(key)) return false;
      try {
        await rm(pathOf(key));
        return true;
      } catch (error) {
        if (missing(error)) return false;
        throw error;
      }
    },
  };
}
