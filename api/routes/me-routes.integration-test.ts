// A person's own account over the real API with its WebSocket server (test/support/system.ts):
// changing the password (current one required, the policy, other sessions and their sockets
// ended), two-factor sign-in (enrol, a code at sign-in, no replay, recovery codes once), the
// enforcement for admins, and the sessions page. The clock the codes and the lockout read is the
// test's: it moves by TOTP steps instead of waiting.
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../infra/auth/passwords.js';
import { sessionEndedCloseCode, twoFactorRequiredCloseCode } from '../../realtime/realtime-server.js';
import { upgradeStatus } from '../../test/support/socket-client.js';
import { startSystem, type TestSystem } from '../../test/support/system.js';

let system: TestSystem;
let clockOffsetMs = 0;
const now = () => new Date(Date.now() + clockOffsetMs);
/** Moves the clock to the next 30-second TOTP step. */
const nextStep = () => (clockOffsetMs += 30_000);

const password = 'correct horse battery staple 42';

beforeAll(async () => {
  system = await startSystem({ inProcessWorker: false, security: { now, rateLimits: { login: { limit: 0, windowMs: 60_000 } } } });
});
afterAll(async () => {
  await system?.stop();
});

let people = 0;
/** A new person of the team with `password`, so each test starts from a clean account. */
async function newPerson(role: 'agent' | 'admin' = 'agent') {
  people += 1;
  const email = `account-${people}-${Date.now()}@seamless.local`;
  const user = await system.db.user.create({ data: { email, name: `Account Tester ${people}`, passwordHash: await hashPassword(password), role } });
  return { id: user.id, email };
}

const login = (email: string, secret = password) => system.request('POST', '/api/auth/login', { body: { email, password: secret } });
async function tokenOf(email: string): Promise<string> {
  const response = await login(email);
  expect(response.status).toBe(200);
  return response.body.token as string;
}
const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(now().getTime() / 1000) });
const auditOf = (type: string, userId: string) => system.db.event.findMany({ where: { type, actorId: userId } });

describe('changing one’s own password', () => {
  it('requires the current password and a good new one, ends the other sessions and their sockets, keeps this one', async () => {
    const person = await newPerson();
    const here = await tokenOf(person.email);
    const elsewhere = await tokenOf(person.email);
    const socket = await system.socket(elsewhere);
    const change = (body: unknown) => system.request('PUT', '/api/me/password', { token: here, body });

    const wrong = await change({ currentPassword: 'not my password', newPassword: 'a brand new long passphrase 7' });
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: 'wrong_password' } } });
    expect(await change({ currentPassword: password, newPassword: 'short9' })).toMatchObject({
      status: 400,
      body: { error: { code: 'password_too_short' } },
    });
    expect(await change({ currentPassword: password, newPassword: 'Password1234!' })).toMatchObject({
      status: 400,
      body: { error: { code: 'password_too_common' } },
    });
    // Refused changes changed nothing: both sessions still work.
    expect((await system.request('GET', '/api/auth/me', { token: elsewhere })).status).toBe(200);

    const changed = await change({ currentPassword: password, newPassword: 'a brand new long passphrase 7' });
    expect(changed).toMatchObject({ status: 200, body: { sessionsRevoked: 1 } });
    expect(await socket.closed).toEqual({ code: sessionEndedCloseCode, reason: 'session revoked' });
    expect((await system.request('GET', '/api/auth/me', { token: elsewhere })).status).toBe(401);
    expect((await system.request('GET', '/api/auth/me', { token: here })).status).toBe(200);
    expect((await login(person.email)).status).toBe(401);
    expect((await login(person.email, 'a brand new long passphrase 7')).status).toBe(200);
    const [audit] = await auditOf('user.password_changed', person.id);
    expect(audit?.payload).toMatchObject({ userId: person.id, email: person.email, sessionsRevoked: 1 });
    expect(JSON.stringify(audit?.payload)).not.toContain('passphrase');
  });

  it('counts wrong current passwords toward the sign-in lock', async () => {
    const person = await newPerson();
    const token = await tokenOf(person.email);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(
        (await system.request('PUT', '/api/me/password', { token, body: { currentPassword: 'guess', newPassword: 'another long passphrase 99' } })).status,
      ).toBe(400);
    }
    expect(
      await system.request('PUT', '/api/me/password', { token, body: { currentPassword: password, newPassword: 'another long passphrase 99' } }),
    ).toMatchObject({
      status: 423,
      body: { error: { code: 'account_locked' } },
    });
    expect((await login(person.email)).status).toBe(423);
  });
});

