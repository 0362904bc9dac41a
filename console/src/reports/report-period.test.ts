import { describe, expect, it } from 'vitest';
import type { OverviewReport } from '../../../domain/report-overview';
import { emptyFigures } from '../../../domain/report-overview';
import type { MessageKey } from '../i18n/messages-en';
import { chartData, chartMax, defaultChoice, durationStep, formatters, overviewRequest, totalFigures } from './report-period';

// 2026-11-24 09:30 in Shanghai.
const now = new Date('2026-11-24T01:30:00Z');
const t = (key: MessageKey, params: Record<string, string | number> = {}) => `${key}${JSON.stringify(params)}`;

describe('overviewRequest', () => {
  it('covers today and the days before from local midnight for "last 7 days", up to now', () => {
    expect(overviewRequest({ ...defaultChoice(now, 'Asia/Shanghai'), preset: 'last7' }, now, 'Asia/Shanghai')).toEqual({
      from: '2026-11-17T16:00:00.000Z',
      to: '2026-11-24T01:30:00.000Z',
      bucket: 'day',
      timeZone: 'Asia/Shanghai',
    });
  });

  it('runs a custom period from the first local midnight to the one after the last day', () => {
    const request = overviewRequest({ preset: 'custom', fromDate: '2026-03-28', toDate: '2026-03-30', bucket: 'week' }, now, 'Europe/Berlin');
    // Berlin moves to summer time on 2026-03-29.
    expect(request).toEqual({ from: '2026-03-27T23:00:00.000Z', to: '2026-03-30T22:00:00.000Z', bucket: 'week', timeZone: 'Europe/Berlin' });
  });

  it('refuses reversed, missing or over-long custom periods', () => {
    const custom = (fromDate: string, toDate: string) => overviewRequest({ preset: 'custom', fromDate, toDate, bucket: 'day' }, now, 'UTC');
    expect(custom('2026-03-02', '2026-03-01')).toBeNull();
    expect(custom('', '2026-03-01')).toBeNull();
    expect(custom('2025-01-01', '2026-01-01')).not.toBeNull(); // 366 days
    expect(custom('2025-01-01', '2026-01-02')).toBeNull();
    // A single day is a period.
    expect(custom('2026-03-01', '2026-03-01')).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z', bucket: 'day', timeZone: 'UTC' });
  });

  it('starts the custom dates as the last 30 days', () => {
    expect(defaultChoice(now, 'Asia/Shanghai')).toEqual({ preset: 'last30', fromDate: '2026-10-26', toDate: '2026-11-24', bucket: 'day' });
  });
});

