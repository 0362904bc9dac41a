// @vitest-environment happy-dom
// The Calls card with the API replaced: a row per day, the total, a row per agent, durations as m:ss.
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { CallReport } from '../../../contract/calls';
import { i18n, setLocale } from '../i18n/i18n';
import CallsReport from './CallsReport.vue';

const period = { from: '2026-12-01T00:00:00.000Z', to: '2026-12-08T00:00:00.000Z', timeZone: 'Asia/Shanghai' };
const figures = { offered: 3, answered: 2, missed: 1, averageDurationSeconds: 125, averageWaitSeconds: 9 };
const report: CallReport = {
  ...period,
  days: [{ date: '2026-12-07', ...figures }],
  agents: [{ agentId: 'u1', name: '李娜', offered: 2, answered: 2, missed: 0, averageDurationSeconds: 125, averageWaitSeconds: 9 }],
  total: figures,
};
const calls = vi.fn(async () => report);
vi.mock('./report-api', () => ({ reportApi: { calls: (...args: unknown[]) => calls(...(args as [])) } }));

describe('the Calls card', () => {
  it('shows each day, the total and each agent for the page period', async () => {
    setLocale('en');
    const card = mount(CallsReport, { props: { period }, global: { plugins: [i18n] } });
    await flushPromises();
    expect(calls).toHaveBeenCalledWith(period, expect.anything());
    const cells = (testId: string) => card.findAll(`[data-testid="${testId}"]`).map((row) => row.findAll('th, td').map((cell) => cell.text()));
    expect(cells('report-calls-day')).toEqual([['2026-12-07', '3', '2', '1', '2:05', '0:09']]);
    expect(cells('report-calls-total')).toEqual([['Total', '3', '2', '1', '2:05', '0:09']]);
    expect(cells('report-calls-agent')).toEqual([['李娜', '2', '2', '0', '2:05', '0:09']]);
  });
});
