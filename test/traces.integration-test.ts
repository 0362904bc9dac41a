// Traces from the real processes: the API and the worker as child processes with an OTLP endpoint
// (OTEL_EXPORTER_OTLP_ENDPOINT) that is a receiver in this test. A customer's first message
// (starting a conversation) is one trace: the API's server span, the Temporal client's
// StartWorkflow under it, and on the worker the activities the workflow's run scheduled.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcessPair, type ProcessPair } from './support/process-pair.js';
import { waitUntil } from './support/wait-until.js';

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
}

type OtlpJson = {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string }[] }[];
  }[];
};

const spans: ReceivedSpan[] = [];
let receiver: Server;
let processes: ProcessPair;

beforeAll(async () => {
  // An OTLP/HTTP (JSON) traces endpoint, as a collector would offer.
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpJson;
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = resourceSpans.resource?.attributes?.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of resourceSpans.scopeSpans ?? [])
          for (const span of scope.spans ?? [])
            spans.push({ service, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId ?? '', name: span.name });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const tracing = {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
  processes = await startProcessPair({ api: tracing, worker: tracing });
}, 120_000);
afterAll(async () => {
  await processes?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('traces', () => {
  it("follow a customer's first message from the API's request through the workflow into its activities, as one trace", async () => {
    const { client } = processes;
    const visitor = await client.visitor('Traced customer');
    const started = await client.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Where is my order?' } });
    expect(started.status).toBe(201);

    const request = await waitUntil(
      async () => spans.find((span) => span.service === 'seamless-api' && span.name === 'POST /api/widget/conversations') ?? null,
      30_000,
    );
    expect(request.parentSpanId).toBe(''); // the root: the customer's request began the trace
    // The first run prepares, saves the SLA and routes in one local activity (workflows/conversation.ts).
    const activities = ['startConversation'];
    // Every span the checks read: the processes export in batches, so a run's span may come before
    // the span that scheduled it.
    const expected = ['StartWorkflow:conversationWorkflow', ...activities.flatMap((activity) => [`StartActivity:${activity}`, `RunActivity:${activity}`])];
    const trace = await waitUntil(async () => {
      const inTrace = spans.filter((span) => span.traceId === request.traceId);
      return expected.every((name) => inTrace.some((span) => span.name === name)) ? inTrace : null;
    }, 30_000);
    const named = (service: string, name: string) => trace.find((span) => span.service === service && span.name === name);
    expect(named('seamless-api', 'StartWorkflow:conversationWorkflow')?.parentSpanId).toBe(request.spanId);
    // On the worker: each activity runs under the span that scheduled it, and all were scheduled by
    // the workflow's run (a span that ends, and is exported, when the conversation's workflow does).
    for (const activity of activities) {
      const scheduled = named('seamless-worker', `StartActivity:${activity}`);
      expect(named('seamless-worker', `RunActivity:${activity}`)?.parentSpanId).toBe(scheduled?.spanId);
    }
    const runs = new Set(trace.filter((span) => span.name.startsWith('StartActivity:')).map((span) => span.parentSpanId));
    expect(runs.size).toBe(1);
  });
});
