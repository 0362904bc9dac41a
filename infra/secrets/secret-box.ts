// Sealing small secrets an admin types (webhook signing secrets) for storage: AES-256-GCM under a
// key derived from the server secret (SEAMLESS_SECRET, or the key kept under DATA_DIR: see
// infra/auth/secret.ts) with HKDF-SHA256, one key per purpose. A database dump or backup alone
// does not reveal them; the API and the worker hold the same server secret and so the same key.
//
// Sealed form: format version (1 byte) ‖ IV (12 random bytes) ‖ ciphertext ‖ GCM tag (16). The
// caller's context (the row's id) is authenticated as associated data, so a sealed value copied
// into another row does not open there.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const formatVersion = 1;
const ivBytes = 12;
const tagBytes = 16;

/** The sealed value does not open: another server secret, another row, or damaged bytes. */
export class SecretUnreadableError extends Error {
  constructor() {
    super('the stored secret cannot be decrypted (was SEAMLESS_SECRET changed?): set it again');
    this.name = 'SecretUnreadableError';
  }
}

export interface SecretBox {
  seal(plaintext: string, context: string): Uint8Array<ArrayBuffer>;
  /** Throws SecretUnreadableError when the value does not open under this key and context. */
  open(sealed: Uint8Array, context: string): string;
}

/** A box keyed by the server secret for one purpose (a different purpose, a different key); the key is derived at first use. */
export function createSecretBox(serverSecret: string, purpose: string): SecretBox {
  let derived: Buffer | null = null;
  const keyOf = () => {
    if (serverSecret.length < 16) throw new RangeError('the server secret is too short to derive a key from');
    derived ??= Buffer.from(hkdfSync('sha256', serverSecret, 'seamless/secret-box/v1', purpose, 32));
    return derived;
  };
  return {
    seal(plaintext, context) {
      const key = keyOf();
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return new Uint8Array(Buffer.concat([Buffer.from([formatVersion]), iv, ciphertext, cipher.getAuthTag()]));
    },
    open(sealed, context) {
      const bytes = Buffer.from(sealed);
      if (bytes.length < 1 + ivBytes + tagBytes || bytes[0] !== formatVersion) throw new SecretUnreadableError();
      const iv = bytes.subarray(1, 1 + ivBytes);
      const tag = bytes.subarray(bytes.length - tagBytes);
      const ciphertext = bytes.subarray(1 + ivBytes, bytes.length - tagBytes);
      const key = keyOf();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretUnreadableError();
      }
    },
  };
}
