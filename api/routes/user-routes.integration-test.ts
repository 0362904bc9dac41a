// Staff routes in-process (test/support/in-process-api.ts): the team list, agents' routing
// profiles (admins), one's own presence, and the self-service settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string };
let alexId: string;

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'admin', 'agent');
  alexId = (await api.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id;
});
afterAll(() => api?.stop());

describe('users and teams', () => {
  it('lists every user by name, without password hashes', async () => {
    const answer = await api.request('GET', '/api/users', { token: tokens.agent });
    const names = answer.body.users.map((user: { name: string }) => user.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(JSON.stringify(answer.body)).not.toMatch(/passwordHash|\$argon|\$scrypt/);
    expect((await api.request('GET', '/api/teams', { token: tokens.agent })).body.teams.map((team: { name: string }) => team.name)).toEqual(
      expect.arrayContaining(['Frontline', 'Specialists']),
    );
  });

  it('lets an admin change an agent’s routing profile and tells the agent’s workflow', async () => {
    const answer = await api.request('PATCH', `/api/users/${alexId}`, { token: tokens.admin, body: { capacity: 7, skills: [' billing ', 'refunds'] } });
    expect(answer).toMatchObject({ status: 200, body: { user: { id: alexId, capacity: 7, skills: ['billing', 'refunds'] } } });
    expect(api.temporal.calls.filter((call) => call.workflowId.includes(alexId)).length).toBeGreaterThan(0);
  });

  it('refuses agents, empty changes and out-of-range values', async () => {
    expect(await api.request('PATCH', `/api/users/${alexId}`, { token: tokens.agent, body: { capacity: 50 } })).toMatchObject({ status: 403 });
    expect(await api.request('PATCH', `/api/users/${alexId}`, { token: tokens.admin, body: {} })).toMatchObject({
      status: 400,
      body: { error: { details: [{ message: 'Change at least one field.' }] } },
    });
    expect(await api.request('PATCH', `/api/users/${alexId}`, { token: tokens.admin, body: { capacity: 0, tier: 'guru' } })).toMatchObject({ status: 400 });
    expect((await api.db.user.findUniqueOrThrow({ where: { id: alexId } })).capacity).toBe(7);
  });
});

describe('me', () => {
  it('sets my presence, and refuses one that does not exist', async () => {
    expect(await api.request('PUT', '/api/me/presence', { token: tokens.agent, body: { presence: 'away' } })).toMatchObject({
      status: 200,
      body: { user: { presence: 'away' } },
    });
    expect(await api.request('PUT', '/api/me/presence', { token: tokens.agent, body: { presence: 'asleep' } })).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'presence' }] } },
    });
  });

  it('lists where I was mentioned (none yet)', async () => {
    expect(await api.request('GET', '/api/me/mentions', { token: tokens.agent })).toMatchObject({ status: 200, body: { mentions: [] } });
  });
});

describe('self-service settings', () => {
  it('agents read them; only admins change them, at least one field', async () => {
    expect(await api.request('GET', '/api/settings/self-service', { token: tokens.agent })).toMatchObject({
      status: 200,
      body: { selfService: { enabled: false } },
    });
    expect(await api.request('PATCH', '/api/settings/self-service', { token: tokens.agent, body: { enabled: true } })).toMatchObject({ status: 403 });
    expect(await api.request('PATCH', '/api/settings/self-service', { token: tokens.admin, body: {} })).toMatchObject({ status: 400 });
    expect(await api.request('PATCH', '/api/settings/self-service', { token: tokens.admin, body: { enabled: true } })).toMatchObject({
      status: 200,
      body: { selfService: { enabled: true } },
    });
  });
});
