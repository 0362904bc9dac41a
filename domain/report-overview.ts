// The overview report: volume, response and resolution times, SLA compliance, bot deflection and
// CSAT over a period, per day or week in a time zone, and in total. Here are its query, its
// buckets, its shape and its CSV; api/services/report-overview.ts reads the figures with SQL.
// Definitions (each figure is counted in the bucket where its moment falls):
// - created: conversations created in the bucket.
// - resolved: conversations resolved in the bucket (`resolvedAt`; a reopened one counts again
//   only when resolved again, at its last resolution).
// - firstResponse: minutes from a conversation's creation to the first public reply by an agent,
//   counted where that reply falls; wall-clock minutes, business hours ignored.
// - resolution: minutes from creation to resolution of the conversations resolved in the bucket.
// - sla: of the conversations resolved in the bucket that were measured against an SLA policy,
//   the share never breached (no `sla.breached` event, state not `breached`).
// - selfService: the bot's answers (`bot.answered`) and its resolutions (`bot.helpful` +
//   `bot.assumed_resolved`), the events of the self-service report (domain/self-service.ts);
//   deflectionRate = resolutions / answers.
// - csat: each conversation's latest rating (domain/csat.ts), counted where it was given:
//   how many, the average score, the share of 4-5.
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

export const reportBuckets = ['day', 'week'] as const;
export type ReportBucket = (typeof reportBuckets)[number];

const dayMs = 86_400_000;
export const maxReportDays = 366;
const defaultDays = 30;

const instant = z.iso.datetime({ offset: true });

/** The languages of a report CSV's headings: the console's. */
export const csvLocales = ['en', 'zh-CN', 'zh-TW'] as const;
export type CsvLocale = (typeof csvLocales)[number];

/** The query fields every period report takes (the overview adds its bucket). */
export const reportQueryFields = {
  from: instant.optional(),
  to: instant.optional(),
  timeZone: z
    .string()
    .max(100)
    .refine((zone) => IANAZone.isValidZone(zone), 'must be a valid IANA time zone, e.g. Asia/Shanghai')
    .optional(),
  /** Column names of the CSV. */
  locale: z.enum(csvLocales).default('en'),
};

/** `from` and `to` as instants: `from` before `to`, at most `maxReportDays` apart. */
export function checkReportPeriod<T extends { from?: string | undefined; to?: string | undefined }>(input: T, context: z.RefinementCtx) {
  const to = input.to ? new Date(input.to) : null;
  const from = input.from ? new Date(input.from) : null;
  if (from && to && from >= to) context.addIssue({ code: 'custom', path: ['from'], message: '"from" must be before "to"' });
  if (from && to && to.getTime() - from.getTime() > maxReportDays * dayMs) {
    context.addIssue({ code: 'custom', path: ['to'], message: `the period may be at most ${maxReportDays} days` });
  }
  return { ...input, from, to };
}

export const overviewQuerySchema = z.strictObject({ ...reportQueryFields, bucket: z.enum(reportBuckets).default('day') }).transform(checkReportPeriod);
export type OverviewQueryInput = z.infer<typeof overviewQuerySchema>;

export interface OverviewPeriod extends ReportPeriod {
  bucket: ReportBucket;
}

/** A report's period: two instants and the time zone its days are read in. */
export interface ReportPeriod {
  from: Date;
  to: Date;
  /** Canonical IANA name. */
  timeZone: string;
}

/** The period asked for; missing ends default to the last 30 days up to now, the zone to `defaultZone`. */
export function reportPeriod(input: { from: Date | null; to: Date | null; timeZone?: string | undefined }, now: Date, defaultZone: string): ReportPeriod {
  const to = input.to ?? (input.from ? new Date(Math.min(now.getTime(), input.from.getTime() + maxReportDays * dayMs)) : now);
  const from = input.from ?? new Date(to.getTime() - defaultDays * dayMs);
  return { from, to, timeZone: canonicalZone(input.timeZone ?? defaultZone) };
}

export function overviewPeriod(input: OverviewQueryInput, now: Date, defaultZone: string): OverviewPeriod {
  return { ...reportPeriod(input, now, defaultZone), bucket: input.bucket };
}

