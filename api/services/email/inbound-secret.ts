// The inbound email webhook's per-channel secret: shown once when set, stored as a SHA-256 hash
// (Channel.inboundSecretHash), compared in constant time. Random 32 bytes need no slow hash.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../../infra/db.js';

const hashOf = (secret: string) => createHash('sha256').update(secret).digest();

/** A new secret for the channel's webhook (replacing any earlier one); the plaintext is returned once. */
export async function setInboundEmailSecret(db: Db, channelId: string): Promise<string> {
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  await db.channel.update({ where: { id: channelId }, data: { inboundSecretHash: hashOf(secret).toString('hex') } });
  return secret;
}

/** Whether `presented` is the secret whose hash is stored; false when none is stored or none presented. */
export function inboundSecretMatches(storedHash: string | null, presented: string | undefined): boolean {
  if (!storedHash || !presented) return false;
  const stored = Buffer.from(storedHash, 'hex');
  const given = hashOf(presented);
  return stored.length === given.length && timingSafeEqual(stored, given);
}
