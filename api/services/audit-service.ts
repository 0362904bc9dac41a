// The admin audit trail: every admin write appends an internal event in the transaction of the
// write, with what the record was before and after (null for "did not exist"). This module names
// those event types — the one list the audit log reads — and lists them for GET /api/audit-events.
import type { AuditEventView } from '../../contract/views.js';
import type { Db, Tx } from '../../infra/db.js';
import { appendEvent } from '../../infra/event-log.js';
import type { Prisma } from '../../prisma/generated/client.js';

/**
 * Every event type an admin's write records, by family. Names are stored in the event log: add
 * new ones, never rename. The families before `team` are written by settings-service.ts,
 * rule-service.ts, knowledge-service.ts and user-service.ts; `api_key` by api-key-service.ts;
 * `auth` (sign-ins, sign-outs, failed sign-ins, lockouts) by recordAuthEvent below; `user` (invitations,
 * deactivation, deletion, reset links, passwords set, sign-out everywhere) by team-members.ts.
 */
export const auditEventFamilies = {
  settings: ['settings.changed'],
  // rule.exported and rule.dry_run are bulk reads (every rule; every team's history), not writes.
  rule: ['rule.created', 'rule.updated', 'rule.deleted', 'rule.reordered', 'rule.imported', 'rule.exported', 'rule.dry_run'],
  knowledge: ['knowledge.article_created', 'knowledge.article_updated', 'knowledge.article_deleted'],
  agent: ['agent.updated'],
  team: ['team.created', 'team.updated', 'team.deleted'],
  business_hours: ['business_hours.created', 'business_hours.updated', 'business_hours.deleted'],
  sla_policy: ['sla_policy.created', 'sla_policy.updated', 'sla_policy.deleted'],
  channel: ['channel.updated'],
  canned_response: ['canned_response.created', 'canned_response.updated', 'canned_response.deleted'],
  api_key: ['api_key.created', 'api_key.revoked'],
  webhook: ['webhook.created', 'webhook.updated', 'webhook.deleted', 'webhook.disabled'],
  bot_action: ['bot_action.created', 'bot_action.updated', 'bot_action.deleted'],
  auth: ['auth.signed_in', 'auth.signed_out', 'auth.sign_in_failed', 'auth.locked_out'],
  user: [
    'user.invited',
    'user.invite_revoked',
    'user.activated',
    'user.deactivated',
    'user.reactivated',
    'user.deleted',
    'user.password_reset_requested',
    'user.password_set',
    'user.signed_out_everywhere',
    'user.password_changed',
    'user.two_factor_enabled',
    'user.two_factor_disabled',
    'user.recovery_code_used',
    'user.recovery_codes_regenerated',
    'user.sessions_revoked',
  ],
  // A contact's merge (api/services/customer-merge.ts), export and erasure (api/services/data-rights/).
  customer: ['customer.merged', 'customer.exported', 'customer.erased'],
} as const;

export type AuditEventFamily = keyof typeof auditEventFamilies;
export type AuditEventType = (typeof auditEventFamilies)[AuditEventFamily][number];
export const auditEventTypes: readonly AuditEventType[] = Object.values(auditEventFamilies).flat();

/**
 * Appends the audit event of an admin write; call it inside the write's transaction. `teamId`
 * narrows who sees it live (domain/visibility.ts): set it for records only one team's agents
 * may read (a team's canned responses), leave it null for organisation-wide ones.
 */
export function recordAudit(
  tx: Tx,
  input: { type: AuditEventType; adminId: string; before: unknown; after: unknown; teamId?: string | null; details?: Record<string, unknown> },
) {
  return appendEvent(tx, {
    type: input.type,
    actorKind: 'agent',
    actorId: input.adminId,
    teamId: input.teamId ?? null,
    internal: true,
    payload: { ...input.details, before: input.before, after: input.after },
  });
}