/** 'asia/shanghai' → 'Asia/Shanghai' (Intl's spelling, which PostgreSQL knows too); UTC for an unknown zone. */
function canonicalZone(zone: string): string {
  if (!IANAZone.isValidZone(zone)) return 'UTC';
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

/** Where each bucket starts: local midnight of each day, or of each Monday (ISO weeks, as PostgreSQL's date_trunc). */
export function bucketStarts(period: OverviewPeriod): Date[] {
  const unit = period.bucket === 'week' ? 'week' : 'day';
  const starts: Date[] = [];
  let at = DateTime.fromJSDate(period.from, { zone: period.timeZone }).startOf(unit);
  // DST: luxon adds calendar days, so every bucket starts at local midnight.
  while (at.toMillis() < period.to.getTime()) {
    starts.push(at.toJSDate());
    at = at.plus(unit === 'week' ? { weeks: 1 } : { days: 1 });
  }
  return starts;
}

/** Distribution of durations in minutes; null without any. */
export interface DurationFigures {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface OverviewFigures {
  created: number;
  resolved: number;
  firstResponse: DurationFigures;
  resolution: DurationFigures;
  sla: { measured: number; breached: number; complianceRate: number | null };
  selfService: { answered: number; resolved: number; deflectionRate: number | null };
  csat: { count: number; average: number | null; satisfied: number; satisfiedRate: number | null };
}

export interface OverviewBucketFigures extends OverviewFigures {
  /** The bucket's first instant (local midnight). */
  start: string;
  /** Its first day as a local date, YYYY-MM-DD. */
  date: string;
}

export interface OverviewReport {
  from: string;
  to: string;
  bucket: ReportBucket;
  timeZone: string;
  buckets: OverviewBucketFigures[];
  total: OverviewFigures;
}

/** One row of a figure's query: a bucket's start, or null for the whole period. */
export interface CountRow {
  bucket: Date | null;
}

export const emptyFigures = (): OverviewFigures => ({
  created: 0,
  resolved: 0,
  firstResponse: { count: 0, median: null, p90: null },
  resolution: { count: 0, median: null, p90: null },
  sla: { measured: 0, breached: 0, complianceRate: null },
  selfService: { answered: 0, resolved: 0, deflectionRate: null },
  csat: { count: 0, average: null, satisfied: 0, satisfiedRate: null },
});

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);
/** Minutes to 1/100: durations come from millisecond timestamps, the noise below is meaningless. */
export const roundMinutes = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

export interface FigureRows {
  created: (CountRow & { count: number })[];
  resolved: (CountRow & { count: number; median: number | null; p90: number | null; slaMeasured: number; slaBreached: number })[];
  firstResponse: (CountRow & { count: number; median: number | null; p90: number | null })[];
  selfService: (CountRow & { answered: number; resolved: number })[];
  csat: (CountRow & { count: number; average: number | null; satisfied: number })[];
}

/** The report from each figure's rows (one per bucket with data, one with bucket null for the total). */
export function overviewReport(period: OverviewPeriod, rows: FigureRows): OverviewReport {
  const starts = bucketStarts(period);
  const figures = new Map<number | null, OverviewFigures>([[null, emptyFigures()], ...starts.map((start) => [start.getTime(), emptyFigures()] as const)]);
  const at = (row: CountRow) => figures.get(row.bucket === null ? null : row.bucket.getTime());
  for (const row of rows.created) {
    const f = at(row);
    if (f) f.created = row.count;
  }
  for (const row of rows.resolved) {
    const f = at(row);
    if (!f) continue;
    f.resolved = row.count;
    f.resolution = { count: row.count, median: roundMinutes(row.median), p90: roundMinutes(row.p90) };
    f.sla = { measured: row.slaMeasured, breached: row.slaBreached, complianceRate: share(row.slaMeasured - row.slaBreached, row.slaMeasured) };
  }
  for (const row of rows.firstResponse) {
    const f = at(row);
    if (f) f.firstResponse = { count: row.count, median: roundMinutes(row.median), p90: roundMinutes(row.p90) };
  }
  for (const row of rows.selfService) {
    const f = at(row);
    if (f) f.selfService = { answered: row.answered, resolved: row.resolved, deflectionRate: share(row.resolved, row.answered) };
  }
  for (const row of rows.csat) {
    const f = at(row);
    if (f) f.csat = { count: row.count, average: row.average, satisfied: row.satisfied, satisfiedRate: share(row.satisfied, row.count) };
  }
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    bucket: period.bucket,
    timeZone: period.timeZone,
    buckets: starts.map((start) => ({
      start: start.toISOString(),
      date: DateTime.fromJSDate(start, { zone: period.timeZone }).toISODate() ?? '',
      ...figures.get(start.getTime())!,
    })),
    total: figures.get(null)!,
  };
}

// ---- CSV ----

