// The calls report (issue 24): per local day and per agent, calls offered (every call that rang),
// answered, missed, and the average talk time (answer to hang-up) and wait (request to answer).
import type { CallFigures, CallReport } from '../../contract/calls.js';
import type { Db } from '../../infra/db.js';
import { Prisma } from '../../prisma/generated/client.js';

interface FigureRow {
  key: string | null;
  offered: number;
  answered: number;
  missed: number;
  duration: number | null;
  wait: number | null;
}

const figures = (row: FigureRow | undefined): CallFigures => ({
  offered: row?.offered ?? 0,
  answered: row?.answered ?? 0,
  missed: row?.missed ?? 0,
  averageDurationSeconds: row?.duration == null ? null : Math.round(Number(row.duration)),
  averageWaitSeconds: row?.wait == null ? null : Math.round(Number(row.wait)),
});

export async function readCallReport(db: Pick<Db, '$queryRaw'>, period: { from: Date; to: Date; timeZone: string }): Promise<CallReport> {
  // Timestamps are stored in UTC without a zone: read them as UTC, then as the report's local time.
  const grouped = (key: Prisma.Sql) => db.$queryRaw<FigureRow[]>`
    SELECT ${key} AS key,
      count(*)::int AS offered,
      count(*) FILTER (WHERE "answeredAt" IS NOT NULL)::int AS answered,
      count(*) FILTER (WHERE status = 'missed')::int AS missed,
      avg(extract(epoch FROM "endedAt" - "answeredAt")) FILTER (WHERE "answeredAt" IS NOT NULL AND "endedAt" IS NOT NULL)::float8 AS duration,
      avg(extract(epoch FROM "answeredAt" - "createdAt")) FILTER (WHERE "answeredAt" IS NOT NULL)::float8 AS wait
    FROM "Call"
    WHERE "createdAt" >= ${period.from} AND "createdAt" < ${period.to}
    GROUP BY 1 ORDER BY 1`;
  const [days, agents, [total]] = await Promise.all([
    grouped(Prisma.sql`to_char(("createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${period.timeZone}, 'YYYY-MM-DD')`),
    grouped(Prisma.sql`"agentId"::text`),
    grouped(Prisma.sql`NULL::text`),
  ]);
  const agentIds = agents.flatMap((row) => (row.key ? [row.key] : []));
  const names = new Map(
    (await db.$queryRaw<{ id: string; name: string }[]>`SELECT id::text, name FROM "User" WHERE id::text = ANY(${agentIds})`).map((user) => [
      user.id,
      user.name,
    ]),
  );
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    timeZone: period.timeZone,
    days: days.map((row) => ({ date: row.key ?? '', ...figures(row) })),
    agents: agents
      .flatMap((row) => (row.key ? [{ agentId: row.key, name: names.get(row.key) ?? '', ...figures(row) }] : []))
      .sort((a, b) => a.name.localeCompare(b.name)),
    total: figures(total),
  };
}
