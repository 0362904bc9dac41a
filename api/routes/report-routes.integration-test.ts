// The report routes in-process (test/support/in-process-api.ts): periods, the AI-usage figures,
// the AI cost per day, purpose and model (JSON and CSV), the overview as CSV (English, Simplified
// and Traditional Chinese headings). The overview's arithmetic: domain/report-overview.test.ts and test/reports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startCustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let agent: string;

beforeAll(async () => {
  api = await startInProcessApi();
  ({ agent } = await signIn(api, 'agent'));
  const at = (iso: string) => new Date(iso);
  await api.db.aiCall.createMany({
    data: [
      {
        operation: 'draft',
        provider: 'openai',
        model: 'm1',
        promptTokens: 100,
        completionTokens: 10,
        latencyMs: 100,
        ok: true,
        createdAt: at('2026-02-01T10:00:00Z'),
      },
      {
        operation: 'draft',
        provider: 'openai',
        model: 'm1',
        promptTokens: 50,
        completionTokens: 20,
        latencyMs: 301,
        ok: true,
        createdAt: at('2026-02-02T10:00:00Z'),
      },
      { operation: 'classify', provider: 'local', model: 'lexical', latencyMs: 2, ok: true, createdAt: at('2026-02-02T11:00:00Z') },
      {
        operation: 'draft',
        provider: 'openai',
        model: 'm1',
        promptTokens: 999,
        completionTokens: 999,
        latencyMs: 1,
        ok: true,
        createdAt: at('2026-03-01T00:00:00Z'),
      },
    ],
  });
});
afterAll(() => api?.stop());

/** A CSV report's lines, read as the agent (byte order mark and final line break dropped). */
async function csvLines(pathAndQuery: string): Promise<string[]> {
  const response = await fetch(`${api.url}/api/reports/${pathAndQuery}`, { headers: { authorization: `Bearer ${agent}` } });
  expect(response.status).toBe(200);
  return (await response.text()).replace('\uFEFF', '').trim().split('\r\n');
}

describe('periods', () => {
  it('refuses a period that ends before it starts, and a date without an offset', async () => {
    expect(await api.request('GET', '/api/reports/ai-usage?from=2026-02-02T00:00:00Z&to=2026-02-01T00:00:00Z', { token: agent })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_period' } },
    });
    expect(await api.request('GET', '/api/reports/self-service?from=2026-02-02', { token: agent })).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'from' }] } },
    });
  });

  it('defaults to the last 30 days', async () => {
    const answer = await api.request('GET', '/api/reports/self-service', { token: agent });
    expect(answer.status).toBe(200);
    expect(new Date(answer.body.to).getTime() - new Date(answer.body.from).getTime()).toBe(30 * 86_400_000);
  });
});

describe('GET /api/reports/ai-usage', () => {
  it('sums calls per provider, model and operation within the period (end excluded)', async () => {
    const answer = await api.request('GET', '/api/reports/ai-usage?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z', { token: agent });
    expect(answer.body.calls).toEqual([
      { provider: 'local', model: 'lexical', operation: 'classify', calls: 1, promptTokens: 0, completionTokens: 0, averageLatencyMs: 2 },
      { provider: 'openai', model: 'm1', operation: 'draft', calls: 2, promptTokens: 150, completionTokens: 30, averageLatencyMs: 201 },
    ]);
  });
});