describe('two-factor sign-in', () => {
  it('enrols, then asks for a code at sign-in: wrong refused, right accepted once, a recovery code works once', async () => {
    const person = await newPerson();
    const token = await tokenOf(person.email);
    const enrolment = await system.request('POST', '/api/me/two-factor/enrolment', { token, body: {} });
    expect(enrolment.status).toBe(200);
    const { secret, uri, qrCode } = enrolment.body.enrolment as { secret: string; uri: string; qrCode: string };
    expect(uri).toContain(`secret=${secret}`);
    expect(qrCode).toMatch(/^data:image\/png;base64,/);
    // Stored sealed, never as the text shown.
    const stored = await system.db.user.findUniqueOrThrow({ where: { id: person.id } });
    expect(Buffer.from(stored.twoFactorSecret!).toString('latin1')).not.toContain(secret);
    // Not in force before it is confirmed.
    expect((await login(person.email)).body.token).toEqual(expect.any(String));

    // The password is asked too: an open session alone cannot put another phone on the account.
    expect(await system.request('POST', '/api/me/two-factor/confirm', { token, body: { password: 'not mine', code: await codeAt(secret) } })).toMatchObject({
      status: 400,
      body: { error: { code: 'wrong_password' } },
    });
    expect(await system.request('POST', '/api/me/two-factor/confirm', { token, body: { password, code: '000000' } })).toMatchObject({
      status: 400,
      body: { error: { code: expect.stringMatching(/invalid_code|code_already_used/) } },
    });
    const confirmed = await system.request('POST', '/api/me/two-factor/confirm', { token, body: { password, code: await codeAt(secret) } });
    expect(confirmed.status).toBe(200);
    const recoveryCodes = confirmed.body.recoveryCodes as string[];
    expect(recoveryCodes).toHaveLength(10);
    expect(await system.request('GET', '/api/me/two-factor', { token })).toMatchObject({
      status: 200,
      body: { twoFactor: { enabled: true, recoveryCodesLeft: 10 } },
    });
    expect(await auditOf('user.two_factor_enabled', person.id)).toHaveLength(1);

    // The password alone no longer signs in: a challenge, no session.
    nextStep();
    const first = await login(person.email);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ twoFactorRequired: true, challenge: expect.any(String) });
    expect(first.body.token).toBeUndefined();
    const second = (body: object) => system.request('POST', '/api/auth/login/two-factor', { body: { challenge: first.body.challenge, ...body } });

    const right = await codeAt(secret);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    expect(await second({ code: wrong })).toMatchObject({ status: 401, body: { error: { code: 'invalid_code' } } });
    const signedIn = await second({ code: right });
    expect(signedIn.status).toBe(200);
    expect((await system.request('GET', '/api/auth/me', { token: signedIn.body.token })).status).toBe(200);
    // The same code again, still within its window: refused.
    expect(await second({ code: right })).toMatchObject({ status: 401, body: { error: { code: 'code_already_used' } } });
    // A forged challenge gets nowhere.
    expect(await system.request('POST', '/api/auth/login/two-factor', { body: { challenge: `${first.body.challenge}x`, code: right } })).toMatchObject({
      status: 400,
      body: { error: { code: 'challenge_expired' } },
    });

    // A recovery code instead of the app: once.
    const recovery = recoveryCodes[0]!.toUpperCase();
    expect((await second({ recoveryCode: recovery })).status).toBe(200);
    expect(await second({ recoveryCode: recovery })).toMatchObject({ status: 401, body: { error: { code: 'invalid_code' } } });
    const [used] = await auditOf('user.recovery_code_used', person.id);
    expect(used?.payload).toMatchObject({ remaining: 9 });
  });

  it('does not finish the sign-in of an account deactivated between the two steps', async () => {
    const person = await newPerson();
    const token = await tokenOf(person.email);
    const { secret } = (await system.request('POST', '/api/me/two-factor/enrolment', { token, body: {} })).body.enrolment as { secret: string };
    expect((await system.request('POST', '/api/me/two-factor/confirm', { token, body: { password, code: await codeAt(secret) } })).status).toBe(200);
    nextStep();
    const { challenge } = (await login(person.email)).body as { challenge: string };
    await system.db.user.update({ where: { id: person.id }, data: { deactivatedAt: new Date() } });
    expect(await system.request('POST', '/api/auth/login/two-factor', { body: { challenge, code: await codeAt(secret) } })).toMatchObject({
      status: 403,
      body: { error: { code: 'account_deactivated' } },
    });
  });

  it('locks code guessing like password guessing', async () => {
    const person = await newPerson();
    const token = await tokenOf(person.email);
    const { secret } = (await system.request('POST', '/api/me/two-factor/enrolment', { token, body: {} })).body.enrolment as { secret: string };
    expect((await system.request('POST', '/api/me/two-factor/confirm', { token, body: { password, code: await codeAt(secret) } })).status).toBe(200);
    nextStep();
    const { challenge } = (await login(person.email)).body as { challenge: string };
    const right = await codeAt(secret);
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await system.request('POST', '/api/auth/login/two-factor', { body: { challenge, code: wrong } })).status).toBe(401);
    }
    expect(await system.request('POST', '/api/auth/login/two-factor', { body: { challenge, code: right } })).toMatchObject({
      status: 423,
      body: { error: { code: 'account_locked' } },
    });
  });

  it('is turned off with the password and a code, and new recovery codes replace the old', async () => {
    const person = await newPerson();
    const token = await tokenOf(person.email);
    const { secret } = (await system.request('POST', '/api/me/two-factor/enrolment', { token, body: {} })).body.enrolment as { secret: string };
    const { recoveryCodes } = (await system.request('POST', '/api/me/two-factor/confirm', { token, body: { password, code: await codeAt(secret) } })).body as {
      recoveryCodes: string[];
    };
    const fresh = await system.request('POST', '/api/me/two-factor/recovery-codes', { token, body: { password } });
    expect(fresh.status).toBe(200);
    expect(fresh.body.recoveryCodes).not.toContain(recoveryCodes[0]);
    expect(await auditOf('user.recovery_codes_regenerated', person.id)).toHaveLength(1);

    nextStep();
    const disable = (body: object) => system.request('POST', '/api/me/two-factor/disable', { token, body });
    expect(await disable({ password: 'wrong', code: await codeAt(secret) })).toMatchObject({ status: 400, body: { error: { code: 'wrong_password' } } });
    // An old recovery code no longer counts.
    expect(await disable({ password, recoveryCode: recoveryCodes[0] })).toMatchObject({ status: 400, body: { error: { code: 'invalid_code' } } });
    expect((await disable({ password, code: await codeAt(secret) })).status).toBe(204);
    expect(await auditOf('user.two_factor_disabled', person.id)).toHaveLength(1);
    expect((await login(person.email)).body.token).toEqual(expect.any(String));
  });

  it('is turned off for someone else by an admin (a lost phone), not by an agent', async () => {
    const person = await newPerson();
    const admin = await newPerson('admin');
    const token = await tokenOf(person.email);
    const { secret } = (await system.request('POST', '/api/me/two-factor/enrolment', { token, body: {} })).body.enrolment as { secret: string };
    expect((await system.request('POST', '/api/me/two-factor/confirm', { token, body: { password, code: await codeAt(secret) } })).status).toBe(200);
    expect((await login(person.email)).body.twoFactorRequired).toBe(true);

    const agentToken = await tokenOf((await newPerson()).email);
    expect((await system.request('DELETE', `/api/users/${person.id}/two-factor`, { token: agentToken })).status).toBe(403);
    const adminToken = await tokenOf(admin.email);
    expect(await system.request('DELETE', `/api/users/${admin.id}/two-factor`, { token: adminToken })).toMatchObject({
      status: 409,
      body: { error: { code: 'own_account' } },
    });
    expect((await system.request('DELETE', `/api/users/${person.id}/two-factor`, { token: adminToken })).status).toBe(204);
    expect((await login(person.email)).body.token).toEqual(expect.any(String));
    expect(await system.db.recoveryCode.count({ where: { userId: person.id } })).toBe(0);
    const [audit] = await system.db.event.findMany({ where: { type: 'user.two_factor_disabled', actorId: admin.id } });
    expect(audit?.payload).toMatchObject({ userId: person.id });
    expect(await system.request('DELETE', `/api/users/${person.id}/two-factor`, { token: adminToken })).toMatchObject({
      status: 409,
      body: { error: { code: 'two_factor_not_enabled' } },
    });
  });
});

