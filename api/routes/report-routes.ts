// Reports read from the event log and the AI call records: self-service (deflection, hand-offs,
// helpfulness), what the AI layer cost, the overview (volume, response times, SLA, CSAT) per
// day or week, and the leads' reports (first-contact and AI resolution, per agent, busiest hours),
// as JSON or CSV, over a period, and the AI cost per day, purpose and model (JSON or CSV); and the live operations snapshot for leads and admins.
import { Router } from 'express';
import { z } from 'zod';
import { reportPeriodQuery } from '../../contract/requests/reports.js';
import { aiCostCsv, type AiCostReport } from '../../domain/report-ai-cost.js';
import {
  agentsCsv,
  busiestHoursCsv,
  insightsQuerySchema,
  resolutionCsv,
  type AgentsReport,
  type BusiestHoursReport,
  type ResolutionReport,
} from '../../domain/report-insights.js';
import {
  overviewCsv,
  overviewCsvName,
  overviewPeriod,
  overviewQuerySchema,
  reportCsvName,
  reportPeriod,
  type CsvLanguage,
  type CsvLocale,
  type ReportPeriod,
} from '../../domain/report-overview.js';
import { selfServiceReport } from '../../domain/self-service.js';
import { traditionalChinese } from '../../infra/chinese-text.js';
import { requireUser } from '../authentication.js';
import type { ResolvedApiDeps } from '../deps.js';
import { findLiveOperations, liveScopeOf } from '../finders/live-operations-finder.js';
import { findAiUsage, findOrganizationTimeZone, findSelfServiceCounts, type Period } from '../finders/report-finder.js';
import { badRequest, forbidden } from '../http-error.js';
import { readAiCost } from '../services/report-ai-cost.js';
import { readAgents, readBusiestHours, readResolution } from '../services/report-insights.js';
import { readOverview } from '../services/report-overview.js';
import { parse } from '../validate.js';

const dayMs = 86_400_000;

/** A CSV in the asked locale; its Traditional words are the Simplified ones converted (OpenCC). */
const csvLanguage = (locale: CsvLocale): CsvLanguage => ({ locale, toTraditional: traditionalChinese });

/** The requested period; the last 30 days by default. */
function periodOf(query: unknown): Period {
  const input = parse(reportPeriodQuery, query, 'query');
  const to = input.to ? new Date(input.to) : new Date();
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - 30 * dayMs);
  if (from >= to) throw badRequest('invalid_period', '"from" must be before "to".');
  return { from, to };
}

/**
 * The period reports read through `deps.reports`: the read replica when one is configured (they may
 * lag its replay by a moment). The organisation's time zone and the live snapshot read the primary:
 * a zone just changed, and "live", must be current.
 */
export function reportRoutes(deps: ResolvedApiDeps): Router {
  const router = Router();
  const { reports } = deps;

  router.get('/api/reports/self-service', async (req, res) => {
    requireUser(res);
    const period = periodOf(req.query);
    const { counts, conversations } = await reports.read((db) => findSelfServiceCounts(db, period));
    res.json({ from: period.from.toISOString(), to: period.to.toISOString(), ...selfServiceReport(counts, conversations) });
  });

  router.get('/api/reports/ai-usage', async (req, res) => {
    requireUser(res);
    const period = periodOf(req.query);
    const calls = await reports.read((db) => findAiUsage(db, period));
    res.json({ from: period.from.toISOString(), to: period.to.toISOString(), calls });
  });

  /** The overview's period; the time zone defaults to the organisation's. */
  const overviewOf = async (query: unknown) => {
    const input = parse(overviewQuerySchema, query, 'query');
    const timeZone = input.timeZone ?? (await findOrganizationTimeZone(deps.db)) ?? 'UTC';
    return { period: overviewPeriod(input, new Date(), timeZone), locale: input.locale };
  };

  router.get('/api/reports/overview', async (req, res) => {
    requireUser(res);
    const { period } = await overviewOf(req.query);
    res.json(await reports.read((db) => readOverview(db, period)));
  });

  router.get('/api/reports/overview.csv', async (req, res) => {
    requireUser(res);
    const { period, locale } = await overviewOf(req.query);
    const report = await reports.read((db) => readOverview(db, period));
    res
      .type('text/csv; charset=utf-8')
      .attachment(overviewCsvName(report))
      .send(overviewCsv(report, csvLanguage(locale)));
  });

  /** A leads' report as JSON at `/api/reports/<name>` and as CSV at `/api/reports/<name>.csv`. */
  const insight = <R extends { from: string; to: string; timeZone: string }>(
    name: string,
    read: (period: ReportPeriod) => Promise<R>,
    csv: (report: R, language: CsvLanguage) => string,
  ) => {
    const readQuery = async (query: unknown) => {
      const input = parse(insightsQuerySchema, query, 'query');
      const zone = input.timeZone ?? (await findOrganizationTimeZone(deps.db)) ?? 'UTC';
      return { report: await read(reportPeriod(input, new Date(), zone)), locale: input.locale };
    };
    router.get(`/api/reports/${name}`, async (req, res) => {
      requireUser(res);
      res.json((await readQuery(req.query)).report);
    });
    router.get(`/api/reports/${name}.csv`, async (req, res) => {
      requireUser(res);
      const { report, locale } = await readQuery(req.query);
      res
        .type('text/csv; charset=utf-8')
        .attachment(reportCsvName(name, report))
        .send(csv(report, csvLanguage(locale)));
    });
  };
  insight<ResolutionReport>('resolution', (period) => reports.read((db) => readResolution(db, period)), resolutionCsv);
  insight<AgentsReport>('agents', (period) => reports.read((db) => readAgents(db, period)), agentsCsv);
  insight<BusiestHoursReport>('busiest-hours', (period) => reports.read((db) => readBusiestHours(db, period)), busiestHoursCsv);
  insight<AiCostReport>('ai-cost', (period) => reports.read((db) => readAiCost(db, period)), aiCostCsv);

  /** The live operations dashboard's snapshot (domain/live-operations.ts): admins and team leads. */
  router.get('/api/reports/live', async (req, res) => {
    const user = requireUser(res);
    parse(z.strictObject({}), req.query, 'query');
    const scope = await liveScopeOf(deps.db, { id: user.userId, role: user.role });
    if (!scope) throw forbidden('Live operations are for team leads and admins.');
    res.json(await findLiveOperations(deps.db, scope, (await findOrganizationTimeZone(deps.db)) ?? 'UTC'));
  });

  return router;
}
