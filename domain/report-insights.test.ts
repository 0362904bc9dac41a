import { describe, expect, it } from 'vitest';
import { agentsCsv, agentsReport, busiestHoursReport, insightsQuerySchema, resolutionReport } from './report-insights.js';

const period = { from: '2025-04-06T16:00:00.000Z', to: '2025-04-20T16:00:00.000Z', timeZone: 'Asia/Shanghai' };

describe('insights query', () => {
  it('takes a period, a zone and a CSV language, nothing else', () => {
    const issues = (query: Record<string, string>) => insightsQuerySchema.safeParse(query).error?.issues.map((issue) => issue.path.join('.'));
    expect(issues({ from: '2025-03-02T00:00:00Z', to: '2025-03-01T00:00:00Z' })).toEqual(['from']);
    expect(issues({ bucket: 'day' })).toEqual(['']);
    expect(issues({ locale: 'fr' })).toEqual(['locale']);
    expect(issues({ timeZone: 'Asia/Shanghai', locale: 'zh-CN' })).toBeUndefined();
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
    expect(agentsCsv(report).split('\r\n')[1]).toBe('"Ada, ""the lead""",2,0,,0,,4,3.5,0.75');
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
  });
});
