// Reads the overview report's figures (definitions: domain/report-overview.ts) with one SQL query
// per group of figures. Each query buckets rows with date_trunc in the report's time zone and
// computes the buckets and the total at once (GROUPING SETS: percentiles cannot be summed).
import { csatEventType, satisfiedScore } from '../../domain/csat.js';
import { overviewReport, type FigureRows, type OverviewPeriod, type OverviewReport } from '../../domain/report-overview.js';
import { selfServiceEvents } from '../../domain/self-service.js';
import type { Db } from '../../infra/db.js';
import { Prisma } from '../../prisma/generated/client.js';

/** Prisma stores DateTime as UTC `timestamp(3)`: an instant compares as its UTC wall time. */
export const utc = (date: Date) => Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

export async function readOverview(db: Pick<Db, '$queryRaw'>, period: OverviewPeriod): Promise<OverviewReport> {
  const from = utc(period.from);
  const to = utc(period.to);
  /** The bucket (a timestamptz: local midnight) of a UTC `timestamp` column. */
  const bucketOf = (column: Prisma.Sql) => Prisma.sql`date_trunc(${period.bucket}, ${column} AT TIME ZONE 'UTC', ${period.timeZone})`;
  const botResolved = [selfServiceEvents.helpful, selfServiceEvents.assumedResolved];

  const [created, resolved, firstResponse, selfService, csat] = await Promise.all([
    db.$queryRaw<FigureRows['created']>`
      SELECT bucket, count(*)::int AS count
      FROM (SELECT ${bucketOf(Prisma.sql`c."createdAt"`)} AS bucket FROM "Conversation" c
            WHERE c."createdAt" >= ${from} AND c."createdAt" < ${to}) x
      GROUP BY GROUPING SETS ((bucket), ())`,
    db.$queryRaw<FigureRows['resolved']>`
      SELECT bucket, count(*)::int AS count,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) AS median,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes) AS p90,
        count(*) FILTER (WHERE measured)::int AS "slaMeasured",
        count(*) FILTER (WHERE measured AND breached)::int AS "slaBreached"
      FROM (SELECT ${bucketOf(Prisma.sql`c."resolvedAt"`)} AS bucket,
              (EXTRACT(EPOCH FROM c."resolvedAt" - c."createdAt") / 60)::float8 AS minutes,
              c."slaPolicyId" IS NOT NULL AS measured,
              (c."slaState" = 'breached' OR EXISTS (
                SELECT 1 FROM "Event" e WHERE e."conversationId" = c.id AND e.type = 'sla.breached')) AS breached
            FROM "Conversation" c
            WHERE c.status IN ('resolved', 'closed') AND c."resolvedAt" >= ${from} AND c."resolvedAt" < ${to}) x
      GROUP BY GROUPING SETS ((bucket), ())`,
    // The first public agent reply of each conversation, where it falls in the period; the
    // NOT EXISTS leaves out conversations answered before the period began.
    db.$queryRaw<FigureRows['firstResponse']>`
      SELECT bucket, count(*)::int AS count,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) AS median,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes) AS p90
      FROM (SELECT ${bucketOf(Prisma.sql`r.at`)} AS bucket, (EXTRACT(EPOCH FROM r.at - c."createdAt") / 60)::float8 AS minutes
            FROM (SELECT m."conversationId", min(m."createdAt") AS at FROM "Message" m
                  WHERE m."authorKind" = 'agent' AND NOT m.private AND m."createdAt" >= ${from} AND m."createdAt" < ${to}
                  GROUP BY m."conversationId") r
            JOIN "Conversation" c ON c.id = r."conversationId"
            WHERE NOT EXISTS (SELECT 1 FROM "Message" p WHERE p."conversationId" = r."conversationId"
                              AND p."authorKind" = 'agent' AND NOT p.private AND p."createdAt" < ${from})) x
      GROUP BY GROUPING SETS ((bucket), ())`,
    db.$queryRaw<FigureRows['selfService']>`
      SELECT bucket,
        count(*) FILTER (WHERE type = ${selfServiceEvents.answered})::int AS answered,
        count(*) FILTER (WHERE type = ANY(${botResolved}))::int AS resolved
      FROM (SELECT ${bucketOf(Prisma.sql`e."occurredAt"`)} AS bucket, e.type FROM "Event" e
            WHERE e.type = ANY(${[selfServiceEvents.answered, ...botResolved]})
              AND e."occurredAt" >= ${from} AND e."occurredAt" < ${to}) x
      GROUP BY GROUPING SETS ((bucket), ())`,
    // A rating replaced later counts as the latest one, where that one was given.
    db.$queryRaw<FigureRows['csat']>`
      SELECT bucket, count(*)::int AS count, avg(score)::float8 AS average,
        count(*) FILTER (WHERE score >= ${satisfiedScore})::int AS satisfied
      FROM (SELECT ${bucketOf(Prisma.sql`latest."occurredAt"`)} AS bucket, latest.score
            FROM (SELECT DISTINCT ON (e."conversationId") e."occurredAt", (e.payload->>'score')::int AS score
                  FROM "Event" e WHERE e.type = ${csatEventType} AND e."conversationId" IS NOT NULL
                  ORDER BY e."conversationId", e.id DESC) latest
            WHERE latest."occurredAt" >= ${from} AND latest."occurredAt" < ${to}) x
      GROUP BY GROUPING SETS ((bucket), ())`,
  ]);
  return overviewReport(period, { created, resolved, firstResponse, selfService, csat });
}
