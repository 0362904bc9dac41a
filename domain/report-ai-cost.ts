// What the AI cost (issue 20): the AI calls log (AiCall: each call's purpose, model, tokens,
// latency and cost from the price table AI_PRICES, infra/ai/prices.ts) summed per local day, per
// purpose and model, and in total, over a period [from, to) in the report's time zone. A call of a
// model the price table does not list has no cost (null, not 0): it is counted in
// `unpricedCalls`, and the sums are of the priced calls only, so a missing price is never read as
// free. api/services/report-ai-cost.ts reads the rows with SQL.
import { csvDocument, csvNumber, wordsIn, writtenIn, type CsvLanguage } from './report-overview.js';

/** One group of calls: a local day, a purpose (the call's operation) and a model. */
export interface AiCostRow {
  /** Local date (YYYY-MM-DD) in the report's zone. */
  date: string;
  /** classify, answer, rerank, verify, embed, summarize, draft, tool. */
  operation: string;
  provider: string;
  model: string;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** Sum of the priced calls' cost, in the price table's currency. */
  cost: number;
  /** Calls whose model has no price: their cost is unknown, not in `cost`. */
  unpricedCalls: number;
  averageLatencyMs: number;
}

export type AiCostFigures = Pick<AiCostRow, 'calls' | 'promptTokens' | 'completionTokens' | 'cost' | 'unpricedCalls'>;

export interface AiCostReport {
  from: string;
  to: string;
  timeZone: string;
  /** Each day that had calls, oldest first. */
  days: (AiCostFigures & { date: string })[];
  /** Each purpose and model, the costliest first. */
  purposes: (AiCostFigures & Pick<AiCostRow, 'operation' | 'provider' | 'model' | 'averageLatencyMs'>)[];
  /** Every row, day by day: the CSV's lines. */
  rows: AiCostRow[];
  total: AiCostFigures;
}

/** Costs are sums of small floats: kept to 1/1,000,000 of the currency so totals read as written. */
const money = (value: number) => Math.round(value * 1e6) / 1e6;

const empty = (): AiCostFigures => ({ calls: 0, promptTokens: 0, completionTokens: 0, cost: 0, unpricedCalls: 0 });
const add = (sum: AiCostFigures, row: AiCostFigures) => {
  sum.calls += row.calls;
  sum.promptTokens += row.promptTokens;
  sum.completionTokens += row.completionTokens;
  sum.cost = money(sum.cost + row.cost);
  sum.unpricedCalls += row.unpricedCalls;
};

/** The report from the rows of its period (any order). */
export function aiCostReport(period: { from: string; to: string; timeZone: string }, rows: readonly AiCostRow[]): AiCostReport {
  const sorted = [...rows]
    .map((row) => ({ ...row, cost: money(row.cost) }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.operation.localeCompare(b.operation) || a.model.localeCompare(b.model));
  const days = new Map<string, AiCostFigures & { date: string }>();
  const purposes = new Map<string, AiCostReport['purposes'][number] & { latencyTotal: number }>();
  const total = empty();
  for (const row of sorted) {
    const day = days.get(row.date) ?? { date: row.date, ...empty() };
    add(day, row);
    days.set(row.date, day);
    const key = `${row.operation}\u0000${row.provider}\u0000${row.model}`;
    const purpose = purposes.get(key) ?? {
      operation: row.operation,
      provider: row.provider,
      model: row.model,
      averageLatencyMs: 0,
      latencyTotal: 0,
      ...empty(),
    };
    add(purpose, row);
    purpose.latencyTotal += row.averageLatencyMs * row.calls;
    purposes.set(key, purpose);
    add(total, row);
  }
  return {
    ...period,
    days: [...days.values()],
    purposes: [...purposes.values()]
      .map(({ latencyTotal, ...purpose }) => ({ ...purpose, averageLatencyMs: purpose.calls ? Math.round(latencyTotal / purpose.calls) : 0 }))
      .sort((a, b) => b.cost - a.cost || b.calls - a.calls),
    rows: sorted,
    total,
  };
}

const columns = {
  en: ['Date', 'Purpose', 'Provider', 'Model', 'Calls', 'Prompt tokens', 'Completion tokens', 'Cost', 'Calls without a price', 'Average latency (ms)'],
  'zh-CN': ['日期', '用途', '提供方', '模型', '调用次数', '输入 token', '输出 token', '费用', '无价格的调用', '平均延迟（毫秒）'],
} as const;

/** A row per day, purpose and model, then a total row (its purpose, provider and model left empty). */
export function aiCostCsv(report: AiCostReport, language: CsvLanguage): string {
  const written = writtenIn(language.locale);
  const say = wordsIn(language);
  const figures = (row: AiCostFigures) => [row.calls, row.promptTokens, row.completionTokens, row.cost, row.unpricedCalls].map(csvNumber);
  return csvDocument([
    columns[written].map(say),
    ...report.rows.map((row) => [row.date, row.operation, row.provider, row.model, ...figures(row), csvNumber(row.averageLatencyMs)]),
    [say(written === 'zh-CN' ? '合计' : 'Total'), '', '', '', ...figures(report.total), ''],
  ]);
}
