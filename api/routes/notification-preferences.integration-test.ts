// A person's notification preferences (GET / PUT /api/me/notifications) in-process: the defaults
// before any choice, a choice kept with the account and for that person only, malformed input
// refused with nothing changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultNotificationPreferences } from '../../contract/requests/account.js';
import { signIn } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { wangwei: string; expert: string };

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'wangwei', 'expert');
});
afterAll(() => api?.stop());

const preferencesOf = async (token: string) => {
  const answer = await api.request('GET', '/api/me/notifications', { token });
  expect(answer.status).toBe(200);
  return answer.body.preferences;
};

describe('/api/me/notifications', () => {
  it('starts from the defaults and keeps a choice for its person only', async () => {
    expect(await preferencesOf(tokens.wangwei)).toEqual(defaultNotificationPreferences);
    const chosen = { desktop: true, sound: true, assigned: true, mention: false, customerMessage: true, slaWarning: false };
    const saved = await api.request('PUT', '/api/me/notifications', { token: tokens.wangwei, body: chosen });
    expect(saved.status).toBe(200);
    expect(saved.body.preferences).toEqual(chosen);
    expect(await preferencesOf(tokens.wangwei)).toEqual(chosen);
    expect(await preferencesOf(tokens.expert)).toEqual(defaultNotificationPreferences);
  });

  it('refuses a partial or malformed choice and changes nothing', async () => {
    const before = await preferencesOf(tokens.expert);
    for (const body of [{ desktop: true }, { ...defaultNotificationPreferences, sound: 'yes' }, { ...defaultNotificationPreferences, popup: true }]) {
      const refused = await api.request('PUT', '/api/me/notifications', { token: tokens.expert, body });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('invalid_input');
    }
    expect(await preferencesOf(tokens.expert)).toEqual(before);
  });
});
