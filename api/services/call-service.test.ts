// The ICE servers a call's parties get, from the API's environment (infra/env.ts parses it).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../infra/env.js';
import { callIceServers, callSettingsFromEnvironment } from './call-service.js';

const settingsOf = (variables: Record<string, string>) => callSettingsFromEnvironment(parseEnv(variables));

describe('call ICE servers', () => {
  it('are none without settings: host candidates only, as the local demo runs', () => {
    expect(callIceServers(settingsOf({}), 'call-1')).toEqual([]);
  });

  it('give each call its own short-lived TURN password with a coturn secret', () => {
    const settings = settingsOf({
      CALL_STUN_URLS: 'stun:stun.example.com:3478, stun:stun2.example.com:3478',
      CALL_TURN_URLS: 'turn:turn.example.com:3478',
      CALL_TURN_SECRET: 'coturn-secret',
      CALL_TURN_TTL_SECONDS: '600',
    });
    const now = Date.UTC(2026, 11, 7, 12, 0, 0);
    const username = `${now / 1000 + 600}:call-1`;
    expect(callIceServers(settings, 'call-1', now)).toEqual([
      { urls: ['stun:stun.example.com:3478', 'stun:stun2.example.com:3478'] },
      { urls: ['turn:turn.example.com:3478'], username, credential: createHmac('sha1', 'coturn-secret').update(username).digest('base64') },
    ]);
  });

  it('use one fixed TURN user without a secret', () => {
    const settings = settingsOf({ CALL_TURN_URLS: 'turn:turn.example.com:3478', CALL_TURN_USERNAME: 'seamless', CALL_TURN_CREDENTIAL: 'pass' });
    expect(callIceServers(settings, 'call-1')).toEqual([{ urls: ['turn:turn.example.com:3478'], username: 'seamless', credential: 'pass' }]);
  });

  it('refuse a TURN password lifetime that is not a whole number of seconds at start', () => {
    expect(() => parseEnv({ CALL_TURN_TTL_SECONDS: 'an hour' })).toThrow(/CALL_TURN_TTL_SECONDS/);
  });
});
