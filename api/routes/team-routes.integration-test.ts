// Teams and business hours in-process (test/support/in-process-api.ts): what the admin pages
// write — names unique, time zones and calendars normalised, nothing deleted while in use.
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

describe('business hours', () => {
  it('store the canonical time zone, the week sorted and each holiday once', async () => {
    const created = await api.request('POST', '/api/business-hours', {
      token: tokens.admin,
      body: {
        name: 'Berlin desk',
        timeZone: 'europe/berlin',
        weekly: [
          { day: 2, open: '09:00', close: '17:00' },
          { day: 1, open: '09:00', close: '17:00' },
        ],
        holidays: ['2026-12-25', '2026-12-24', '2026-12-25'],
      },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { businessHours: { timeZone: 'Europe/Berlin', weekly: [{ day: 1 }, { day: 2 }], holidays: ['2026-12-24', '2026-12-25'] } },
    });
    expect(
      (await api.request('GET', '/api/business-hours', { token: tokens.agent })).body.businessHours.map((hours: { name: string }) => hours.name),
    ).toContain('Berlin desk');
  });

  it('refuse an unknown zone, a day that never closes and an impossible date, by path', async () => {
    const answer = await api.request('POST', '/api/business-hours', {
      token: tokens.admin,
      body: { name: 'Broken', timeZone: 'Mars/Olympus', weekly: [{ day: 1, open: '09:00', close: '09:00' }], holidays: ['2026-02-30'] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['holidays.0', 'timeZone', 'weekly.0.close']);
  });

  it('are not deleted while a team counts in them', async () => {
    const hours = (
      await api.request('POST', '/api/business-hours', {
        token: tokens.admin,
        body: { name: 'Used', timeZone: 'UTC', weekly: [{ day: 1, open: '00:00', close: '24:00' }] },
      })
    ).body.businessHours;
    const team = (await api.request('POST', '/api/teams', { token: tokens.admin, body: { name: 'Night shift', businessHoursId: hours.id } })).body.team;
    expect(await api.request('DELETE', `/api/business-hours/${hours.id}`, { token: tokens.admin })).toMatchObject({
      status: 409,
      body: { error: { code: 'business_hours_in_use' } },
    });
    expect((await api.request('PATCH', `/api/teams/${team.id}`, { token: tokens.admin, body: { businessHoursId: null } })).status).toBe(200);
    expect((await api.request('PATCH', `/api/business-hours/${hours.id}`, { token: tokens.admin, body: { name: 'Unused' } })).body.businessHours.name).toBe(
      'Unused',
    );
    expect((await api.request('DELETE', `/api/business-hours/${hours.id}`, { token: tokens.admin })).status).toBe(204);
  });
});

describe('teams', () => {
  it('have unique names, default to the junior tier, and are deleted only when empty', async () => {
    const team = (await api.request('POST', '/api/teams', { token: tokens.admin, body: { name: 'Weekend' } })).body.team;
    expect(team).toMatchObject({ tier: 'junior', leadId: null, memberCount: 0 });
    expect(await api.request('POST', '/api/teams', { token: tokens.admin, body: { name: 'Weekend' } })).toMatchObject({
      status: 409,
      body: { error: { code: 'team_name_taken' } },
    });
    const frontline = await api.db.team.findUniqueOrThrow({ where: { name: 'Frontline' } });
    expect(await api.request('DELETE', `/api/teams/${frontline.id}`, { token: tokens.admin })).toMatchObject({
      status: 409,
      body: { error: { code: 'team_in_use' } },
    });
    expect((await api.request('DELETE', `/api/teams/${team.id}`, { token: tokens.admin })).status).toBe(204);
  });

  it('are written by admins only', async () => {
    expect(await api.request('POST', '/api/teams', { token: tokens.agent, body: { name: 'Rogue' } })).toMatchObject({ status: 403 });
    expect(await api.request('POST', '/api/business-hours', { token: tokens.agent, body: { name: 'Rogue', timeZone: 'UTC', weekly: [] } })).toMatchObject({
      status: 403,
    });
  });
});
