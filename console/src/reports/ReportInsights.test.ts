// @vitest-environment happy-dom
// The leads' reports as a component, the API replaced: the two resolution rates with their
// definitions, a row per agent, the heatmap's 7 × 24 cells, and each CSV asked for in the page's
// language; nothing asked without a valid period.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentsReport, BusiestHoursReport, ResolutionReport } from '../../../domain/report-insights';
import { i18n, setLocale } from '../i18n/i18n';
import ReportInsights from './ReportInsights.vue';

const period = { from: '2025-04-06T16:00:00.000Z', to: '2025-04-20T16:00:00.000Z', timeZone: 'Asia/Shanghai' };
const resolution: ResolutionReport = {
  ...period,
  resolved: 8,
  personHandled: 5,
  firstContact: 4,
  botAnswered: 3,
  aiResolved: 2,
  firstContactRate: 0.8,
  aiResolutionRate: 0.25,
  aiResolutionRateOfAnswered: 2 / 3,
  reopenDays: 7,
};
const agents: AgentsReport = {
  ...period,
  agents: [
    {
      userId: 'u1',
      name: '李娜',
      handled: 5,
      resolved: 4,
      resolutionMedian: 95,
      firstResponses: 3,
      firstResponseMedian: 12,
      csatCount: 2,
      csatAverage: 4.5,
      csatSatisfiedRate: 1,
    },
  ],
};
const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
cells[0]![9] = 2;
const hours: BusiestHoursReport = { ...period, timeZone: 'Europe/London', cells, total: 2, max: 2 };

const api = vi.hoisted(() => ({ insight: vi.fn(), insightCsv: vi.fn(), saved: [] as string[] }));
vi.mock('./report-api', () => ({
  reportApi: { insight: api.insight, insightCsv: api.insightCsv },
  saveFile: (_blob: Blob, name: string) => api.saved.push(name),
}));
api.insight.mockImplementation(async (report: string) => ({ resolution, agents, 'busiest-hours': hours })[report]);
api.insightCsv.mockImplementation(async (report: string) => ({ blob: new Blob(['x']), fileName: `seamless-${report}.csv` }));

describe('ReportInsights', () => {
  afterEach(() => {
    setLocale('en');
    api.insight.mockClear();
    api.insightCsv.mockClear();
  });

  it('shows the rates with their definitions, the agents and the heatmap, and downloads each CSV', async () => {
    const wrapper = mount(ReportInsights, { props: { period }, global: { plugins: [i18n] } });
    await flushPromises();
    expect(wrapper.get('[data-testid="report-first-contact"]').text()).toBe('80%');
    expect(wrapper.get('[data-testid="report-ai-resolution"]').text()).toBe('25%');
    const resolutionText = wrapper.get('[data-testid="report-resolution"]').text();
    expect(resolutionText).toContain('4 of 5 conversations a person replied to');
    expect(resolutionText).toContain('2 of 8 resolved · 66.7% of those the bot answered');
    expect(resolutionText).toContain('within 7 days');

    const rows = wrapper.findAll('[data-testid="report-agent-row"]');
    expect(rows.map((row) => row.findAll('th, td').map((cell) => cell.text()))).toEqual([['李娜', '5', '4', '12m', '1h 35m', '4.5 (2)']]);

    expect(wrapper.findAll('[data-testid="report-heat-row"]')).toHaveLength(7);
    expect(wrapper.findAll('[data-testid="report-heat-cell"]')).toHaveLength(7 * 24);
    const busiest = wrapper.get('[data-testid="report-heat-cell"][data-count="2"]');
    expect([busiest.attributes('aria-label'), busiest.classes()]).toEqual(['Monday 09:00: 2 conversations', ['level-4']]);

    setLocale('zh-CN');
    await flushPromises();
    expect(wrapper.get('[data-testid="report-heat-cell"][data-count="2"]').attributes('aria-label')).toBe('星期一 09:00：2 个会话');
    for (const report of ['resolution', 'agents', 'busiest-hours']) {
      await wrapper.get(`[data-testid="report-download-${report}"]`).trigger('click');
      await flushPromises();
      expect(api.insightCsv).toHaveBeenLastCalledWith(report, period, 'zh-CN');
    }
    expect(api.saved.slice(-3)).toEqual(['seamless-resolution.csv', 'seamless-agents.csv', 'seamless-busiest-hours.csv']);
    wrapper.unmount();
  });

  it('asks nothing without a period, and says when an agent list is empty', async () => {
    const wrapper = mount(ReportInsights, { props: { period: null }, global: { plugins: [i18n] } });
    await flushPromises();
    expect(api.insight).not.toHaveBeenCalled();
    api.insight.mockImplementation(async (report: string) => ({ resolution, agents: { ...agents, agents: [] }, 'busiest-hours': hours })[report]);
    await wrapper.setProps({ period });
    await flushPromises();
    expect(api.insight).toHaveBeenCalledTimes(3);
    expect(wrapper.find('[data-testid="report-agents-none"]').exists()).toBe(true);
    wrapper.unmount();
  });
});
