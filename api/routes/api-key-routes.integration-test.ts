// Integration keys in-process (test/support/in-process-api.ts): shown once, never cached,
// admins only, refused at once when revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string };

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'admin', 'agent');
});
afterAll(() => api?.stop());

describe('API keys', () => {
  it('shows the key once, with no-store, lists it without the key, and refuses it once revoked', async () => {
    const response = await fetch(`${api.url}/api/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Shop', scopes: ['tickets:read'] }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { key, apiKey } = (await response.json()) as { key: string; apiKey: { id: string } };
    expect(key).toMatch(/^sk_live_/);

    const list = await api.request('GET', '/api/api-keys', { token: tokens.admin });
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(list.body.apiKeys.map((listed: { id: string }) => listed.id)).toContain(apiKey.id);

    expect((await api.request('GET', '/api/tickets', { token: key })).status).toBe(200);
    expect((await api.request('DELETE', `/api/api-keys/${apiKey.id}`, { token: tokens.admin })).status).toBe(204);
    expect(await api.request('GET', '/api/tickets', { token: key })).toMatchObject({ status: 401 });
  });

  it('needs a name and at least one known scope', async () => {
    const answer = await api.request('POST', '/api/api-keys', { token: tokens.admin, body: { name: ' ', scopes: ['everything'] } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['name', 'scopes.0']);
    expect(await api.request('POST', '/api/api-keys', { token: tokens.admin, body: { name: 'x', scopes: [] } })).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'scopes', message: 'Give the key at least one scope.' }] } },
    });
  });

  it('is for admins only, and a key cannot make keys', async () => {
    expect(await api.request('GET', '/api/api-keys', { token: tokens.agent })).toMatchObject({ status: 403 });
    const made = await api.request('POST', '/api/api-keys', { token: tokens.admin, body: { name: 'All', scopes: ['tickets:read', 'conversations:read'] } });
    expect(await api.request('POST', '/api/api-keys', { token: made.body.key, body: { name: 'Child', scopes: ['tickets:read'] } })).toMatchObject({
      status: 403,
    });
  });
});
