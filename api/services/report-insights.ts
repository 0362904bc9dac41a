// Reads the figures of the resolution, agents and busiest-hours reports (definitions:
// domain/report-insights.ts), each with SQL over conversations, messages and the event log.
import { csatEventType, satisfiedScore } from '../../domain/csat.js';
import {
  agentsReport,
  aiResolutionReopenDays,
  busiestHoursReport,
  resolutionReport,
  type AgentRows,
  type AgentsReport,
  type BusiestHoursReport,
  type ResolutionCounts,
  type ResolutionReport,
} from '../../domain/report-insights.js';
import type { ReportPeriod } from '../../domain/report-overview.js';
import { selfServiceEvents } from '../../domain/self-service.js';
import type { Db } from '../../infra/db.js';
import { Prisma } from '../../prisma/generated/client.js';
import { utc } from './report-overview.js';

type Reader = Pick<Db, '$queryRaw'>;

const fieldsOf = (period: ReportPeriod) => ({ from: period.from.toISOString(), to: period.to.toISOString(), timeZone: period.timeZone });

/** Conversations resolved in the period (as the overview counts them), `c` in the query. */
const resolvedIn = (period: ReportPeriod) =>
  Prisma.sql`c.status IN ('resolved', 'closed') AND c."resolvedAt" >= ${utc(period.from)} AND c."resolvedAt" < ${utc(period.to)}`;

/** Is there an event of one of these types on conversation `c`? */
const hasEvent = (types: string[]) => Prisma.sql`EXISTS (SELECT 1 FROM "Event" e WHERE e."conversationId" = c.id AND e.type = ANY(${types}))`;

export async function readResolution(db: Reader, period: ReportPeriod): Promise<ResolutionReport> {
  const botResolved = [selfServiceEvents.helpful, selfServiceEvents.assumedResolved];
  const [counts] = await db.$queryRaw<ResolutionCounts[]>`
    SELECT count(*)::int AS resolved,
      count(*) FILTER (WHERE replies > 0)::int AS "personHandled",
      count(*) FILTER (WHERE replies = 1 AND NOT reopened)::int AS "firstContact",
      count(*) FILTER (WHERE answered)::int AS "botAnswered",
      count(*) FILTER (WHERE replies = 0 AND NOT "handedOff" AND "botResolvedAt" IS NOT NULL
        AND (helpful OR NOT EXISTS (
          SELECT 1 FROM "Event" e WHERE e."conversationId" = x.id AND e.type = 'conversation.reopened'
            AND e."occurredAt" >= x."botResolvedAt" AND e."occurredAt" < x."botResolvedAt" + make_interval(days => ${aiResolutionReopenDays}::int))))::int AS "aiResolved"
    FROM (SELECT c.id,
            (SELECT count(*) FROM "Message" m WHERE m."conversationId" = c.id AND m."authorKind" = 'agent' AND NOT m.private) AS replies,
            ${hasEvent(['conversation.reopened'])} AS reopened,
            ${hasEvent([selfServiceEvents.answered])} AS answered,
            ${hasEvent([selfServiceEvents.handedOff])} AS "handedOff",
            ${hasEvent([selfServiceEvents.helpful])} AS helpful,
            (SELECT min(e."occurredAt") FROM "Event" e WHERE e."conversationId" = c.id AND e.type = ANY(${botResolved})) AS "botResolvedAt"
          FROM "Conversation" c WHERE ${resolvedIn(period)}) x`;
  return resolutionReport(fieldsOf(period), counts ?? { resolved: 0, personHandled: 0, firstContact: 0, botAnswered: 0, aiResolved: 0 });
}

export async function readAgents(db: Pick<Db, '$queryRaw' | 'user'>, period: ReportPeriod): Promise<AgentsReport> {
  const from = utc(period.from);
  const to = utc(period.to);
  const publicReply = Prisma.sql`m."authorKind" = 'agent' AND NOT m.private AND m."authorUserId" IS NOT NULL`;
  const [handled, resolved, firstResponse, csat] = await Promise.all([
    db.$queryRaw<AgentRows['handled']>`
      SELECT m."authorUserId"::text AS "userId", count(DISTINCT m."conversationId")::int AS count
      FROM "Message" m WHERE ${publicReply} AND m."createdAt" >= ${from} AND m."createdAt" < ${to}
      GROUP BY m."authorUserId"`,
    db.$queryRaw<AgentRows['resolved']>`
      SELECT c."assigneeId"::text AS "userId", count(*)::int AS count,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM c."resolvedAt" - c."createdAt") / 60)::float8 AS median
      FROM "Conversation" c WHERE ${resolvedIn(period)} AND c."assigneeId" IS NOT NULL
      GROUP BY c."assigneeId"`,
    // The first public agent reply of each conversation where it falls in the period (none before it).
    db.$queryRaw<AgentRows['firstResponse']>`
      SELECT f."userId", count(*)::int AS count,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM f.at - c."createdAt") / 60)::float8 AS median
      FROM (SELECT DISTINCT ON (m."conversationId") m."conversationId", m."authorUserId"::text AS "userId", m."createdAt" AS at
            FROM "Message" m WHERE ${publicReply} AND m."createdAt" >= ${from} AND m."createdAt" < ${to}
            ORDER BY m."conversationId", m."createdAt", m.id) f
      JOIN "Conversation" c ON c.id = f."conversationId"
      WHERE NOT EXISTS (SELECT 1 FROM "Message" p WHERE p."conversationId" = f."conversationId"
                        AND p."authorKind" = 'agent' AND NOT p.private AND p."createdAt" < ${from})
      GROUP BY f."userId"`,
    db.$queryRaw<AgentRows['csat']>`
      SELECT c."assigneeId"::text AS "userId", count(*)::int AS count, avg(latest.score)::float8 AS average,
        count(*) FILTER (WHERE latest.score >= ${satisfiedScore})::int AS satisfied
      FROM (SELECT DISTINCT ON (e."conversationId") e."conversationId", e."occurredAt", (e.payload->>'score')::int AS score
            FROM "Event" e WHERE e.type = ${csatEventType} AND e."conversationId" IS NOT NULL
            ORDER BY e."conversationId", e.id DESC) latest
      JOIN "Conversation" c ON c.id = latest."conversationId"
      WHERE latest."occurredAt" >= ${from} AND latest."occurredAt" < ${to} AND c."assigneeId" IS NOT NULL
      GROUP BY c."assigneeId"`,
  ]);
  const ids = [...new Set([...handled, ...resolved, ...firstResponse, ...csat].map((row) => row.userId))];
  const users = ids.length ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  return agentsReport(fieldsOf(period), { handled, resolved, firstResponse, csat }, new Map(users.map((user) => [user.id, user.name])));
}

export async function readBusiestHours(db: Reader, period: ReportPeriod): Promise<BusiestHoursReport> {
  const rows = await db.$queryRaw<{ weekday: number; hour: number; count: number }[]>`
    SELECT EXTRACT(ISODOW FROM local)::int AS weekday, EXTRACT(HOUR FROM local)::int AS hour, count(*)::int AS count
    FROM (SELECT (c."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${period.timeZone} AS local FROM "Conversation" c
          WHERE c."createdAt" >= ${utc(period.from)} AND c."createdAt" < ${utc(period.to)}) x
    GROUP BY 1, 2`;
  return busiestHoursReport(fieldsOf(period), rows);
}
