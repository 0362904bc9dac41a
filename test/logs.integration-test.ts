// Structured logs from the real processes (LOG_FORMAT=json, LOG_LEVEL=debug, as an operator would
// collect them): one request's id is on the API's line for it and on the worker's lines for the
// workflow activities it caused; and no secret of the run — the demo password, a session token, a
// visitor token, the server secret — appears anywhere in either process's output.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../prisma/demo-data.js';
import { startProcessPair, type ProcessPair } from './support/process-pair.js';
import { waitUntil } from './support/wait-until.js';

let processes: ProcessPair;

beforeAll(async () => {
  const logs = { LOG_FORMAT: 'json', LOG_LEVEL: 'debug' };
  processes = await startProcessPair({ api: logs, worker: logs });
}, 120_000);
afterAll(() => processes?.stop());

type LogLine = Record<string, unknown> & { msg?: string; requestId?: string };
/** The output's JSON lines (anything else a process printed is left out). */
const linesOf = (output: string): LogLine[] =>
  output.split('\n').flatMap((line) => {
    try {
      const parsed: unknown = JSON.parse(line);
      return parsed && typeof parsed === 'object' ? [parsed as LogLine] : [];
    } catch {
      return [];
    }
  });

describe('logs', () => {
  it("follow one request's id from the API into the workflow's activities, and never show a secret", async () => {
    const { api, worker, client, secret } = processes;
    const agentToken = await client.login('agent@seamless.local');
    const visitor = await client.visitor('Logged customer');
    const requestId = `logs-test-${randomBytes(4).toString('hex')}`;
    const started = await client.request('POST', '/api/widget/conversations', {
      token: visitor.token,
      body: { body: 'My parcel never arrived' },
      headers: { 'x-request-id': requestId },
    });
    expect(started.status).toBe(201);

    // Lines reach the test through the child's pipe a moment after the response.
    const apiLine = await waitUntil(async () => linesOf(api.output()).find((line) => line.requestId === requestId && line.msg === 'request') ?? null, 10_000);
    expect(apiLine).toMatchObject({ name: 'api', method: 'POST', route: '/api/widget/conversations', status: 201 });
    // The conversation's workflow ran its activities on the worker with the same id.
    const workerLine = await waitUntil(async () => linesOf(worker.output()).find((line) => line.requestId === requestId) ?? null, 30_000);
    expect(workerLine).toMatchObject({ name: 'worker' });

    const everything = `${api.output()}\n${worker.output()}`;
    for (const secretValue of [demoPassword, agentToken, visitor.token, secret]) expect(everything).not.toContain(secretValue);
  });

  it("answer with the caller's request id, or a new one when it is not a plain token", async () => {
    const { api } = processes;
    const kept = await fetch(`${api.url}/api/health`, { headers: { 'x-request-id': 'lb-7f3a.2' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a.2');
    const replaced = await fetch(`${api.url}/api/health`, { headers: { 'x-request-id': 'not a plain token!' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
