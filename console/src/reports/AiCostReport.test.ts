// @vitest-environment happy-dom
// The AI cost card with the API replaced: each day, the total, each purpose and model (named in the
// page's language), the calls without a price apart, and the CSV asked for in that language.
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { AiCostReport } from '../../../domain/report-ai-cost';
import { i18n, setLocale } from '../i18n/i18n';
import AiCostReportCard from './AiCostReport.vue';

const period = { from: '2026-04-01T00:00:00.000Z', to: '2026-04-03T00:00:00.000Z', timeZone: 'Asia/Shanghai' };
const answer = {
  operation: 'answer',
  provider: 'openai',
  model: 'gpt-4o-mini',
  calls: 2,
  promptTokens: 2000,
  completionTokens: 200,
  cost: 0.002,
  unpricedCalls: 0,
  averageLatencyMs: 300,
};
const tool = {
  operation: 'tool',
  provider: 'openai',
  model: 'house-model',
  calls: 1,
  promptTokens: 1000,
  completionTokens: 100,
  cost: 0,
  unpricedCalls: 1,
  averageLatencyMs: 300,
};
const report: AiCostReport = {
  ...period,
  days: [{ date: '2026-04-02', calls: 3, promptTokens: 3000, completionTokens: 300, cost: 0.002, unpricedCalls: 1 }],
  purposes: [answer, tool],
  rows: [
    { date: '2026-04-02', ...answer },
    { date: '2026-04-02', ...tool },
  ],
  total: { calls: 3, promptTokens: 3000, completionTokens: 300, cost: 0.002, unpricedCalls: 1 },
};
const aiCost = vi.fn(async () => report);
const aiCostCsv = vi.fn(async () => ({ blob: new Blob(['x']), fileName: 'seamless-ai-cost.csv' }));
vi.mock('./report-api', () => ({
  reportApi: { aiCost: (...args: unknown[]) => aiCost(...(args as [])), aiCostCsv: (...args: unknown[]) => aiCostCsv(...(args as [])) },
  saveFile: () => undefined,
}));

describe('the AI cost card', () => {
  it('shows each day, the total and each purpose and model, with the unpriced calls apart, and downloads the CSV', async () => {
    setLocale('zh-CN');
    const card = mount(AiCostReportCard, { props: { period }, global: { plugins: [i18n] } });
    await flushPromises();
    expect(aiCost).toHaveBeenCalledWith(period, expect.anything());
    const cells = (testId: string) => card.findAll(`[data-testid="${testId}"]`).map((row) => row.findAll('th, td').map((cell) => cell.text()));
    expect(cells('report-ai-cost-day')).toEqual([['2026-04-02', '3', '3,000 / 300', '0.002', '1']]);
    expect(cells('report-ai-cost-total')).toEqual([['合计', '3', '3,000 / 300', '0.002', '1']]);
    expect(cells('report-ai-cost-purpose')).toEqual([
      ['回答 · gpt-4o-mini', '2', '2,000 / 200', '0.002', '0'],
      ['操作（工具选择） · house-model', '1', '1,000 / 100', '0', '1'],
    ]);
    expect(card.text()).toContain('其费用未知，而不是零');

    await card.find('[data-testid="report-download-ai-cost"]').trigger('click');
    await flushPromises();
    expect(aiCostCsv).toHaveBeenCalledWith(period, 'zh-CN');
    setLocale('en');
  });
});
