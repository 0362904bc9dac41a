// Argon2id password hashes (@node-rs/argon2 ships prebuilt binaries: no compiler needed).
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash is a failed login, not a crash
  }
}

let unmatchedHash: Promise<string> | undefined;

/**
 * Spends the time of a real check for an email that matches no account, so the response time
 * does not tell which addresses have one. Always false.
 */
export async function verifyWithoutAccount(password: string): Promise<false> {
  unmatchedHash ??= hash(randomBytes(24).toString('base64url'));
  await verifyPassword(await unmatchedHash, password);
  return false;
}
