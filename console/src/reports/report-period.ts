// The reports page's decisions, pure so they are unit-tested: which instants a chosen period
// covers in the user's time zone, how the figures read in the user's locale, and the series the
// charts draw. Figures are defined in domain/report-overview.ts.
import { DateTime } from 'luxon';
import type { OverviewBucketFigures, OverviewFigures, OverviewReport, ReportBucket } from '../../../domain/report-overview';
import type { MessageKey } from '../i18n/messages-en';
import type { Translate } from '../i18n/create-i18n';

export const periodPresets = ['last7', 'last30', 'custom'] as const;
export type PeriodPreset = (typeof periodPresets)[number];

export interface PeriodChoice {
  preset: PeriodPreset;
  /** Custom period: first and last local day, YYYY-MM-DD, both included. */
  fromDate: string;
  toDate: string;
  bucket: ReportBucket;
}

export interface OverviewRequest {
  from: string;
  to: string;
  bucket: ReportBucket;
  timeZone: string;
}

/** The longest custom period the API accepts (domain/report-overview.ts, `maxReportDays`). */
export const maxDays = 366;

/**
 * The request for a choice: "last N days" is today and the N-1 days before it, from local
 * midnight, up to now; a custom period runs from the first day's midnight to the midnight after
 * the last. Null when the custom dates are missing, reversed or too far apart.
 */
export function overviewRequest(choice: PeriodChoice, now: Date, timeZone: string): OverviewRequest | null {
  const zone = { zone: timeZone };
  if (choice.preset !== 'custom') {
    const days = choice.preset === 'last7' ? 7 : 30;
    const from = DateTime.fromJSDate(now, zone)
      .startOf('day')
      .minus({ days: days - 1 });
    return { from: from.toUTC().toISO()!, to: now.toISOString(), bucket: choice.bucket, timeZone };
  }
  const from = DateTime.fromISO(choice.fromDate, zone);
  const to = DateTime.fromISO(choice.toDate, zone).plus({ days: 1 });
  if (!from.isValid || !to.isValid || to <= from || to.diff(from, 'days').days > maxDays) return null;
  return { from: from.toUTC().toISO()!, to: to.toUTC().toISO()!, bucket: choice.bucket, timeZone };
}

export function overviewQueryString(request: OverviewRequest, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ ...request, ...extra }).toString();
}

/** The default choice: the last 30 days by day; the custom dates start as that same span. */
export function defaultChoice(now: Date, timeZone: string): PeriodChoice {
  const today = DateTime.fromJSDate(now, { zone: timeZone });
  return { preset: 'last30', fromDate: today.minus({ days: 29 }).toISODate()!, toDate: today.toISODate()!, bucket: 'day' };
}

// ---- Formatting ----

export interface Formatters {
  count(value: number): string;
  /** A share 0-1 as a percentage; "–" without a value. */
  percent(value: number | null): string;
  /** A score such as 4.25; "–" without a value. */
  score(value: number | null): string;
  /** Minutes as "1h 05m" (the duration messages); "–" without a value. */
  minutes(value: number | null): string;
  /**
   * Minutes on a chart's axis, to the second: the ticks of a chart of live-chat times are
   * fractions of a minute (0.1, 0.2, …), which `minutes` would all write "less than a minute".
   */
  axisMinutes(value: number): string;
  /** A bucket's label: its first day, in the report's time zone. */
  bucketLabel(bucket: Pick<OverviewBucketFigures, 'start'>, kind: ReportBucket): string;
}

export const none = '–';

export function formatters(locale: string, timeZone: string, t: (key: MessageKey, params?: Record<string, string | number>) => string): Formatters {
  const count = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const score = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 2 });
  const day = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone });
  const minutes = (value: number | null): string => {
    if (value === null) return none;
    if (value < 1) return t('duration.underMinute');
    const whole = Math.round(value);
    const days = Math.floor(whole / 1440);
    const hours = Math.floor((whole % 1440) / 60);
    if (days > 0) return t('duration.days', { d: count.format(days), h: hours });
    if (hours > 0) return t('duration.hours', { h: hours, m: String(whole % 60).padStart(2, '0') });
    return t('duration.minutes', { m: whole });
  };
  return {
    count: (value) => count.format(value),
    percent: (value) => (value === null ? none : percent.format(value)),
    score: (value) => (value === null ? none : score.format(value)),
    minutes,
    axisMinutes: (value) => {
      // The axis starts at 0, which reads better as "0" than as "0s".
      if (value === 0) return '0';
      const seconds = Math.round(value * 60);
      if (seconds < 60) return t('duration.seconds', { s: seconds });
      if (seconds < 3600 && seconds % 60 !== 0) return t('duration.minutesSeconds', { m: Math.floor(seconds / 60), s: seconds % 60 });
      return minutes(value);
    },
    bucketLabel: (bucket, kind) => {
      const label = day.format(new Date(bucket.start));
      return kind === 'week' ? t('reports.weekOf', { day: label }) : label;
    },
  };
}

