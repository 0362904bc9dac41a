// A widget visitor: a new customer and a signed token. With an Idempotency-Key, a retry after a
// lost response finds the customer the first request created (200, a fresh token for it) instead
// of creating a second one.
//
// The caller is anonymous, so the key is scoped to the client: it is stored as a hash of the key
// and the client's address (Express's req.ip, which follows TRUST_PROXY). The same key from
// another address is a request of its own, never a replay: a key seen elsewhere (a shared page,
// a log) does not hand out a token for someone else's customer. And a key replays for a day only
// (then 409 idempotency_key_expired): a retry comes within minutes, and a key must not become a
// lasting second credential for the customer.
import { createHash } from 'node:crypto';
import { signVisitorToken } from '../../infra/auth/visitor-tokens.js';
import type { ApiDeps } from '../deps.js';
import { conflict } from '../http-error.js';
import { findOrCreate } from './prisma-errors.js';

/** How long a visitor's Idempotency-Key replays. */
export const visitorKeyLifetimeMs = 24 * 3_600_000;

export interface NewVisitor {
  name?: string;
  email?: string;
  locale?: string;
  idempotencyKey: string | null;
  /** The client's address, the key's scope. */
  clientAddress: string;
}

/** The stored form of a visitor's key: a hash of the client's address and the key. */
export function visitorKeyOf(clientAddress: string, idempotencyKey: string): string {
  return createHash('sha256').update(`visitor\n${clientAddress}\n${idempotencyKey}`).digest('base64url');
}

export async function createVisitor(deps: Pick<ApiDeps, 'db' | 'secret'>, input: NewVisitor, now = new Date()) {
  const visitorKey = input.idempotencyKey === null ? null : visitorKeyOf(input.clientAddress, input.idempotencyKey);
  const answer = async (customer: { id: string; name: string | null; locale: string | null }, created: boolean) => ({
    created,
    token: await signVisitorToken(deps.secret, customer.id),
    customer: { id: customer.id, name: customer.name, locale: customer.locale },
  });
  const replay = async () => {
    const existing = visitorKey ? await deps.db.customer.findUnique({ where: { visitorKey } }) : null;
    if (!existing) return null;
    if (now.getTime() - existing.createdAt.getTime() > visitorKeyLifetimeMs) {
      throw conflict('idempotency_key_expired', 'This Idempotency-Key was used over a day ago; send a new one.');
    }
    return answer(existing, false);
  };

  return findOrCreate(replay, async () => {
    // An email identifies a returning customer only once verified (email channel issue); until
    // then every widget visitor is a new contact that keeps the email as given.
    // Seen now: the authenticator notes later visits at most hourly (infra/auth/principal.ts), and
    // silent visitors unseen for the retention period are deleted (services/visitor-retention.ts).
    const customer = await deps.db.customer.create({
      data: {
        name: input.name ?? null,
        locale: input.locale ?? null,
        attributes: input.email ? { providedEmail: input.email } : {},
        lastSeenAt: now,
        visitorKey,
      },
    });
    return answer(customer, true);
  });
}
