// Graceful shutdown of the real processes (children, as `npm start` runs them). On SIGTERM the API
// stops accepting connections at once, lets a request already in flight finish with its 2xx,
// closes the WebSockets with 1001 "going away", closes its pools and exits 0; the worker drains
// and exits 0.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { freePort } from './support/free-port.js';
import { startSystem, type TestSystem } from './support/system.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

let system: TestSystem;
let dataDir: string;
let api: ApiProcess | undefined;
let worker: WorkerProcess | undefined;
let client: ApiClient;

beforeAll(async () => {
  system = await startSystem({ inProcessWorker: false });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-shutdown-'));
  const shared = {
    databaseUrl: system.databaseUrl,
    temporalAddress: inject('temporalAddress'),
    taskQueue: system.taskQueue,
    namespace: system.namespace,
    dataDir,
  };
  [worker, api] = await Promise.all([
    startWorkerProcess(shared),
    startApiProcess({ ...shared, secret: randomBytes(48).toString('base64url'), port: await freePort() }),
  ]);
  client = createApiClient(api.url);
});
afterAll(async () => {
  await client?.closeSockets();
  await Promise.all([api?.kill(), worker?.kill()]);
  await system?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/**
 * A POST whose body arrives in two parts: `inFlight` resolves once the server has read its headers
 * (it answered `Expect: 100-continue`), and the request is open until `finish()` sends the rest.
 */
function slowPost(baseUrl: string, path: string, token: string, body: unknown) {
  const payload = Buffer.from(JSON.stringify(body));
  const { hostname, port } = new URL(baseUrl);
  const request = http.request({
    hostname,
    port,
    path,
    method: 'POST',
    agent: false,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': payload.length, expect: '100-continue' },
  });
  const inFlight = new Promise<void>((resolve, reject) => {
    request.once('continue', () => {
      request.write(payload.subarray(0, 5));
      resolve();
    });
    request.once('error', reject);
  });
  const response = new Promise<{ status: number; body: { message: { id: string } } }>((resolve, reject) => {
    request.once('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      res.once('error', reject);
    });
    request.once('error', reject);
  });
  request.flushHeaders();
  return { inFlight, response, finish: () => request.end(payload.subarray(5)) };
}

describe('SIGTERM to the API and the worker', () => {
  it('finishes the request in flight, says going away to WebSocket clients, refuses new connections, and both exit 0', async () => {
    const agentToken = await client.login('agent@seamless.local');
    const visitor = await client.visitor('Shutdown customer');
    const agentSocket = await client.socket(agentToken);
    const customerSocket = await client.socket(visitor.token);
    const started = await client.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'My card was declined' } });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    await agentSocket.waitForEvent((event) => event.type === 'conversation.assigned' && event.conversationId === conversationId, 30_000);

    const slow = slowPost(api!.url, `/api/widget/conversations/${conversationId}/messages`, visitor.token, { body: 'Sent just before the shutdown' });
    await slow.inFlight;

    process.kill(api!.pid, 'SIGTERM');
    await api!.waitForOutput('not accepting connections', 10_000);
    // New connections are refused while the request in flight is still open.
    await expect(fetch(`${api!.url}/api/health`)).rejects.toThrow();
    expect(await agentSocket.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(await customerSocket.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(api!.alive()).toBe(true);

    slow.finish();
    const answered = await slow.response;
    expect(answered.status).toBe(201);
    const exitedAt = Date.now();
    expect(await api!.exited).toBe(0);
    expect(Date.now() - exitedAt).toBeLessThan(10_000);
    expect(api!.output()).toContain('api: shut down cleanly');
    expect(await system.db.message.count({ where: { id: answered.body.message.id, conversationId } })).toBe(1);

    expect(await worker!.stop('SIGTERM', 20_000)).toBe(0);
    expect(worker!.output()).toContain('worker: drained and closed after SIGTERM');
  });
});
