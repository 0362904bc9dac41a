// The leads' reports on the reports page (definitions: domain/report-insights.ts), their pure
// parts: which query each report takes, the heatmap's weekday and hour labels and shades, and the
// agents table's cells, in the user's locale.
import type { AgentFigures, BusiestHoursReport } from '../../../domain/report-insights';
import type { Translate } from '../i18n/create-i18n';
import { none, type Formatters } from './report-period';

export const insightReports = ['resolution', 'agents', 'busiest-hours'] as const;
export type InsightReport = (typeof insightReports)[number];

export interface InsightPeriod {
  from: string;
  to: string;
  timeZone: string;
}

/**
 * A report's query: the period in the user's zone; the busiest hours are read in the
 * organisation's zone (the one its business hours are set in), so no zone is sent for them.
 */
export function insightQueryString(report: InsightReport, period: InsightPeriod, extra: Record<string, string> = {}): string {
  const { from, to, timeZone } = period;
  return new URLSearchParams({ from, to, ...(report === 'busiest-hours' ? {} : { timeZone }), ...extra }).toString();
}

/** Monday to Sunday in the locale ("Mon", "周一"). */
export function weekdayLabels(locale: string, width: 'short' | 'long' = 'short'): string[] {
  const format = new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' });
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, day) => format.format(new Date(Date.UTC(2024, 0, 1 + day))));
}

export const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** A cell's shade, 0 (none) to 4 (the busiest), relative to the busiest cell. */
export function heatLevel(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.max(1, Math.ceil((count / max) * 4));
}

export interface HeatCell {
  hour: number;
  count: number;
  level: number;
  label: string;
}

/** The heatmap's rows, Monday first, each cell with its shade and its spoken label. */
export function heatRows(report: BusiestHoursReport, locale: string, t: Translate): { day: string; cells: HeatCell[] }[] {
  const days = weekdayLabels(locale, 'long');
  const short = weekdayLabels(locale);
  return report.cells.map((counts, index) => ({
    day: short[index] ?? '',
    cells: counts.map((count, hour) => ({
      hour,
      count,
      level: heatLevel(count, report.max),
      label: t('reportInsights.hours.cell', { day: days[index] ?? '', hour: hourLabel(hour), count }, count),
    })),
  }));
}

/** An agent's row as shown: counts, medians as durations, CSAT as "4.5 (2)". */
export function agentCells(agent: AgentFigures, format: Formatters, t: Translate) {
  return {
    handled: format.count(agent.handled),
    resolved: format.count(agent.resolved),
    firstResponse: format.minutes(agent.firstResponseMedian),
    resolution: format.minutes(agent.resolutionMedian),
    csat:
      agent.csatAverage === null
        ? none
        : t('reportInsights.agents.csatValue', { average: format.score(agent.csatAverage), count: format.count(agent.csatCount) }),
  };
}
