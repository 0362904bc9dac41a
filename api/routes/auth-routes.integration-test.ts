// Sign-in in-process (test/support/in-process-api.ts), with a clock the test moves: one answer for
// an unknown email and a wrong password, the lockout and its end, refresh and sign-out, no-store.
// Per-address limits and lockouts across addresses: test/sign-in.integration-test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../prisma/demo-data.js';
import { demoStaff } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let clock = new Date('2026-06-01T09:00:00Z');
const minute = 60_000;

beforeAll(async () => {
  api = await startInProcessApi({ security: { now: () => clock, lockout: { maxFailures: 3, lockMs: 10 * minute, windowMs: 15 * minute } } });
});
afterAll(() => api?.stop());

const login = (email: string, password: string) => api.request('POST', '/api/auth/login', { body: { email, password } });

describe('POST /api/auth/login', () => {
  it('answers an unknown email exactly like a wrong password', async () => {
    const unknown = await login('nobody@seamless.local', 'whatever');
    const wrong = await login(demoStaff.lina, 'whatever');
    expect(unknown).toEqual(wrong);
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials' } } });
  });

  it('locks the email after repeated failures, refusing even the right password until the lock ends', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await login(demoStaff.expert, 'wrong')).status).toBe(401);
    const response = await fetch(`${api.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: demoStaff.expert, password: demoPassword }),
    });
    expect(response.status).toBe(423);
    expect(response.headers.get('retry-after')).toBe('600');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('account_locked');

    clock = new Date(clock.getTime() + 10 * minute + 1000);
    expect((await login(demoStaff.expert, demoPassword)).status).toBe(200);
  });

  it('normalises the email and validates the body', async () => {
    expect((await login('  AGENT@Seamless.Local ', demoPassword)).status).toBe(200);
    expect(await api.request('POST', '/api/auth/login', { body: { email: 'not-an-email', password: '' } })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input' } },
    });
  });
});

describe('a session', () => {
  it('is never cached, refreshes, and ends at sign-out', async () => {
    const signedIn = await fetch(`${api.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: demoStaff.admin, password: demoPassword }),
    });
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    const { token } = (await signedIn.json()) as { token: string };
    expect(await api.request('GET', '/api/auth/me', { token })).toMatchObject({ status: 200, body: { user: { email: demoStaff.admin, role: 'admin' } } });
    expect((await api.request('POST', '/api/auth/refresh', { token })).body.expiresAt).toEqual(expect.any(String));
    expect((await api.request('POST', '/api/auth/logout', { token })).status).toBe(204);
    expect(await api.request('GET', '/api/auth/me', { token })).toMatchObject({ status: 401 });
  });
});