describe('two-factor required of admins', () => {
  it('holds an admin without it to setting it up, on the server, until they have', async () => {
    const admin = await newPerson('admin');
    const colleague = await newPerson('admin');
    const agent = await newPerson('agent');
    const adminToken = await tokenOf(admin.email);
    const colleagueEarlier = await system.socket(await tokenOf(colleague.email));
    const setting = await system.request('PATCH', '/api/settings/security', { token: adminToken, body: { adminsRequireTwoFactor: true } });
    try {
      expect(setting).toMatchObject({ status: 200, body: { security: { adminsRequireTwoFactor: true } } });
      // A socket the colleague opened before is closed: no events until they have set it up.
      expect(await colleagueEarlier.closed).toEqual({ code: twoFactorRequiredCloseCode, reason: 'two-factor sign-in required' });

      const signedIn = await login(colleague.email);
      expect(signedIn.body).toMatchObject({ token: expect.any(String), twoFactorSetupRequired: true });
      const token = signedIn.body.token as string;
      expect(await system.request('GET', '/api/users', { token })).toMatchObject({ status: 403, body: { error: { code: 'two_factor_required' } } });
      expect((await system.request('GET', '/api/conversations', { token })).body.error.code).toBe('two_factor_required');
      expect(await system.request('GET', '/api/auth/me', { token })).toMatchObject({ status: 200, body: { twoFactorSetupRequired: true } });
      // Nor are events sent to it over the WebSocket.
      expect(await upgradeStatus(system.url, `?token=${token}`)).toBe(403);
      // Agents are not held back.
      expect((await system.request('GET', '/api/conversations', { token: await tokenOf(agent.email) })).status).toBe(200);

      const { secret } = (await system.request('POST', '/api/me/two-factor/enrolment', { token, body: {} })).body.enrolment as { secret: string };
      expect((await system.request('POST', '/api/me/two-factor/confirm', { token, body: { password, code: await codeAt(secret) } })).status).toBe(200);
      expect((await system.request('GET', '/api/users', { token })).status).toBe(200);
      expect(await upgradeStatus(system.url, `?token=${token}`)).toBe(101);
      expect(await system.request('GET', '/api/auth/me', { token })).toMatchObject({ body: { twoFactorSetupRequired: false } });
      // And may not turn it off while it is required.
      nextStep();
      expect(await system.request('POST', '/api/me/two-factor/disable', { token, body: { password, code: await codeAt(secret) } })).toMatchObject({
        status: 409,
        body: { error: { code: 'two_factor_enforced' } },
      });
    } finally {
      await system.db.organization.update({
        where: { id: 1 },
        data: {
          settings: {
            ...((await system.db.organization.findUniqueOrThrow({ where: { id: 1 } })).settings as object),
            security: { adminsRequireTwoFactor: false },
          },
        },
      });
    }
  });
});

