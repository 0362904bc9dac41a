// Canned responses in-process (test/support/in-process-api.ts): agents get the shared ones and
// their team's, admins all; filters by language and text; admins write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string; expert: string };

const shortcutsOf = (body: { cannedResponses: { shortcut: string }[] }) => body.cannedResponses.map((response) => response.shortcut);

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'admin', 'agent', 'expert');
  const team = async (name: string) => (await api.db.team.findUniqueOrThrow({ where: { name } })).id;
  const write = async (body: Record<string, unknown>) =>
    expect((await api.request('POST', '/api/canned-responses', { token: tokens.admin, body })).status).toBe(201);
  await write({ shortcut: 'zz-shared', title: 'Shared', body: 'Thanks for waiting.' });
  await write({ shortcut: 'zz-frontline', title: 'Frontline only', body: 'A junior answer.', teamId: await team('Frontline') });
  await write({ shortcut: 'zz-specialists', title: 'Specialists only', body: '技术问题请稍候。', locale: 'zh-CN', teamId: await team('Specialists') });
});
afterAll(() => api?.stop());

describe('GET /api/canned-responses', () => {
  it('gives an agent the shared responses and their team’s, an admin all', async () => {
    const alex = shortcutsOf((await api.request('GET', '/api/canned-responses?q=zz', { token: tokens.agent })).body);
    expect(alex).toEqual(expect.arrayContaining(['zz-shared', 'zz-frontline']));
    expect(alex).not.toContain('zz-specialists');
    expect(shortcutsOf((await api.request('GET', '/api/canned-responses?q=zz', { token: tokens.expert })).body)).not.toContain('zz-frontline');
    expect(shortcutsOf((await api.request('GET', '/api/canned-responses?q=zz', { token: tokens.admin })).body)).toEqual(
      expect.arrayContaining(['zz-shared', 'zz-frontline', 'zz-specialists']),
    );
  });

  it('filters by language and by Chinese text', async () => {
    expect(shortcutsOf((await api.request('GET', `/api/canned-responses?q=${encodeURIComponent('技术')}`, { token: tokens.expert })).body)).toEqual([
      'zz-specialists',
    ]);
    const chinese = (await api.request('GET', '/api/canned-responses?locale=zh-CN', { token: tokens.admin })).body.cannedResponses;
    expect(chinese.every((response: { locale: string }) => response.locale === 'zh-CN')).toBe(true);
  });
});

describe('writing', () => {
  it('refuses a shortcut with capitals or spaces, by path, and agents altogether', async () => {
    expect(await api.request('POST', '/api/canned-responses', { token: tokens.admin, body: { shortcut: 'Bad One', title: 't', body: 'b' } })).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'shortcut' }] } },
    });
    expect(await api.request('POST', '/api/canned-responses', { token: tokens.agent, body: { shortcut: 'mine', title: 't', body: 'b' } })).toMatchObject({
      status: 403,
    });
  });

  it('changes and deletes a response', async () => {
    const created = (
      await api.request('POST', '/api/canned-responses', { token: tokens.admin, body: { shortcut: 'zz-temp', title: 'Temp', body: 'Temporary.' } })
    ).body.cannedResponse;
    expect(await api.request('PATCH', `/api/canned-responses/${created.id}`, { token: tokens.admin, body: { title: 'Changed' } })).toMatchObject({
      status: 200,
      body: { cannedResponse: { title: 'Changed' } },
    });
    expect(await api.request('PATCH', `/api/canned-responses/${created.id}`, { token: tokens.admin, body: {} })).toMatchObject({ status: 400 });
    expect((await api.request('DELETE', `/api/canned-responses/${created.id}`, { token: tokens.admin })).status).toBe(204);
    expect(shortcutsOf((await api.request('GET', '/api/canned-responses?q=zz-temp', { token: tokens.admin })).body)).toEqual([]);
  });
});
