// An Idempotency-Key belongs to whoever sent it. Tickets and messages store it prefixed with the
// sender (`user:<id>:<key>`, `api_key:<id>:<key>`, `customer:<id>:<key>`), so a retry finds only
// what the same caller stored under that key. Stored bare, one caller's key found another's row:
// an agent's replay returned another team's ticket, a visitor's returned an agent's private note,
// and the second caller's own request was dropped as a "duplicate". The prefix also keeps
// callers' keys apart from the system's own (`rule:<execution>:<action>` for rule-raised tickets).
// Conversations need no prefix: only their customer starts one, and the key is unique per customer.
import type { Viewer } from '../../domain/visibility.js';

export interface KeySender {
  kind: 'user' | 'api_key' | 'customer';
  id: string;
}

/** Who sent a request, as its Idempotency-Key's owner. */
export function senderOf(caller: Viewer): KeySender {
  switch (caller.kind) {
    case 'user':
      return { kind: 'user', id: caller.userId };
    case 'integration':
      return { kind: 'api_key', id: caller.apiKeyId };
    case 'customer':
      return { kind: 'customer', id: caller.customerId };
  }
}

/** The key as stored: the sender's own (null without a key). */
export function ownedKey(sender: KeySender, key: string | null): string | null {
  return key === null ? null : `${sender.kind}:${sender.id}:${key}`;
}