describe('the sessions page', () => {
  it('lists one’s sessions with this one marked, revokes one (closing its socket) and all others', async () => {
    const person = await newPerson();
    const here = await tokenOf(person.email);
    const second = await tokenOf(person.email);
    const third = await tokenOf(person.email);
    const other = await newPerson();
    const stranger = await tokenOf(other.email);

    const listed = await system.request('GET', '/api/me/sessions', { token: here });
    expect(listed.status).toBe(200);
    const sessions = listed.body.sessions as { id: string; current: boolean; userAgent: string | null; ip: string | null }[];
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ userAgent: expect.any(String), ip: expect.any(String) });

    // Someone else's session is not mine to end.
    const strangers = (await system.request('GET', '/api/me/sessions', { token: stranger })).body.sessions as { id: string }[];
    expect((await system.request('DELETE', `/api/me/sessions/${strangers[0]!.id}`, { token: here })).status).toBe(404);
    expect((await system.request('GET', '/api/auth/me', { token: stranger })).status).toBe(200);

    // The newest first: `third`, then `second`.
    const socket = await system.socket(third);
    expect((await system.request('DELETE', `/api/me/sessions/${sessions[0]!.id}`, { token: here })).status).toBe(204);
    expect(await socket.closed).toEqual({ code: sessionEndedCloseCode, reason: 'session revoked' });
    expect((await system.request('GET', '/api/auth/me', { token: third })).status).toBe(401);

    expect(await system.request('POST', '/api/me/sessions/revoke-others', { token: here, body: {} })).toMatchObject({ status: 200, body: { revoked: 1 } });
    expect((await system.request('GET', '/api/auth/me', { token: second })).status).toBe(401);
    expect((await system.request('GET', '/api/auth/me', { token: here })).status).toBe(200);
    expect((await system.request('GET', '/api/me/sessions', { token: here })).body.sessions).toHaveLength(1);
    expect(await auditOf('user.sessions_revoked', person.id)).toHaveLength(2);
  });

  it('keeps the language with the account', async () => {
    const person = await newPerson();
    const token = await tokenOf(person.email);
    expect(await system.request('PUT', '/api/me/locale', { token, body: { locale: 'zh-CN' } })).toMatchObject({
      status: 200,
      body: { user: { locale: 'zh-CN' } },
    });
    expect(await system.request('PUT', '/api/me/locale', { token, body: { locale: 'fr' } })).toMatchObject({ status: 400 });
    expect((await system.request('GET', '/api/auth/me', { token })).body.user.locale).toBe('zh-CN');
  });
});
