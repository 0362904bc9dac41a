// Prometheus metrics from the real processes (`npm start` runs them so): the API and the worker
// as child processes with METRICS_PORT and WORKER_METRICS_PORT, a customer's conversation and
// message through the API, then both endpoints scraped. Labels are route patterns, never URLs.
// The worker, which has no public port, answers its health probes on the same port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { startProcessPair, type ProcessPair } from './support/process-pair.js';
import { waitUntil } from './support/wait-until.js';

let processes: ProcessPair;
let apiMetricsUrl: string;
let workerMetricsUrl: string;

beforeAll(async () => {
  const [apiMetricsPort, workerMetricsPort] = await Promise.all([freePort(), freePort()]);
  processes = await startProcessPair({ api: { METRICS_PORT: String(apiMetricsPort) }, worker: { WORKER_METRICS_PORT: String(workerMetricsPort) } });
  apiMetricsUrl = `http://127.0.0.1:${apiMetricsPort}/metrics`;
  workerMetricsUrl = `http://127.0.0.1:${workerMetricsPort}/metrics`;
}, 120_000);
afterAll(() => processes?.stop());

const scrape = async (url: string) => {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
};

/** The value of one series (exact name and labels as printed), or null when it is absent. */
const valueOf = (text: string, series: string): number | null => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
};

describe('metrics', () => {
  it("count the API's requests by route pattern, messages stored, sockets, and read the queue from the database", async () => {
    const { client } = processes;
    // The bot on (the test database has it off), so the worker decides on the first message.
    const adminToken = await client.login('admin@seamless.local');
    const enabled = await client.request('PATCH', '/api/settings/self-service', { token: adminToken, body: { enabled: true, threshold: null } });
    expect(enabled.status).toBe(200);
    const agentToken = await client.login('agent@seamless.local');
    const agentSocket = await client.socket(agentToken);
    const visitor = await client.visitor('Metrics customer');
    const started = await client.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'My parcel never arrived' } });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    const posted = await client.request('POST', `/api/widget/conversations/${conversationId}/messages`, { token: visitor.token, body: { body: 'Any news?' } });
    expect(posted.status).toBe(201);
    await agentSocket.waitForEvent(
      (event) => event.type === 'message.created' && (event.payload.message as { id: string }).id === posted.body.message.id,
      30_000,
    );
    const missing = await client.request('GET', `/api/conversations/${conversationId}/no-such-thing`, { token: agentToken });
    expect(missing.status).toBe(404);

    const text = await scrape(apiMetricsUrl);
    expect(valueOf(text, 'seamless_http_requests_total{method="POST",route="/api/widget/conversations/:id/messages",status="201"}')).toBe(1);
    expect(valueOf(text, 'seamless_http_requests_total{method="POST",route="/api/widget/conversations",status="201"}')).toBe(1);
    expect(valueOf(text, 'seamless_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    // No URL became a label: the conversation's id appears nowhere.
    expect(text).not.toContain(conversationId);
    expect(valueOf(text, 'seamless_messages_stored_total{sender="customer"}')).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'seamless_websocket_connections{viewer="user"}')).toBe(1);
    expect(valueOf(text, 'seamless_event_fanout_lag_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'seamless_websocket_events_sent_total')).toBeGreaterThanOrEqual(1);
    // Read from the database at scrape time: every conversation of the seeded demo and ours.
    const byStatus = ['bot', 'queued', 'open', 'snoozed', 'resolved', 'closed'].map((status) => valueOf(text, `seamless_conversations{status="${status}"}`));
    expect(byStatus.every((value) => value !== null)).toBe(true);
    expect(byStatus.reduce<number>((sum, value) => sum + value!, 0)).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'seamless_workflow_outbox_pending')).not.toBeNull();
    expect(valueOf(text, 'seamless_queue_conversations')).not.toBeNull();
    expect(valueOf(text, 'seamless_process_resident_memory_bytes')).toBeGreaterThan(0);

    await agentSocket.close();
    await waitUntil(async () => (valueOf(await scrape(apiMetricsUrl), 'seamless_websocket_connections{viewer="user"}') === 0 ? true : null));
  });

  it("serve the worker's own metrics with the Temporal SDK's worker metrics after them", async () => {
    // The conversation above ran on this worker: the bot decided on its first message (whatever
    // it decided) and the SDK counted its workflow tasks.
    const decisionsOf = (scraped: string) =>
      ['answered', 'clarifying_question', 'declined'].reduce(
        (sum, decision) => sum + (valueOf(scraped, `seamless_bot_decisions_total{decision="${decision}"}`) ?? 0),
        0,
      );
    const text = await waitUntil(async () => {
      const scraped = await scrape(workerMetricsUrl);
      return decisionsOf(scraped) > 0 ? scraped : null;
    }, 30_000);
    expect(decisionsOf(text)).toBe(1);
    expect(text).toMatch(/^temporal_workflow_task_execution_latency_seconds_count/m);
    expect(valueOf(text, 'seamless_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(valueOf(text, 'seamless_ai_call_duration_seconds_count{operation="answer",provider="local",outcome="ok"}')).toBe(1);
  });

  it("answer the worker's health probes on its port: alive, and ready while it polls and the database answers", async () => {
    const base = workerMetricsUrl.replace(/\/metrics$/, '');
    const live = await fetch(`${base}/health`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ ok: true });
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, worker: { ok: true, state: 'RUNNING' }, database: { ok: true } });
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });

  it('are not served on the public port', async () => {
    const response = await fetch(`${processes.api.url}/metrics`);
    expect(await response.text()).not.toContain('seamless_http_requests_total');
  });
});