describe('GET /api/reports/ai-cost', () => {
  // Known calls in April, read in Shanghai's days: 15:30 UTC on the 1st is still the 1st there, 17:00 UTC is the 2nd.
  beforeAll(async () => {
    const call = (iso: string, operation: string, model: string, cost: number | null) => ({
      operation,
      provider: 'openai',
      model,
      promptTokens: 1000,
      completionTokens: 100,
      latencyMs: 300,
      cost,
      ok: true,
      createdAt: new Date(iso),
    });
    await api.db.aiCall.createMany({
      data: [
        call('2026-04-01T15:30:00Z', 'answer', 'gpt-4o-mini', 0.0012),
        call('2026-04-01T17:00:00Z', 'answer', 'gpt-4o-mini', 0.0008),
        call('2026-04-02T02:00:00Z', 'rerank', 'gpt-4o-mini', 0.0002),
        call('2026-04-02T03:00:00Z', 'tool', 'house-model', null),
      ],
    });
  });
  const query = `from=${encodeURIComponent('2026-04-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-04-03T00:00:00+08:00')}&timeZone=Asia/Shanghai`;

  it('sums the cost per local day, per purpose and model, and in total; an unpriced call is counted apart, never as free', async () => {
    const answer = await api.request('GET', `/api/reports/ai-cost?${query}`, { token: agent });
    expect(answer.status).toBe(200);
    expect(answer.body.days).toEqual([
      { date: '2026-04-01', calls: 1, promptTokens: 1000, completionTokens: 100, cost: 0.0012, unpricedCalls: 0 },
      { date: '2026-04-02', calls: 3, promptTokens: 3000, completionTokens: 300, cost: 0.001, unpricedCalls: 1 },
    ]);
    expect(
      answer.body.purposes.map((purpose: { operation: string; model: string; calls: number; cost: number }) => [
        purpose.operation,
        purpose.model,
        purpose.calls,
        purpose.cost,
      ]),
    ).toEqual([
      ['answer', 'gpt-4o-mini', 2, 0.002],
      ['rerank', 'gpt-4o-mini', 1, 0.0002],
      ['tool', 'house-model', 1, 0],
    ]);
    expect(answer.body.total).toEqual({ calls: 4, promptTokens: 4000, completionTokens: 400, cost: 0.0022, unpricedCalls: 1 });
  });

  it('downloads a row per day, purpose and model with a total row, in Chinese when asked', async () => {
    const response = await fetch(`${api.url}/api/reports/ai-cost.csv?${query}&locale=zh-CN`, { headers: { authorization: `Bearer ${agent}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename=seamless-ai-cost-2026-04-01-2026-04-02.csv');
    const lines = (await response.text()).replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^日期,用途/);
    expect(lines.slice(1)).toEqual([
      '2026-04-01,answer,openai,gpt-4o-mini,1,1000,100,0.0012,0,300',
      '2026-04-02,answer,openai,gpt-4o-mini,1,1000,100,0.0008,0,300',
      '2026-04-02,rerank,openai,gpt-4o-mini,1,1000,100,0.0002,0,300',
      '2026-04-02,tool,openai,house-model,1,1000,100,0,1,300',
      '合计,,,,4,4000,400,0.0022,1,',
    ]);
  });

  it('downloads it in Traditional Chinese: the same rows, the headings and the total converted', async () => {
    const [simplified, traditional] = [await csvLines(`ai-cost.csv?${query}&locale=zh-CN`), await csvLines(`ai-cost.csv?${query}&locale=zh-TW`)];
    expect(traditional[0]).toContain('平均延遲（毫秒）');
    expect(traditional.slice(1, -1)).toEqual(simplified.slice(1, -1));
    expect(traditional.at(-1)).toBe('合計,,,,4,4000,400,0.0022,1,');
  });
});

describe('GET /api/reports/self-service', () => {
  it('counts the conversations begun in the period', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    await startCustomerConversation(api);
    const answer = await api.request('GET', `/api/reports/self-service?from=${encodeURIComponent(from)}`, { token: agent });
    expect(answer.body.conversations).toBe(1);
  });
});

describe('GET /api/reports/overview.csv', () => {
  it('downloads the overview as a CSV file in the asked language, for staff only', async () => {
    const response = await fetch(`${api.url}/api/reports/overview.csv?from=2026-02-01T00:00:00Z&to=2026-02-07T00:00:00Z&timeZone=Asia/Shanghai&locale=zh-CN`, {
      headers: { authorization: `Bearer ${agent}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename=seamless-overview-2026-02-01-2026-02-07.csv');
    expect((await response.text()).split('\n')[0]).toMatch(/[\u4e00-\u9fff]/);
    const visitor = await api.visitor();
    expect(await api.request('GET', '/api/reports/overview', { token: visitor.token })).toMatchObject({ status: 403 });
  });

  it('writes the headings of a Traditional Chinese CSV in Traditional characters, the figures as in the Simplified one', async () => {
    const period = 'from=2026-02-01T00:00:00Z&to=2026-02-07T00:00:00Z&timeZone=Asia/Shanghai';
    const [simplified, traditional] = [await csvLines(`overview.csv?${period}&locale=zh-CN`), await csvLines(`overview.csv?${period}&locale=zh-TW`)];
    expect(simplified[0]).toContain('新建会话');
    expect(traditional[0]).toContain('新建會話');
    expect(traditional[0]).not.toMatch(/会话|已解决|机器人/);
    expect(traditional.slice(1, -1)).toEqual(simplified.slice(1, -1));
    expect(traditional.at(-1)).toBe(simplified.at(-1)!.replace(/^合计,/, '合計,'));
  });
});
