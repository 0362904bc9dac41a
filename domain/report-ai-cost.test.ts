import { describe, expect, it } from 'vitest';
import { aiCostCsv, aiCostReport, type AiCostRow } from './report-ai-cost.js';
import type { CsvLocale } from './report-overview.js';

const period = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z', timeZone: 'Asia/Shanghai' };
/** A stand-in for OpenCC that marks what it converted. */
const language = (locale: CsvLocale) => ({ locale, toTraditional: (text: string) => `‹${text}›` });
const row = (date: string, operation: string, model: string, calls: number, cost: number, unpricedCalls = 0): AiCostRow => ({
  date,
  operation,
  provider: 'openai',
  model,
  calls,
  promptTokens: calls * 100,
  completionTokens: calls * 10,
  cost,
  unpricedCalls,
  averageLatencyMs: 200,
});

describe('the AI cost report', () => {
  const report = aiCostReport(period, [
    row('2026-03-02', 'answer', 'gpt-4o-mini', 2, 0.3),
    row('2026-03-01', 'answer', 'gpt-4o-mini', 1, 0.1),
    row('2026-03-01', 'classify', 'local-llama', 3, 0, 3),
  ]);

  it('sums per day, per purpose and model (costliest first) and in total, counting unpriced calls apart', () => {
    expect(report.days).toEqual([
      { date: '2026-03-01', calls: 4, promptTokens: 400, completionTokens: 40, cost: 0.1, unpricedCalls: 3 },
      { date: '2026-03-02', calls: 2, promptTokens: 200, completionTokens: 20, cost: 0.3, unpricedCalls: 0 },
    ]);
    expect(report.purposes.map((purpose) => [purpose.operation, purpose.model, purpose.calls, purpose.cost, purpose.unpricedCalls])).toEqual([
      ['answer', 'gpt-4o-mini', 3, 0.4, 0],
      ['classify', 'local-llama', 3, 0, 3],
    ]);
    expect(report.total).toEqual({ calls: 6, promptTokens: 600, completionTokens: 60, cost: 0.4, unpricedCalls: 3 });
  });

  it('writes a row per day, purpose and model, then the total, in the asked language', () => {
    const lines = aiCostCsv(report, language('zh-CN')).replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe('日期,用途,提供方,模型,调用次数,输入 token,输出 token,费用,无价格的调用,平均延迟（毫秒）');
    expect(lines.slice(1)).toEqual([
      '2026-03-01,answer,openai,gpt-4o-mini,1,100,10,0.1,0,200',
      '2026-03-01,classify,openai,local-llama,3,300,30,0,3,200',
      '2026-03-02,answer,openai,gpt-4o-mini,2,200,20,0.3,0,200',
      '合计,,,,6,600,60,0.4,3,',
    ]);
    const traditional = aiCostCsv(report, language('zh-TW')).replace('\uFEFF', '').trim().split('\r\n');
    expect(traditional[0]!.split(',').slice(0, 2)).toEqual(['‹日期›', '‹用途›']);
    expect(traditional.at(-1)).toBe('‹合计›,,,,6,600,60,0.4,3,');
  });
});
