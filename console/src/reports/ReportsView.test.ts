// @vitest-environment happy-dom
// The reports page as a component, with Chart.js replaced by a recorder of what it is asked to
// draw (happy-dom has no canvas): the "median times" chart of live-chat medians — seconds — steps
// by whole durations and labels each tick as one, in English and Chinese (issue 21: every label
// read "less than a minute").
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyFigures, type OverviewBucketFigures, type OverviewReport } from '../../../domain/report-overview';
import { i18n, setLocale } from '../i18n/i18n';
import ReportsView from './ReportsView.vue';

interface Drawn {
  canvas: HTMLCanvasElement;
  config: { options: { scales: { y: { ticks: { stepSize?: number; callback: (value: number) => string } } } } };
}
const drawn = vi.hoisted(() => [] as Drawn[]);
vi.mock('chart.js', () => {
  class Chart {
    static register() {}
    constructor(canvas: HTMLCanvasElement, config: Drawn['config']) {
      drawn.push({ canvas, config });
    }
    destroy() {}
  }
  return {
    Chart,
    BarController: {},
    BarElement: {},
    CategoryScale: {},
    Legend: {},
    LinearScale: {},
    LineController: {},
    LineElement: {},
    PointElement: {},
    Tooltip: {},
  };
});

const bucket = (date: string, firstResponse: number, resolution: number): OverviewBucketFigures => ({
  ...emptyFigures(),
  start: `${date}T00:00:00.000Z`,
  date,
  created: 3,
  resolved: 3,
  firstResponse: { count: 3, median: firstResponse, p90: firstResponse },
  resolution: { count: 3, median: resolution, p90: resolution },
});

// Live chat: first responses in 7-18 seconds, resolutions in 25-41 seconds (medians in minutes).
const report: OverviewReport = {
  from: '2026-12-01T00:00:00.000Z',
  to: '2026-12-04T00:00:00.000Z',
  bucket: 'day',
  timeZone: 'UTC',
  buckets: [bucket('2026-12-01', 0.12, 0.42), bucket('2026-12-02', 0.3, 0.68), bucket('2026-12-03', 0.2, 0.55)],
  total: { ...emptyFigures(), created: 9, resolved: 9 },
};

vi.mock('./report-api', () => ({ reportApi: { overview: async () => report }, saveFile: () => {} }));

/** The tick labels Chart.js would write on the times chart: from 0 by its step to past the largest value. */
async function timesTicks(): Promise<string[]> {
  drawn.length = 0;
  const wrapper = mount(ReportsView, { global: { plugins: [i18n] }, attachTo: document.body });
  await flushPromises();
  const times = drawn.find((chart) => chart.canvas.closest('[data-testid="report-chart-times"]'));
  expect(times, 'the times chart is drawn').toBeDefined();
  const { stepSize, callback } = times!.config.options.scales.y.ticks;
  expect(stepSize).toBeDefined();
  const ticks: string[] = [];
  for (let value = 0; value <= 0.68 + stepSize!; value += stepSize!) ticks.push(callback(Math.round(value * 1e6) / 1e6));
  wrapper.unmount();
  return ticks;
}

describe('ReportsView, the median times chart', () => {
  afterEach(() => {
    setLocale('en');
    document.body.innerHTML = '';
  });

  it('labels the axis of second-long medians in whole seconds, each tick different, in English and Chinese', async () => {
    setLocale('en');
    const en = await timesTicks();
    expect(en).toEqual(['0', '10s', '20s', '30s', '40s', '50s']);
    expect(en.join(' ')).not.toContain('less than a minute');
    setLocale('zh-CN');
    expect(await timesTicks()).toEqual(['0', '10秒', '20秒', '30秒', '40秒', '50秒']);
  });
});