/** The CSV's columns in order: [key, English header, Chinese header, value]. */
const csvColumns: readonly [string, string, string, (f: OverviewFigures) => number | null][] = [
  ['created', 'Conversations created', '新建会话', (f) => f.created],
  ['resolved', 'Conversations resolved', '已解决会话', (f) => f.resolved],
  ['firstResponseMedian', 'First response median (min)', '首次响应中位数（分钟）', (f) => f.firstResponse.median],
  ['firstResponseP90', 'First response p90 (min)', '首次响应 P90（分钟）', (f) => f.firstResponse.p90],
  ['firstResponseCount', 'First responses', '首次响应数', (f) => f.firstResponse.count],
  ['resolutionMedian', 'Resolution median (min)', '解决时长中位数（分钟）', (f) => f.resolution.median],
  ['resolutionP90', 'Resolution p90 (min)', '解决时长 P90（分钟）', (f) => f.resolution.p90],
  ['slaMeasured', 'Resolved with an SLA', '有 SLA 的已解决会话', (f) => f.sla.measured],
  ['slaBreached', 'SLA breached', 'SLA 违约', (f) => f.sla.breached],
  ['slaComplianceRate', 'SLA compliance', 'SLA 达成率', (f) => f.sla.complianceRate],
  ['botAnswered', 'Bot answers', '机器人回答数', (f) => f.selfService.answered],
  ['botResolved', 'Resolved by the bot', '机器人解决数', (f) => f.selfService.resolved],
  ['deflectionRate', 'Deflection rate', '自助解决率', (f) => f.selfService.deflectionRate],
  ['csatCount', 'CSAT ratings', 'CSAT 评分数', (f) => f.csat.count],
  ['csatAverage', 'CSAT average', 'CSAT 平均分', (f) => f.csat.average],
  ['csatSatisfiedRate', 'CSAT satisfied (4-5)', 'CSAT 满意率（4-5 分）', (f) => f.csat.satisfiedRate],
];

/** Quotes a field when it holds a comma, quote or line break (RFC 4180). */
const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * Rows as a CSV document (RFC 4180, CRLF line ends). It starts with a UTF-8 byte order mark:
 * without one Excel reads UTF-8 as the system's legacy code page and shows Chinese as mojibake.
 */
export const csvDocument = (rows: readonly (readonly string[])[]) => `\uFEFF${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;

/** A number as the JSON has it, empty for null. */
export const csvNumber = (value: number | null) => String(value ?? '');

/**
 * A CSV's language: its locale, and what writes Traditional Chinese. A CSV's own words (headings,
 * labels, "Total") are written in English and Simplified Chinese; Traditional is the Simplified
 * converted by OpenCC, as the console's zh-TW table is. The converter (infra/chinese-text.ts) and its
 * dictionary stay out of domain/: the API passes it. Data (agents' names, models) is written as stored.
 */
export interface CsvLanguage {
  locale: CsvLocale;
  toTraditional: (simplified: string) => string;
}

/** The language a CSV's words are written in before any conversion. */
export const writtenIn = (locale: CsvLocale): 'en' | 'zh-CN' => (locale === 'en' ? 'en' : 'zh-CN');

/** Writes a CSV's own words (never its data) in the script of its locale. */
export const wordsIn =
  ({ locale, toTraditional }: CsvLanguage) =>
  (text: string) =>
    locale === 'zh-TW' ? toTraditional(text) : text;

/**
 * The report as CSV (csvDocument): a header row, one row per bucket (its local date), then a
 * total row. Numbers are written as in the JSON (rates 0-1, minutes), empty where there is no value.
 */
export function overviewCsv(report: OverviewReport, language: CsvLanguage): string {
  const zh = writtenIn(language.locale) === 'zh-CN';
  const say = wordsIn(language);
  const header = [zh ? '开始日期' : 'Period start', ...csvColumns.map(([, en, cn]) => (zh ? cn : en))].map(say);
  const line = (first: string, figures: OverviewFigures) => [first, ...csvColumns.map(([, , , value]) => csvNumber(value(figures)))];
  return csvDocument([header, ...report.buckets.map((bucket) => line(bucket.date, bucket)), line(say(zh ? '合计' : 'Total'), report.total)]);
}

/** A report's CSV file name: `seamless-<kind>-<first day>-<last day>.csv` in the report's zone. */
export function reportCsvName(kind: string, report: { from: string; to: string; timeZone: string }): string {
  const day = (iso: string, offsetMs = 0) => DateTime.fromMillis(Date.parse(iso) - offsetMs, { zone: report.timeZone }).toISODate() ?? '';
  return `seamless-${kind}-${day(report.from)}-${day(report.to, 1)}.csv`;
}

export const overviewCsvName = (report: OverviewReport) => reportCsvName('overview', report);