// ---- Totals ----

export interface TotalFigure {
  /** The figure's name (its message key) and the test id of its value, `report-total-<name>`. */
  label: MessageKey;
  name: string;
  value: string;
  /** What the value rests on: the 90th percentile, how many were measured or rated. */
  detail?: string;
}

/** The period's headline figures, in the order the page shows them. */
export function totalFigures(total: OverviewFigures, format: Formatters, t: Translate): TotalFigure[] {
  const p90 = (value: number | null) => t('reports.p90', { value: format.minutes(value) });
  const ofCount = (count: number) => t('reports.ofCount', { count: format.count(count) });
  return [
    { label: 'reports.figure.created', name: 'created', value: format.count(total.created) },
    { label: 'reports.figure.resolved', name: 'resolved', value: format.count(total.resolved) },
    {
      label: 'reports.figure.firstResponseMedian',
      name: 'firstResponse',
      value: format.minutes(total.firstResponse.median),
      detail: p90(total.firstResponse.p90),
    },
    { label: 'reports.figure.resolutionMedian', name: 'resolution', value: format.minutes(total.resolution.median), detail: p90(total.resolution.p90) },
    { label: 'reports.figure.slaCompliance', name: 'sla', value: format.percent(total.sla.complianceRate), detail: ofCount(total.sla.measured) },
    {
      label: 'reports.figure.deflection',
      name: 'deflection',
      value: format.percent(total.selfService.deflectionRate),
      detail: ofCount(total.selfService.answered),
    },
    {
      label: 'reports.figure.csatAverage',
      name: 'csat',
      value: format.score(total.csat.average),
      detail: `${t('reports.ratings', { count: format.count(total.csat.count) }, total.csat.count)} · ${format.percent(total.csat.satisfiedRate)}`,
    },
  ];
}

// ---- Chart series ----

/** Whole durations an axis of minutes steps by: seconds, minutes, hours, days. */
const durationSteps = [1, 2, 5, 10, 15, 30].map((s) => s / 60).concat([1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 7200]);

/**
 * The step of an axis of minutes whose largest value is `max`: the smallest whole duration
 * (1 s, 5 s, 30 s, 1 min, 15 min, 1 h, 6 h, 1 day…) giving at most six steps, so every tick is a
 * round duration and no two read the same (Chart.js's own steps are decimals of a minute: 0.05
 * is 3 s, 0.005 would be "0s" twice). Undefined without a value: Chart.js decides.
 */
export function durationStep(max: number): number | undefined {
  if (!(max > 0)) return undefined;
  return durationSteps.find((step) => max / step <= 6) ?? Math.ceil(max / 6 / 1440) * 1440;
}

/** The largest value a chart draws (0 without any). */
export function chartMax(data: ChartData): number {
  return Math.max(0, ...data.series.flatMap((series) => series.values.filter((value): value is number => value !== null)));
}

export interface ChartSeries {
  key: MessageKey;
  values: (number | null)[];
}

export interface ChartData {
  labels: string[];
  series: ChartSeries[];
}

const percentOrNull = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 10);

/** What each chart draws per bucket: counts, medians in minutes, rates in percent, CSAT average. */
export function chartData(report: OverviewReport, format: Pick<Formatters, 'bucketLabel'>) {
  const labels = report.buckets.map((bucket) => format.bucketLabel(bucket, report.bucket));
  const of = (values: (bucket: OverviewBucketFigures) => number | null) => report.buckets.map(values);
  return {
    volume: {
      labels,
      series: [
        { key: 'reports.figure.created', values: of((b) => b.created) },
        { key: 'reports.figure.resolved', values: of((b) => b.resolved) },
      ],
    },
    times: {
      labels,
      series: [
        { key: 'reports.figure.firstResponseMedian', values: of((b) => b.firstResponse.median) },
        { key: 'reports.figure.resolutionMedian', values: of((b) => b.resolution.median) },
      ],
    },
    rates: {
      labels,
      series: [
        { key: 'reports.figure.slaCompliance', values: of((b) => percentOrNull(b.sla.complianceRate)) },
        { key: 'reports.figure.deflection', values: of((b) => percentOrNull(b.selfService.deflectionRate)) },
        { key: 'reports.figure.csatSatisfied', values: of((b) => percentOrNull(b.csat.satisfiedRate)) },
      ],
    },
    csat: { labels, series: [{ key: 'reports.figure.csatAverage', values: of((b) => b.csat.average) }] },
  } satisfies Record<string, ChartData>;
}
