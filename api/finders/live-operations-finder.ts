// The live operations snapshot (definitions: domain/live-operations.ts): a few small queries
// over the conversations still in play, the people in scope and today's bot events.
import { deflection, liveListLimit, startOfToday, type LiveOperations } from '../../domain/live-operations.js';
import { selfServiceEvents } from '../../domain/self-service.js';
import type { Db } from '../../infra/db.js';
import { Prisma } from '../../prisma/generated/client.js';

/** Everything (admins), or the teams a lead leads. */
export type LiveScope = { kind: 'all' } | { kind: 'teams'; teams: { id: string; name: string }[] };

export async function findLiveOperations(db: Db, scope: LiveScope, timeZone: string, now: Date = new Date()): Promise<LiveOperations> {
  const teamIds = scope.kind === 'teams' ? scope.teams.map((team) => team.id) : null;
  // Conversations of the lead's teams and of no team (which every agent sees).
  const inScope = teamIds ? Prisma.sql`(c."teamId" IS NULL OR c."teamId" = ANY(${teamIds}::uuid[]))` : Prisma.sql`TRUE`;
  const peopleInScope = teamIds
    ? Prisma.sql`(u."teamId" = ANY(${teamIds}::uuid[]) OR u.id IN (SELECT t."leadId" FROM "Team" t WHERE t.id = ANY(${teamIds}::uuid[])))`
    : Prisma.sql`TRUE`;
  const today = startOfToday(now, timeZone);
  const botResolved = [selfServiceEvents.helpful, selfServiceEvents.assumedResolved];

  const [waiting, agents, sla, bot] = await Promise.all([
    db.$queryRaw<{ id: string; number: number; since: Date }[]>`
      SELECT c.id::text, c.number, COALESCE((SELECT max(e."occurredAt") FROM "Event" e WHERE e."conversationId" = c.id
               AND e.type IN ('conversation.queued', 'conversation.requeued')), c."createdAt") AS since
      FROM "Conversation" c WHERE c.status = 'queued' AND c."assigneeId" IS NULL AND ${inScope}
      ORDER BY since, c.id`,
    db.$queryRaw<{ id: string; name: string; presence: 'online' | 'away' | 'offline'; capacity: number; load: number }[]>`
      SELECT u.id::text, u.name, u.presence::text AS presence, u.capacity,
        (SELECT count(*)::int FROM "Conversation" c WHERE c."assigneeId" = u.id AND c.status IN ('open', 'snoozed')) AS load
      FROM "User" u WHERE u."deactivatedAt" IS NULL AND u."deletedAt" IS NULL AND ${peopleInScope}
      ORDER BY u.name, u.id`,
    db.$queryRaw<{ id: string; number: number; slaState: string; due: Date | null }[]>`
      SELECT c.id::text, c.number, c."slaState"::text AS "slaState",
        LEAST(c."firstResponseDueAt", c."nextResponseDueAt", c."resolutionDueAt") AS due
      FROM "Conversation" c
      WHERE c."slaState" IN ('warning', 'breached') AND c.status IN ('queued', 'open', 'snoozed') AND ${inScope}
      ORDER BY due NULLS LAST, c.id`,
    db.$queryRaw<{ answered: number; resolved: number; handedOff: number }[]>`
      SELECT count(*) FILTER (WHERE e.type = ${selfServiceEvents.answered})::int AS answered,
        count(*) FILTER (WHERE e.type = ANY(${botResolved}))::int AS resolved,
        count(*) FILTER (WHERE e.type = ${selfServiceEvents.handedOff})::int AS "handedOff"
      FROM "Event" e
      WHERE e.type = ANY(${[selfServiceEvents.answered, selfServiceEvents.handedOff, ...botResolved]})
        AND e."occurredAt" >= (${today.toISOString()}::timestamptz AT TIME ZONE 'UTC')`,
  ]);
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  const atRisk = sla.filter((row) => row.slaState === 'warning');
  const counts = bot[0] ?? { answered: 0, resolved: 0, handedOff: 0 };
  return {
    at: now.toISOString(),
    scope,
    waiting: {
      count: waiting.length,
      longestSince: iso(waiting[0]?.since ?? null),
      oldest: waiting.slice(0, liveListLimit).map((row) => ({ id: row.id, number: row.number, since: iso(row.since) })),
    },
    agents,
    sla: {
      atRisk: atRisk.length,
      breached: sla.length - atRisk.length,
      atRiskConversations: atRisk.slice(0, liveListLimit).map((row) => ({ id: row.id, number: row.number, since: iso(row.due) })),
    },
    botToday: { since: today.toISOString(), timeZone, ...counts, deflectionRate: deflection(counts.resolved, counts.answered) },
  };
}

/** What the caller may watch: admins everything, a team lead their teams; null for anyone else. */
export async function liveScopeOf(db: Db, user: { id: string; role: string }): Promise<LiveScope | null> {
  if (user.role === 'admin') return { kind: 'all' };
  const teams = await db.team.findMany({ where: { leadId: user.id }, select: { id: true, name: true }, orderBy: { name: 'asc' } });
  return teams.length > 0 ? { kind: 'teams', teams } : null;
}
