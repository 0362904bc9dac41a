// The console's calls to the report endpoints (api/README.md, "Endpoints"). A CSV is fetched
// with the session's token (a plain link would carry none) and handed to the browser as a file,
// its headings in the console's language (Traditional too: the server converts the Simplified).
import type { CallReport } from '../../../contract/calls';
import type { LiveOperations } from '../../../domain/live-operations';
import type { AiCostReport } from '../../../domain/report-ai-cost';
import type { AgentsReport, BusiestHoursReport, ResolutionReport } from '../../../domain/report-insights';
import type { OverviewReport } from '../../../domain/report-overview';
import { session, sessionRequest } from '../auth/session';
import type { Locale } from '../i18n/locale';
import { ApiError, toApiError } from '../shared/http';
import { insightQueryString, type InsightPeriod, type InsightReport } from './report-insights';
import { overviewQueryString, type OverviewRequest } from './report-period';

interface InsightReports {
  resolution: ResolutionReport;
  agents: AgentsReport;
  'busiest-hours': BusiestHoursReport;
}

/** A report's CSV (`/api/reports/<name>.csv?<query>`) as a Blob and the file name the server gave it. */
async function csvFile(name: string, query: string): Promise<{ blob: Blob; fileName: string }> {
  let response: Response;
  try {
    response = await fetch(`/api/reports/${name}.csv?${query}`, { headers: session.token ? { Authorization: `Bearer ${session.token}` } : {} });
  } catch {
    throw new ApiError(0, 'network', 'Network error');
  }
  if (!response.ok) throw toApiError(response.status, await response.json().catch(() => null));
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `seamless-${name}.csv`;
  return { blob: await response.blob(), fileName };
}

export const reportApi = {
  overview: (query: OverviewRequest, signal?: AbortSignal) =>
    sessionRequest<OverviewReport>('GET', `/api/reports/overview?${overviewQueryString(query)}`, { signal }),

  overviewCsv: (query: OverviewRequest, locale: Locale) => csvFile('overview', overviewQueryString(query, { locale })),

  /** One of the leads' reports (domain/report-insights.ts). */
  insight: <R extends InsightReport>(report: R, period: InsightPeriod, signal?: AbortSignal) =>
    sessionRequest<InsightReports[R]>('GET', `/api/reports/${report}?${insightQueryString(report, period)}`, { signal }),

  /** Calls offered, answered and missed, per day and per agent (GET /api/reports/calls). */
  calls: ({ from, to, timeZone }: InsightPeriod, signal?: AbortSignal) =>
    sessionRequest<CallReport>('GET', `/api/reports/calls?${new URLSearchParams({ from, to, timeZone })}`, { signal }),

  /** What the AI calls cost, per day, purpose and model (GET /api/reports/ai-cost). */
  aiCost: ({ from, to, timeZone }: InsightPeriod, signal?: AbortSignal) =>
    sessionRequest<AiCostReport>('GET', `/api/reports/ai-cost?${new URLSearchParams({ from, to, timeZone })}`, { signal }),

  aiCostCsv: ({ from, to, timeZone }: InsightPeriod, locale: Locale) => csvFile('ai-cost', new URLSearchParams({ from, to, timeZone, locale }).toString()),

  /** The live operations snapshot (team leads and admins). */
  live: (signal?: AbortSignal) => sessionRequest<LiveOperations>('GET', '/api/reports/live', { signal }),

  insightCsv: (report: InsightReport, period: InsightPeriod, locale: Locale) => csvFile(report, insightQueryString(report, period, { locale })),
};

/** Saves a Blob through a temporary link (no new window; the object URL is released after). */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
