// Agent and admin sessions: an opaque random bearer token; only its SHA-256 is stored, so the
// table cannot be replayed if leaked, and logout (revokedAt) takes effect at once — for REST at
// the next request, for open WebSockets through a NOTIFY every API process hears (below).
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Tx } from '../db.js';

export const sessionTokenPrefix = 'sst_';
/** A token lapses after an hour unless renewed (POST /api/auth/refresh, which the console calls while open)... */
export const sessionIdleMs = 60 * 60 * 1000;
/** ...and never lives past this long after sign-in: then the agent signs in again. */
export const sessionMaxMs = 12 * 60 * 60 * 1000;

/**
 * Revoked sessions are announced here with their token hash as payload; the realtime server of
 * every API process LISTENs and closes that session's sockets. The hash of a revoked token
 * grants nothing, and is what each process already keys its sockets by.
 */
export const sessionRevokedChannel = 'seamless_sessions_revoked';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** What sockets and notifications know a session by: the token's SHA-256, as stored. */
export const sessionKeyOf = (token: string) => hashToken(token);

/** Where a sign-in came from, as the user's sessions page shows it. */
export interface SessionOrigin {
  userAgent?: string | null;
  ip?: string | null;
}

/** Longer user agents are cut: the page only needs to tell browsers apart. */
const maxUserAgentLength = 512;

/** Within a transaction too (sign-in records its audit event in the same one). */
export async function createSession(db: Db | Tx, userId: string, origin: SessionOrigin = {}): Promise<{ token: string; expiresAt: Date }> {
  const token = sessionTokenPrefix + randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + sessionIdleMs);
  const userAgent = origin.userAgent ? origin.userAgent.slice(0, maxUserAgentLength) : null;
  await db.session.create({ data: { userId, tokenHash: hashToken(token), expiresAt, userAgent, ip: origin.ip ?? null } });
  return { token, expiresAt };
}

export async function findSessionUser(db: Db, token: string) {
  const session = await db.session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now()) return null;
  return session.user;
}

/**
 * Renews a live session for another idle period, capped at sessionMaxMs after sign-in; null
 * when the token is unknown, revoked or lapsed (or reaches its cap now).
 */
export async function refreshSession(db: Db, token: string, now = new Date()): Promise<Date | null> {
  const session = await db.session.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!session || session.revokedAt || session.expiresAt.getTime() <= now.getTime()) return null;
  const expiresAt = new Date(Math.min(now.getTime() + sessionIdleMs, session.createdAt.getTime() + sessionMaxMs));
  if (expiresAt.getTime() <= now.getTime()) return null;
  await db.session.update({ where: { id: session.id }, data: { expiresAt, lastSeenAt: now } });
  return expiresAt;
}

/**
 * Revokes the session and, on commit, tells every API process to close its sockets. `audit` runs
 * in the same transaction when this call revoked it (not when it was revoked already).
 */
export async function revokeSession(db: Db, token: string, audit?: (tx: Tx, session: { userId: string }) => Promise<unknown>): Promise<void> {
  const tokenHash = hashToken(token);
  // NOTIFY inside the transaction is delivered on commit only, so no process closes a socket
  // for a revocation that rolled back.
  await db.$transaction(async (tx) => {
    const revoked = await tx.session.updateManyAndReturn({ where: { tokenHash, revokedAt: null }, data: { revokedAt: new Date() }, select: { userId: true } });
    await tx.$executeRaw`SELECT pg_notify(${sessionRevokedChannel}, ${tokenHash})`;
    if (revoked[0] && audit) await audit(tx, revoked[0]);
  });
}

/** A user's sessions still in force (neither revoked nor lapsed), newest first. */
export async function listLiveSessions(db: Db, userId: string, now: Date = new Date()) {
  return db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: 'desc' },
    select: { id: true, tokenHash: true, createdAt: true, lastSeenAt: true, expiresAt: true, userAgent: true, ip: true },
  });
}

/**
 * Revokes a user's sessions still in force — one (`sessionId`), or all but the one whose key is
 * `exceptKey` (a password change keeps the session that made it), or all — and tells every API
 * process on commit to close their sockets, as revokeSession does. `audit` runs in the same
 * transaction with the number revoked. Returns that number.
 */
export async function revokeUserSessions(
  db: Db | Tx,
  userId: string,
  which: { sessionId?: string; exceptKey?: string } = {},
  audit?: (tx: Tx, revoked: number) => Promise<unknown>,
): Promise<number> {
  const run = async (tx: Tx) => {
    const revoked = await tx.session.updateManyAndReturn({
      where: {
        userId,
        revokedAt: null,
        ...(which.sessionId !== undefined ? { id: which.sessionId } : {}),
        ...(which.exceptKey !== undefined ? { tokenHash: { not: which.exceptKey } } : {}),
      },
      data: { revokedAt: new Date() },
      select: { tokenHash: true },
    });
    for (const { tokenHash } of revoked) await tx.$executeRaw`SELECT pg_notify(${sessionRevokedChannel}, ${tokenHash})`;
    if (audit) await audit(tx, revoked.length);
    return revoked.length;
  };
  return '$transaction' in db ? db.$transaction(run) : run(db);
}

export type SessionState = 'live' | 'revoked' | 'expired';

/**
 * The state of each session (by key) among `keys`; a key with no row counts as revoked. One
 * query for all of a process's sockets: the periodic check behind the NOTIFY.
 */
export async function sessionStates(db: Db, keys: readonly string[], now: Date = new Date()): Promise<Map<string, SessionState>> {
  const rows = keys.length
    ? await db.session.findMany({ where: { tokenHash: { in: [...keys] } }, select: { tokenHash: true, revokedAt: true, expiresAt: true } })
    : [];
  const states = new Map<string, SessionState>(keys.map((key) => [key, 'revoked']));
  for (const row of rows) states.set(row.tokenHash, row.revokedAt ? 'revoked' : row.expiresAt.getTime() <= now.getTime() ? 'expired' : 'live');
  return states;
}
