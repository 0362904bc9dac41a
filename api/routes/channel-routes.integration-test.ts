// Channels in-process (test/support/in-process-api.ts): settings checked per kind, and the widget
// CORS list read again at once after a change (the cache is long in this test: 10 minutes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string };
let webChat: { id: string };
let email: { id: string };

const preflight = (origin: string) =>
  fetch(`${api.url}/api/widget/visitors`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });

beforeAll(async () => {
  api = await startInProcessApi({ security: { allowedOriginsTtlMs: 10 * 60_000 } });
  tokens = await signIn(api, 'admin', 'agent');
  const { channels } = (await api.request('GET', '/api/channels', { token: tokens.admin })).body as { channels: { id: string; kind: string }[] };
  webChat = channels.find((channel) => channel.kind === 'web_chat')!;
  email = channels.find((channel) => channel.kind === 'email')!;
});
afterAll(() => api?.stop());

describe('PATCH /api/channels/:id', () => {
  it('lets a newly allowed origin call the widget at once, normalised, despite the cache', async () => {
    expect((await preflight('https://shop.example')).headers.get('access-control-allow-origin')).toBeNull(); // cached now
    const changed = await api.request('PATCH', `/api/channels/${webChat.id}`, {
      token: tokens.admin,
      body: { settings: { allowedOrigins: ['https://shop.example/', 'https://shop.example'] } },
    });
    expect(changed).toMatchObject({ status: 200, body: { channel: { settings: { allowedOrigins: ['https://shop.example'] } } } });
    expect((await preflight('https://shop.example')).headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it('checks settings against the kind of channel, changing nothing when refused', async () => {
    const before = await api.db.channel.findUniqueOrThrow({ where: { id: email.id } });
    const refused = await api.request('PATCH', `/api/channels/${email.id}`, {
      token: tokens.admin,
      body: { settings: { allowedOrigins: ['https://shop.example'] } },
    });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    const badOrigin = await api.request('PATCH', `/api/channels/${webChat.id}`, {
      token: tokens.admin,
      body: { settings: { allowedOrigins: ['https://shop.example/path'] } },
    });
    expect(badOrigin.status).toBe(400);
    expect(await api.db.channel.findUniqueOrThrow({ where: { id: email.id } })).toEqual(before);
  });

  it("changes an email channel's address, name and switch in one request; a malformed address is refused at its setting, changing nothing (issue 21)", async () => {
    const changed = await api.request('PATCH', `/api/channels/${email.id}`, {
      token: tokens.admin,
      body: { name: 'Billing mail', enabled: false, settings: { address: 'billing@shop.example', replyAll: true } },
    });
    expect(changed).toMatchObject({ status: 200, body: { channel: { name: 'Billing mail', enabled: false, settings: { address: 'billing@shop.example' } } } });
    const before = await api.db.channel.findUniqueOrThrow({ where: { id: email.id } });
    const refused = await api.request('PATCH', `/api/channels/${email.id}`, {
      token: tokens.admin,
      body: { name: 'Renamed', settings: { address: 'billing at shop' } },
    });
    expect(refused).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input', details: [expect.objectContaining({ path: 'settings.address' })] } },
    });
    expect(await api.db.channel.findUniqueOrThrow({ where: { id: email.id } })).toEqual(before);
  });

  it('is for admins only, reads included', async () => {
    expect(await api.request('GET', '/api/channels', { token: tokens.agent })).toMatchObject({ status: 403 });
    expect(await api.request('PATCH', `/api/channels/${webChat.id}`, { token: tokens.agent, body: { enabled: false } })).toMatchObject({ status: 403 });
    expect(await api.request('PATCH', `/api/channels/${webChat.id}`, { token: tokens.admin, body: {} })).toMatchObject({
      status: 400,
      body: { error: { details: [{ message: 'Change at least one field.' }] } },
    });
  });
});

describe('GET /api/email-channels', () => {
  it('lists the enabled email channels to agents with their name and address only, and follows the switch', async () => {
    const switchEmail = (enabled: boolean) =>
      api.request('PATCH', `/api/channels/${email.id}`, { token: tokens.admin, body: { enabled, settings: { address: 'help@shop.example' } } });
    expect((await switchEmail(true)).status).toBe(200);
    const listed = await api.request('GET', '/api/email-channels', { token: tokens.agent });
    expect(listed.status).toBe(200);
    expect(listed.body.channels).toEqual([{ id: email.id, name: expect.any(String), address: 'help@shop.example' }]);

    expect((await switchEmail(false)).status).toBe(200);
    expect((await api.request('GET', '/api/email-channels', { token: tokens.agent })).body.channels).toEqual([]);
    expect((await api.request('GET', '/api/email-channels')).status).toBe(401);
  });
});
