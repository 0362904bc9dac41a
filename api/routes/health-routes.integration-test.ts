// Liveness and readiness in-process (test/support/in-process-api.ts): no token needed, never
// cached, Temporal reported (here the fake, which answers) but not required.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;

beforeAll(async () => {
  api = await startInProcessApi();
});
afterAll(() => api?.stop());

it('answers liveness without touching anything, and readiness with the database and Temporal checked', async () => {
  expect(await api.request('GET', '/api/health')).toEqual({ status: 200, body: { ok: true } });
  const ready = await fetch(`${api.url}/api/health/ready`);
  expect(ready.status).toBe(200);
  expect(ready.headers.get('cache-control')).toBe('no-store');
  expect(await ready.json()).toEqual({ ready: true, database: { ok: true }, temporal: { ok: true } });
});

it('answers an unknown API path with a JSON 404, not the console', async () => {
  expect(await api.request('DELETE', '/api/nothing-here?x=1')).toMatchObject({
    status: 404,
    body: { error: { code: 'route_not_found', message: 'No API route DELETE /api/nothing-here.' } },
  });
});

it('is not ready while live events do not reach its sockets (the event stream reconnecting)', async () => {
  let listening = false;
  const withSockets = await startInProcessApi({ eventStreamListening: () => listening });
  try {
    const down = await fetch(`${withSockets.url}/api/health/ready`);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(await down.json()).toEqual({ ready: false, database: { ok: true }, temporal: { ok: true }, eventStream: { ok: false } });
    listening = true;
    const up = await fetch(`${withSockets.url}/api/health/ready`);
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ ready: true, eventStream: { ok: true } });
  } finally {
    await withSockets.stop();
  }
});