describe('formatters', () => {
  const en = formatters('en-US', 'Asia/Shanghai', t);
  const zh = formatters('zh-CN', 'Asia/Shanghai', t);

  it('writes counts, percentages and scores in the locale, a dash for no value', () => {
    expect(en.count(12345)).toBe('12,345');
    expect(en.percent(2 / 3)).toBe('66.7%');
    expect(zh.percent(0.5)).toBe('50%');
    expect(en.percent(null)).toBe('–');
    expect(en.score(3.25)).toBe('3.25');
    expect(en.score(4)).toBe('4.0');
  });

  it('writes minutes as the duration messages', () => {
    expect(en.minutes(0.5)).toBe('duration.underMinute{}');
    expect(en.minutes(45)).toBe('duration.minutes{"m":45}');
    expect(en.minutes(102)).toBe('duration.hours{"h":1,"m":"42"}');
    expect(en.minutes(1500)).toBe('duration.days{"d":"1","h":1}');
    expect(en.minutes(null)).toBe('–');
  });

  it('writes the ticks of a chart axis under a minute apart (live-chat medians are seconds)', () => {
    // Chart.js ticks for medians of 6-30 seconds: each must read differently, not all "less than a minute".
    const ticks = [0, 0.1, 0.2, 0.3, 0.4, 0.5].map((tick) => en.axisMinutes(tick));
    expect(ticks).toEqual([
      '0',
      'duration.seconds{"s":6}',
      'duration.seconds{"s":12}',
      'duration.seconds{"s":18}',
      'duration.seconds{"s":24}',
      'duration.seconds{"s":30}',
    ]);
    expect(en.axisMinutes(1.5)).toBe('duration.minutesSeconds{"m":1,"s":30}');
    expect(en.axisMinutes(2)).toBe('duration.minutes{"m":2}');
    expect(en.axisMinutes(90)).toBe('duration.hours{"h":1,"m":"30"}');
  });

  it('steps an axis of minutes by whole durations: seconds, minutes, hours or days, at most six steps', () => {
    expect(durationStep(0)).toBeUndefined();
    expect(durationStep(0.05)).toBe(1 / 60); // 3 s: a step of 1 s
    expect(durationStep(0.68)).toBe(10 / 60); // 41 s: 10 s
    expect(durationStep(4)).toBe(1);
    expect(durationStep(45)).toBe(10);
    expect(durationStep(300)).toBe(60);
    expect(durationStep(3 * 1440)).toBe(720);
    expect(durationStep(100 * 1440)).toBe(17 * 1440);
    expect(
      chartMax({
        labels: ['a', 'b'],
        series: [
          { key: 'reports.figure.created', values: [0.2, null] },
          { key: 'reports.figure.resolved', values: [null, 0.7] },
        ],
      }),
    ).toBe(0.7);
  });

  it("labels a bucket by its first day in the report's zone", () => {
    expect(en.bucketLabel({ start: '2025-03-02T16:00:00.000Z' }, 'day')).toBe('Mar 3');
    expect(zh.bucketLabel({ start: '2025-03-02T16:00:00.000Z' }, 'day')).toBe('3月3日');
    expect(en.bucketLabel({ start: '2025-03-02T16:00:00.000Z' }, 'week')).toBe('reports.weekOf{"day":"Mar 3"}');
  });
});

describe('chartData', () => {
  it('draws rates as percentages and leaves gaps where a bucket has no value', () => {
    const bucket = (date: string, start: string, rate: number | null) => ({
      ...emptyFigures(),
      date,
      start,
      sla: { measured: 3, breached: 1, complianceRate: rate },
    });
    const report: OverviewReport = {
      from: '2025-03-02T16:00:00.000Z',
      to: '2025-03-04T16:00:00.000Z',
      bucket: 'day',
      timeZone: 'Asia/Shanghai',
      buckets: [bucket('2025-03-03', '2025-03-02T16:00:00.000Z', 2 / 3), bucket('2025-03-04', '2025-03-03T16:00:00.000Z', null)],
      total: emptyFigures(),
    };
    const charts = chartData(report, formatters('en-US', 'Asia/Shanghai', t));
    expect(charts.rates.labels).toEqual(['Mar 3', 'Mar 4']);
    expect(charts.rates.series[0]).toEqual({ key: 'reports.figure.slaCompliance', values: [66.7, null] });
    expect(charts.volume.series.map((series) => series.key)).toEqual(['reports.figure.created', 'reports.figure.resolved']);
  });
});

describe('totalFigures', () => {
  it('gives each headline figure its value and what it rests on, in the page order', () => {
    const total = {
      ...emptyFigures(),
      created: 1200,
      resolution: { median: 90, p90: null, count: 4 },
      csat: { count: 3, average: 4.5, satisfied: 2, satisfiedRate: 2 / 3 },
    };
    const figures = totalFigures(total, formatters('en-US', 'Asia/Shanghai', t), t);
    expect(figures.map((figure) => figure.name)).toEqual(['created', 'resolved', 'firstResponse', 'resolution', 'sla', 'deflection', 'csat']);
    expect(figures[0]).toEqual({ label: 'reports.figure.created', name: 'created', value: '1,200' });
    expect(figures[3]).toMatchObject({ value: 'duration.hours{"h":1,"m":"30"}', detail: 'reports.p90{"value":"–"}' });
    expect(figures[6]).toMatchObject({ value: '4.5', detail: 'reports.ratings{"count":"3"} · 66.7%' });
  });
});
