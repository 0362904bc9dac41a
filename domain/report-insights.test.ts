import { describe, expect, it } from 'vitest';
import { agentsCsv, agentsReport, busiestHoursCsv, busiestHoursReport, insightsQuerySchema, resolutionCsv, resolutionReport } from './report-insights.js';
import type { CsvLocale } from './report-overview.js';

const period = { from: '2025-04-06T16:00:00.000Z', to: '2025-04-20T16:00:00.000Z', timeZone: 'Asia/Shanghai' };
/** A stand-in for OpenCC that marks what it converted. */
const language = (locale: CsvLocale) => ({ locale, toTraditional: (text: string) => `‹${text}›` });

describe('insights query', () => {
  it('takes a period, a zone and a CSV language, nothing else', () => {
    const issues = (query: Record<string, string>) => insightsQuerySchema.safeParse(query).error?.issues.map((issue) => issue.path.join('.'));
    expect(issues({ from: '2025-03-02T00:00:00Z', to: '2025-03-01T00:00:00Z' })).toEqual(['from']);
    expect(issues({ bucket: 'day' })).toEqual(['']);
    expect(issues({ locale: 'fr' })).toEqual(['locale']);
    expect(issues({ timeZone: 'Asia/Shanghai', locale: 'zh-CN' })).toBeUndefined();
    expect(issues({ locale: 'zh-TW' })).toBeUndefined();
    expect(issues({ locale: 'zh-HK' })).toEqual(['locale']);
  });
});

describe('resolutionReport', () => {
  it('has no rate without a base', () => {
    const report = resolutionReport(period, { resolved: 0, personHandled: 0, firstContact: 0, botAnswered: 0, aiResolved: 0 });
    expect([report.firstContactRate, report.aiResolutionRate, report.aiResolutionRateOfAnswered]).toEqual([null, null, null]);
  });
});

describe('agentsReport', () => {
  it('merges the rows per person, sorted by name, and rounds the medians', () => {
    const report = agentsReport(
      period,
      {
        handled: [{ userId: 'b', count: 2 }],
        resolved: [{ userId: 'a', count: 1, median: 12.3456 }],
        firstResponse: [],
        csat: [{ userId: 'b', count: 4, average: 3.5, satisfied: 3 }],
      },
      new Map([
        ['a', 'Zoë'],
        ['b', 'Ada, "the lead"'],
      ]),
    );
    expect(report.agents.map((agent) => [agent.name, agent.handled, agent.resolved, agent.resolutionMedian, agent.csatSatisfiedRate])).toEqual([
      ['Ada, "the lead"', 2, 0, null, 0.75],
      ['Zoë', 0, 1, 12.35, null],
    ]);
    // RFC 4180: a field with a comma or quote is quoted, its quotes doubled; empty for no value.
    expect(agentsCsv(report, language('en')).split('\r\n')[1]).toBe('"Ada, ""the lead""",2,0,,0,,4,3.5,0.75');
  });

  it('converts the headings of a Traditional CSV, never the names', () => {
    const report = agentsReport(period, { handled: [{ userId: 'a', count: 1 }], resolved: [], firstResponse: [], csat: [] }, new Map([['a', '张伟']]));
    const [header, row] = agentsCsv(report, language('zh-TW')).slice(1).split('\r\n');
    expect(header!.split(',').slice(0, 2)).toEqual(['‹客服›', '‹处理会话›']);
    expect(row).toBe('张伟,1,0,,0,,0,,');
  });
});

describe('busiestHoursReport', () => {
  it('puts each count at its weekday (Monday first) and hour, with the total and the largest cell', () => {
    const report = busiestHoursReport(period, [
      { weekday: 1, hour: 0, count: 3 },
      { weekday: 7, hour: 23, count: 5 },
    ]);
    expect(report.cells).toHaveLength(7);
    expect(report.cells[0]![0]).toBe(3);
    expect(report.cells[6]![23]).toBe(5);
    expect([report.total, report.max]).toEqual([8, 5]);
    expect(busiestHoursReport(period, []).max).toBe(0);
    const rows = busiestHoursCsv(report, language('zh-TW')).slice(1).split('\r\n');
    expect(rows[0]!.startsWith('‹星期›,00:00,')).toBe(true);
    expect(rows[1]!.startsWith('‹星期一›,3,')).toBe(true);
  });
});

describe('resolutionCsv', () => {
  it('labels each rate in the asked language', () => {
    const report = resolutionReport(period, { resolved: 4, personHandled: 2, firstContact: 1, botAnswered: 2, aiResolved: 1 });
    const rows = resolutionCsv(report, language('zh-TW')).slice(1).split('\r\n');
    expect(rows[0]).toBe('‹指标›,‹数量›,‹基数›,‹比率›');
    expect(rows[1]).toBe('‹首次联系解决率（有人工回复的会话）›,1,2,0.5');
    expect(resolutionCsv(report, language('en')).slice(1).split('\r\n')[1]).toBe('First-contact resolution (of conversations a person replied to),1,2,0.5');
  });
});
