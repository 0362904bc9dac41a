// The report routes in-process (test/support/in-process-api.ts): periods, the AI-usage figures,
// the overview as CSV. The overview's arithmetic: domain/report-overview.test.ts and test/reports.
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
});