/**
 * What the `auth` family records (payloads; `ip` is the client's address as the API saw it, after
 * TRUST_PROXY):
 * - `auth.signed_in` / `auth.signed_out` `{ email, ip }`, the person as actor;
 * - `auth.sign_in_failed` `{ email, ip, userId }`: a wrong password (`userId` the account's) or an
 *   email no account has (`userId` null), by nobody signed in (`system`, no actor). Attempts
 *   refused while locked are not recorded one by one: the lock is, and the per-IP sign-in limit
 *   bounds them;
 * - `auth.locked_out` `{ email, ip, scope, lockedUntil, failures }`: `scope` `address` (that
 *   address locked out of the email) or `account` (the email locked for addresses it has not
 *   signed in from), `failures` the attempts counted in the window.
 * Never the password. Admins only: no conversation, ticket or team, so the realtime stream sends
 * them to nobody else.
 */
export type AuthEvent =
  | { type: 'auth.signed_in' | 'auth.signed_out'; userId: string; email: string; ip: string }
  | { type: 'auth.sign_in_failed'; userId: string | null; email: string; ip: string }
  | { type: 'auth.locked_out'; email: string; ip: string; scope: 'address' | 'account'; lockedUntil: Date; failures: number };

/** Appends an `auth.*` audit event; call it inside the transaction of what it records. */
export function recordAuthEvent(tx: Tx, event: AuthEvent) {
  const person = event.type === 'auth.signed_in' || event.type === 'auth.signed_out';
  const { type, ...details } = event;
  const payload = person
    ? { email: event.email, ip: event.ip }
    : { ...details, ...('lockedUntil' in details ? { lockedUntil: details.lockedUntil.toISOString() } : {}) };
  return appendEvent(tx, {
    type,
    actorKind: person ? 'agent' : 'system',
    actorId: person ? event.userId : null,
    internal: true,
    payload,
  });
}

export interface AuditQuery {
  /** One type, or a family as `family.*` (`rule.*`). */
  type?: string;
  actorId?: string;
  /** Events at or after this instant. */
  since?: Date;
  /** Cursor: events with a smaller id (the `nextBefore` of the previous page). */
  before?: bigint;
  limit: number;
}

/** The types a `type` filter names (an exact type or `family.*`); null when it names none. */
export function auditTypesOf(filter: string | undefined): readonly AuditEventType[] | null {
  if (filter === undefined) return auditEventTypes;
  const family = filter.endsWith('.*') ? filter.slice(0, -2) : null;
  if (family !== null) return Object.hasOwn(auditEventFamilies, family) ? auditEventFamilies[family as AuditEventFamily] : null;
  return auditEventTypes.find((type) => type === filter) ? [filter as AuditEventType] : null;
}

/**
 * Audit events newest first, `limit` per page, paginated by event id (ids only grow, so a page
 * stays stable while new events arrive). `nextBefore` is null on the last page.
 */
export async function listAuditEvents(db: Db, query: AuditQuery): Promise<{ events: AuditEventView[]; nextBefore: string | null }> {
  const types = auditTypesOf(query.type) ?? [];
  const where: Prisma.EventWhereInput = {
    type: { in: [...types] },
    ...(query.actorId ? { actorId: query.actorId } : {}),
    ...(query.since ? { occurredAt: { gte: query.since } } : {}),
    ...(query.before !== undefined ? { id: { lt: query.before } } : {}),
  };
  const rows = await db.event.findMany({ where, orderBy: { id: 'desc' }, take: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const actorIds = [...new Set(page.flatMap((row) => (row.actorId ? [row.actorId] : [])))];
  const actors = new Map(
    (await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true, email: true } })).map((user) => [user.id, user]),
  );
  return {
    events: page.map((row) => ({
      id: String(row.id),
      type: row.type,
      occurredAt: row.occurredAt.toISOString(),
      // 'agent' for a person (admins too); 'system' with an API key's id for an integration's edit.
      actorKind: row.actorKind,
      actorId: row.actorId,
      // The person's name and email; null for an integration or a user deleted since.
      actor: (row.actorId ? actors.get(row.actorId) : undefined) ?? null,
      payload: row.payload,
    })),
    nextBefore: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
  };
}
