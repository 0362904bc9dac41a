// /api/v1/... answers exactly as /api/...: the same routes, authentication and errors.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startInProcessApi, type InProcessApi } from '../test/support/in-process-api.js';

let api: InProcessApi;

beforeAll(async () => {
  api = await startInProcessApi();
});
afterAll(() => api?.stop());

it('serves version 1 at /api/v1 as at /api, authentication and errors included', async () => {
  expect(await api.request('GET', '/api/v1/health')).toEqual({ status: 200, body: { ok: true } });
  const token = await api.login('agent@seamless.local');
  const plain = await api.request('GET', '/api/me/mentions', { token });
  const versioned = await api.request('GET', '/api/v1/me/mentions', { token });
  expect(plain.status).toBe(200);
  expect(versioned).toEqual(plain);
  expect((await api.request('GET', '/api/v1/me/mentions')).status).toBe(401);
  expect(await api.request('GET', '/api/v1/nothing-here')).toMatchObject({ status: 404, body: { error: { code: 'route_not_found' } } });
  // Only the exact prefix: /api/v10 is no version of ours.
  expect((await api.request('GET', '/api/v10/me/mentions', { token })).status).toBe(404);
});
