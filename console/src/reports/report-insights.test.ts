import { describe, expect, it } from 'vitest';
import type { BusiestHoursReport } from '../../../domain/report-insights';
import { createConsoleI18n, translatorOf } from '../i18n/create-i18n';
import { agentCells, heatLevel, heatRows, insightQueryString, weekdayLabels } from './report-insights';
import { formatters } from './report-period';

const period = { from: '2025-04-06T16:00:00.000Z', to: '2025-04-20T16:00:00.000Z', timeZone: 'Asia/Shanghai' };

describe('insightQueryString', () => {
  it("sends the user's zone, except for the busiest hours (the organisation's zone)", () => {
    expect(new URLSearchParams(insightQueryString('agents', period, { locale: 'zh-CN' })).get('timeZone')).toBe('Asia/Shanghai');
    const hours = new URLSearchParams(insightQueryString('busiest-hours', period));
    expect([hours.get('from'), hours.get('to'), hours.has('timeZone')]).toEqual([period.from, period.to, false]);
  });
});

describe('the heatmap', () => {
  it('names the weekdays from Monday in the locale', () => {
    expect(weekdayLabels('en')).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(weekdayLabels('zh-CN', 'long')[0]).toBe('星期一');
  });

  it('shades cells in four steps relative to the busiest, none for empty', () => {
    expect([0, 1, 2, 3, 4, 8].map((count) => heatLevel(count, 8))).toEqual([0, 1, 1, 2, 2, 4]);
    expect(heatLevel(0, 0)).toBe(0);
  });

  it('labels each cell with its day, hour and count, in both languages', () => {
    const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    cells[0]![9] = 2;
    cells[6]![23] = 1;
    const report: BusiestHoursReport = { ...period, cells, total: 3, max: 2 };
    const en = heatRows(report, 'en', translatorOf(createConsoleI18n('en')));
    expect(en[0]!.day).toBe('Mon');
    expect(en[0]!.cells[9]).toEqual({ hour: 9, count: 2, level: 4, label: 'Monday 09:00: 2 conversations' });
    expect(en[6]!.cells[23]!.label).toBe('Sunday 23:00: 1 conversation');
    const zh = heatRows(report, 'zh-CN', translatorOf(createConsoleI18n('zh-CN')));
    expect(zh[0]!.cells[9]!.label).toBe('星期一 09:00：2 个会话');
  });
});

describe('agentCells', () => {
  it('writes medians as durations and CSAT as the average with its count, a dash without ratings', () => {
    const t = translatorOf(createConsoleI18n('en'));
    const format = formatters('en', 'UTC', t);
    const agent = {
      userId: 'u',
      name: 'Alex Agent',
      handled: 3,
      resolved: 3,
      resolutionMedian: 110,
      firstResponses: 3,
      firstResponseMedian: 20,
      csatCount: 2,
      csatAverage: 4,
      csatSatisfiedRate: 0.5,
    };
    expect(agentCells(agent, format, t)).toEqual({ handled: '3', resolved: '3', firstResponse: '20m', resolution: '1h 50m', csat: '4.0 (2)' });
    expect(agentCells({ ...agent, csatAverage: null, csatCount: 0 }, format, t).csat).toBe('–');
  });
});
