import { describe, expect, it } from 'vitest';
import {
  bucketStarts,
  emptyFigures,
  overviewCsv,
  overviewCsvName,
  overviewPeriod,
  overviewQuerySchema,
  overviewReport,
  type CsvLocale,
  type OverviewPeriod,
} from './report-overview.js';

const period = (from: string, to: string, bucket: 'day' | 'week', timeZone: string): OverviewPeriod => ({
  from: new Date(from),
  to: new Date(to),
  bucket,
  timeZone,
});
const noRows = { created: [], resolved: [], firstResponse: [], selfService: [], csat: [] };
/** A stand-in for OpenCC that marks what it converted. */
const language = (locale: CsvLocale) => ({ locale, toTraditional: (text: string) => `‹${text}›` });

describe('overview query', () => {
  it('refuses an empty or reversed period, one over 366 days, and an unknown time zone', () => {
    const issues = (query: Record<string, string>) => overviewQuerySchema.safeParse(query).error?.issues.map((issue) => issue.path.join('.'));
    expect(issues({ from: '2025-03-02T00:00:00Z', to: '2025-03-01T00:00:00Z' })).toEqual(['from']);
    expect(issues({ from: '2025-03-01T00:00:00Z', to: '2025-03-01T00:00:00Z' })).toEqual(['from']);
    expect(issues({ from: '2024-01-01T00:00:00Z', to: '2025-01-01T00:00:01Z' })).toEqual(['to']);
    expect(issues({ timeZone: 'Mars/Olympus' })).toEqual(['timeZone']);
    expect(issues({ bucket: 'month' })).toEqual(['bucket']);
    expect(issues({ from: '2024-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z', timeZone: 'Asia/Shanghai', bucket: 'week' })).toBeUndefined();
  });

  it('defaults to the last 30 days up to now, in the given default zone, named canonically', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    const defaults = overviewPeriod(overviewQuerySchema.parse({}), now, 'asia/shanghai');
    expect(defaults).toEqual({ from: new Date('2026-10-25T12:00:00Z'), to: now, bucket: 'day', timeZone: 'Asia/Shanghai' });
    const fromOnly = overviewPeriod(overviewQuerySchema.parse({ from: '2026-11-01T00:00:00Z' }), now, 'UTC');
    expect(fromOnly.to).toEqual(now);
  });
});

describe('bucketStarts', () => {
  it('starts each day at local midnight, across a DST change', () => {
    // Europe/Berlin moved to summer time on 2025-03-30: that day has 23 hours.
    const starts = bucketStarts(period('2025-03-29T12:00:00Z', '2025-04-01T00:00:00Z', 'day', 'Europe/Berlin'));
    expect(starts.map((start) => start.toISOString())).toEqual([
      '2025-03-28T23:00:00.000Z',
      '2025-03-29T23:00:00.000Z',
      '2025-03-30T22:00:00.000Z',
      '2025-03-31T22:00:00.000Z',
    ]);
  });

  it('starts weeks on Mondays, as PostgreSQL date_trunc does', () => {
    const starts = bucketStarts(period('2025-03-05T00:00:00+08:00', '2025-03-17T00:00:00+08:00', 'week', 'Asia/Shanghai'));
    expect(starts.map((start) => start.toISOString())).toEqual(['2025-03-02T16:00:00.000Z', '2025-03-09T16:00:00.000Z']);
  });
});

describe('overviewReport', () => {
  it('fills buckets without rows with zeros and nulls, and derives the rates', () => {
    const p = period('2025-03-03T00:00:00Z', '2025-03-05T00:00:00Z', 'day', 'UTC');
    const report = overviewReport(p, {
      ...noRows,
      resolved: [
        { bucket: new Date('2025-03-03T00:00:00Z'), count: 2, median: 10.004, p90: 12.3333333, slaMeasured: 2, slaBreached: 1 },
        { bucket: null, count: 2, median: 10.004, p90: 12.3333333, slaMeasured: 2, slaBreached: 1 },
      ],
      csat: [{ bucket: null, count: 4, average: 3.25, satisfied: 3 }],
    });
    expect(report.buckets.map((bucket) => bucket.date)).toEqual(['2025-03-03', '2025-03-04']);
    expect(report.buckets[0]).toMatchObject({ resolved: 2, resolution: { count: 2, median: 10, p90: 12.33 }, sla: { complianceRate: 0.5 } });
    const { start: _start, date: _date, ...second } = report.buckets[1]!;
    expect(second).toEqual(emptyFigures());
    expect(report.total.csat).toEqual({ count: 4, average: 3.25, satisfied: 3, satisfiedRate: 0.75 });
    expect(report.total.selfService.deflectionRate).toBeNull();
  });
});

describe('overviewCsv', () => {
  const report = overviewReport(period('2025-03-03T00:00:00+08:00', '2025-03-05T00:00:00+08:00', 'day', 'Asia/Shanghai'), {
    ...noRows,
    created: [
      { bucket: new Date('2025-03-02T16:00:00Z'), count: 3 },
      { bucket: null, count: 3 },
    ],
  });

  it('starts with a UTF-8 BOM and ends rows with CRLF, a total row last', () => {
    const csv = overviewCsv(report, language('zh-CN'));
    expect(csv.startsWith('\uFEFF开始日期,新建会话,')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(5); // header, 2 days, total, and the final line break
    expect(lines[1]).toBe('2025-03-03,3,0,,,0,,,0,0,,0,0,,0,,');
    expect(lines[3]!.startsWith('合计,3,')).toBe(true);
    expect(overviewCsv(report, language('en')).slice(1).split('\r\n')[0]!.split(',')[0]).toBe('Period start');
  });

  it('writes Traditional headings and labels as the Simplified converted, the figures as they are', () => {
    const lines = overviewCsv(report, language('zh-TW')).slice(1).split('\r\n');
    expect(lines[0]!.startsWith('‹开始日期›,‹新建会话›,')).toBe(true);
    expect(lines[1]).toBe('2025-03-03,3,0,,,0,,,0,0,,0,0,,0,,');
    expect(lines[3]!.startsWith('‹合计›,3,')).toBe(true);
  });

  it('names the file after the first and last local day', () => {
    expect(overviewCsvName(report)).toBe('seamless-overview-2025-03-03-2025-03-04.csv');
  });
});
