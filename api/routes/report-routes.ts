// Reports read from the event log and the AI call records: self-service (deflection, hand-offs,
// helpfulness), what the AI layer cost, and the overview (volume, response times, SLA, CSAT) per
// day or week, as JSON or CSV, over a period.
import { Router } from 'express';
import { z } from 'zod';
import { overviewCsv, overviewCsvName, overviewPeriod, overviewQuerySchema } from '../../domain/report-overview.js';
import { selfServiceEvents, selfServiceReport } from '../../domain/self-service.js';
import { requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { badRequest } from '../http-error.js';
import { readOverview } from '../services/report-overview.js';
import { parse } from '../validate.js';

const dayMs = 86_400_000;
const periodQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

/** The requested period; the last 30 days by default. */
function periodOf(query: unknown): { from: Date; to: Date } {
  const input = parse(periodQuery, query, 'query');
  const to = input.to ? new Date(input.to) : new Date();
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - 30 * dayMs);
  if (from >= to) throw badRequest('invalid_period', '"from" must be before "to".');
  return { from, to };
}

export function reportRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/api/reports/self-service', async (req, res) => {
    requireUser(res);
    const period = periodOf(req.query);
    const occurredAt = { gte: period.from, lt: period.to };
    const [groups, conversations] = await Promise.all([
      deps.db.event.groupBy({ by: ['type'], where: { type: { in: Object.values(selfServiceEvents) }, occurredAt }, _count: { _all: true } }),
      deps.db.conversation.count({ where: { createdAt: occurredAt } }),
    ]);
    const counts = Object.fromEntries(groups.map((group) => [group.type, group._count._all]));
    res.json({ from: period.from.toISOString(), to: period.to.toISOString(), ...selfServiceReport(counts, conversations) });
  });

  router.get('/api/reports/ai-usage', async (req, res) => {
    requireUser(res);
    const period = periodOf(req.query);
    const groups = await deps.db.aiCall.groupBy({
      by: ['provider', 'model', 'operation'],
      where: { createdAt: { gte: period.from, lt: period.to } },
      _count: { _all: true },
      _sum: { promptTokens: true, completionTokens: true },
      _avg: { latencyMs: true },
      orderBy: [{ provider: 'asc' }, { model: 'asc' }, { operation: 'asc' }],
    });
    const calls = groups.map((group) => ({
      provider: group.provider,
      model: group.model,
      operation: group.operation,
      calls: group._count._all,
      promptTokens: group._sum.promptTokens ?? 0,
      completionTokens: group._sum.completionTokens ?? 0,
      averageLatencyMs: Math.round(group._avg.latencyMs ?? 0),
    }));
    res.json({ from: period.from.toISOString(), to: period.to.toISOString(), calls });
  });

  /** The overview's period; the time zone defaults to the organisation's. */
  const overviewOf = async (query: unknown) => {
    const input = parse(overviewQuerySchema, query, 'query');
    const organization = input.timeZone ? null : await deps.db.organization.findUnique({ where: { id: 1 }, select: { timeZone: true } });
    return { period: overviewPeriod(input, new Date(), input.timeZone ?? organization?.timeZone ?? 'UTC'), locale: input.locale };
  };

  router.get('/api/reports/overview', async (req, res) => {
    requireUser(res);
    const { period } = await overviewOf(req.query);
    res.json(await readOverview(deps.db, period));
  });

  router.get('/api/reports/overview.csv', async (req, res) => {
    requireUser(res);
    const { period, locale } = await overviewOf(req.query);
    const report = await readOverview(deps.db, period);
    res
      .type('text/csv; charset=utf-8')
      .attachment(overviewCsvName(report))
      .send(overviewCsv(report, locale));
  });

  return router;
}
