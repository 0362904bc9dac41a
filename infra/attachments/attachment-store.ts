// One store for the files customers and agents exchange (email attachments, inline images, widget
// uploads), behind one interface: local disk under DATA_DIR by default (local-disk-store.ts), an
// S3-compatible bucket when configured (s3-store.ts). Callers keep the returned key, size, digest
// and sniffed type on their own row (the message's attachment), and the client's file name only
// for display: a key is random, so no name a client chose ever becomes a path.
//
// Every put goes through spool.ts: the bytes are written to a temporary file while being counted
// and hashed, refused as soon as they pass the size limit (nothing half-stored), their type sniffed
// from the first bytes (file-type), checked against the policy, and only then moved into place.
import type { Readable } from 'node:stream';

export interface AttachmentPolicy {
  /** The largest file accepted, in bytes. */
  maxBytes: number;
  /**
   * Sniffed media types accepted: exact (`image/png`) or a family (`image/*`). Undefined accepts
   * any type. The type a client declared or the file's extension never count.
   */
  allow?: readonly string[];
  /** Sniffed media types refused even when `allow` passes them (same patterns), e.g. executables. */
  deny?: readonly string[];
}

export const defaultAttachmentPolicy: Readonly<AttachmentPolicy> = Object.freeze({ maxBytes: 20 * 1024 * 1024 });

/** Raster images a browser shows safely: the policy for "images only" uploads. */
export const imagesOnly: readonly string[] = Object.freeze(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export interface StoredAttachment {
  /** The store's name for the bytes: 32 random hex characters. */
  key: string;
  size: number;
  /** SHA-256 of the content, hex. */
  sha256: string;
  /** The media type sniffed from the bytes (sniff.ts). */
  contentType: string;
}

export type AttachmentRefusalCode = 'too_large' | 'type_not_allowed' | 'empty';

export type PutResult = { ok: true; stored: StoredAttachment } | { ok: false; refusal: { code: AttachmentRefusalCode; message: string } };

export interface AttachmentStore {
  /** Stores the bytes if the policy allows them; a refusal stores nothing. */
  put(content: Buffer | Uint8Array | Readable, policy?: Partial<AttachmentPolicy>): Promise<PutResult>;
  /** The whole content, or null when there is no such key. */
  read(key: string): Promise<Buffer | null>;
  /** A stream of the content (for downloads), or null when there is no such key. */
  stream(key: string): Promise<Readable | null>;
  /** The stored size, or null when there is no such key. */
  size(key: string): Promise<number | null>;
  /** Deletes the content; false when there was nothing to delete. */
  delete(key: string): Promise<boolean>;
}

const keyShape = /^[0-9a-f]{32}$/;

/** Whether a string can be a key at all (checked before any file or object name is built from it). */
export function isAttachmentKey(key: string): boolean {
  return keyShape.test(key);
}

/** Programs a file's bytes show it to be (file-type's names): refused wherever "anything but executables" is the policy. */
export const executableTypes: readonly string[] = Object.freeze([
  'application/x-msdownload',
  'application/vnd.microsoft.portable-executable',
  'application/x-dosexec',
  'application/x-elf',
  'application/x-executable',
  'application/x-sharedlib',
  'application/x-mach-binary',
  'application/x-msi',
  'application/x-ms-installer',
  'application/vnd.android.package-archive',
  'application/x-apple-diskimage',
  'application/java-vm',
  'application/wasm',
]);

/** Whether a sniffed type passes an allow-list (undefined: everything passes). */
export function typeAllowed(contentType: string, allow: readonly string[] | undefined): boolean {
  if (!allow) return true;
  const type = contentType.toLowerCase();
  return allow.some((pattern) => {
    const rule = pattern.toLowerCase();
    return rule.endsWith('/*') ? type.startsWith(rule.slice(0, -1)) : type === rule;
  });
}
