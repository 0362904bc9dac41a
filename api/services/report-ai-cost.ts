// Reads the AI cost report's rows (definitions: domain/report-ai-cost.ts) from the AI calls log,
// grouped by the call's local day in the report's zone, its purpose and its model.
import { aiCostReport, type AiCostReport, type AiCostRow } from '../../domain/report-ai-cost.js';
import type { ReportPeriod } from '../../domain/report-overview.js';
import type { Db } from '../../infra/db.js';
import { utc } from './report-overview.js';

export async function readAiCost(db: Pick<Db, '$queryRaw'>, period: ReportPeriod): Promise<AiCostReport> {
  const rows = await db.$queryRaw<AiCostRow[]>`
    SELECT to_char(("createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${period.timeZone}, 'YYYY-MM-DD') AS date,
      operation, provider, model,
      count(*)::int AS calls,
      COALESCE(sum("promptTokens"), 0)::int AS "promptTokens",
      COALESCE(sum("completionTokens"), 0)::int AS "completionTokens",
      COALESCE(sum(cost), 0)::float8 AS cost,
      count(*) FILTER (WHERE cost IS NULL)::int AS "unpricedCalls",
      round(avg("latencyMs"))::int AS "averageLatencyMs"
    FROM "AiCall"
    WHERE "createdAt" >= ${utc(period.from)} AND "createdAt" < ${utc(period.to)}
    GROUP BY 1, operation, provider, model`;
  return aiCostReport({ from: period.from.toISOString(), to: period.to.toISOString(), timeZone: period.timeZone }, rows);
}
