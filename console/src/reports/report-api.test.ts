import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportApi } from './report-api';

describe('report CSVs', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks for the headings in the console's language, Traditional Chinese included (the server converts)", async () => {
    const fetch = vi.fn(async (_url: string) => new Response('x', { headers: { 'content-disposition': 'attachment; filename=seamless-agents-a-b.csv' } }));
    vi.stubGlobal('fetch', fetch);
    const period = { from: '2026-12-01T00:00:00+08:00', to: '2026-12-08T00:00:00+08:00', timeZone: 'Asia/Taipei' };
    const localeAsked = async (download: () => Promise<{ fileName: string }>) => {
      expect((await download()).fileName).toBe('seamless-agents-a-b.csv');
      return new URL(fetch.mock.lastCall![0], 'http://console').searchParams.get('locale');
    };
    const overview = { ...period, bucket: 'day' as const };
    expect(await localeAsked(() => reportApi.insightCsv('agents', period, 'zh-TW'))).toBe('zh-TW');
    expect(await localeAsked(() => reportApi.aiCostCsv(period, 'zh-TW'))).toBe('zh-TW');
    expect(await localeAsked(() => reportApi.overviewCsv(overview, 'zh-TW'))).toBe('zh-TW');
    expect(await localeAsked(() => reportApi.overviewCsv(overview, 'en'))).toBe('en');
  });
});
