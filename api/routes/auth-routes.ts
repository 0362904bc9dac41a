// Agent and admin sign-in: email + password → bearer session token. Failed sign-ins lock the
// email for a while, per client address (infra/auth/login-lockout.ts); an unknown email is
// treated exactly like a wrong password, so neither the answer nor its timing tells whether an
// account exists. Sign-in, sign-out, failed sign-ins and lockouts go to the audit log.
// With two-factor sign-in on, the right password answers a short-lived signed challenge instead
// of a session, and POST /api/auth/login/two-factor trades it and a code (or a recovery code) for
// one; codes are throttled like passwords, under their own key (api/services/two-factor-service.ts).
import { Router, type Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { loginTwoFactorBody } from '../../contract/requests/account.js';
import { loginBody } from '../../contract/requests/auth.js';
import { beginLoginAttempt, recordLoginFailure, recordLoginSuccess, sweepLoginAttempts, type LockoutAudit } from '../../infra/auth/login-lockout.js';
import { createSession, refreshSession, revokeSession } from '../../infra/auth/sessions.js';
import { verifyPassword, verifyWithoutAccount } from '../../infra/auth/passwords.js';
import { challengeMatchesPassword, readTwoFactorChallenge, signTwoFactorChallenge } from '../../infra/auth/two-factor-challenge.js';
import type { User } from '../../prisma/generated/client.js';
import { bearerToken, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { findSignedInUser } from '../finders/user-finder.js';
import { HttpError } from '../http-error.js';
import { resolveSecurity } from '../security/security-options.js';
import { recordAuthEvent } from '../services/audit-service.js';
import { checkSecondFactor, codeRefusal, twoFactorSetupRequired } from '../services/two-factor-service.js';
import { setPresence, toUserView } from '../services/user-service.js';
import type { Tx } from '../../infra/db.js';
import { parse } from '../validate.js';

/** Rows of finished windows are dropped at most this often (per process). */
const sweepEveryMs = 10 * 60_000;

/** The client's address as the audit log records it (after TRUST_PROXY). */
const clientIp = (req: Request) => req.ip ?? 'unknown';

/** Tokens and who they belong to must not stay in a browser's or a proxy's cache. */
const noStore = { 'Cache-Control': 'no-store' };

export function authRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { lockout, now } = resolveSecurity(deps.security);
  let lastSweep = 0;

  /** The session of a complete sign-in, its audit event, and the agent made available. */
  async function signIn(req: Request, user: User, addressTrust?: (tx: Tx) => Promise<unknown>) {
    const ip = clientIp(req);
    const session = await deps.db.$transaction(async (tx) => {
      await addressTrust?.(tx);
      await recordAuthEvent(tx, { type: 'auth.signed_in', userId: user.id, email: user.email, ip });
      return createSession(tx, user.id, { userAgent: req.get('user-agent') ?? null, ip });
    });
    // Signing in makes an offline agent available, as in Chatwoot and Intercom.
    const current = user.presence === 'offline' ? await setPresence(deps, user.id, 'online') : user;
    return {
      token: session.token,
      expiresAt: session.expiresAt.toISOString(),
      user: toUserView(current),
      twoFactorSetupRequired: await twoFactorSetupRequired(deps.db, user.id),
    };
  }

  router.post('/api/auth/login', async (req, res) => {
    res.set(noStore);
    const { email, password } = parse(loginBody, req.body);
    const at = now();
    const ip = clientIp(req);
    // Counted per address the way the rate limiter counts it (IPv6 by /56), so one client
    // cannot dodge its own lock by walking its subnet.
    const source = { email, address: ipKeyGenerator(ip) };
    if (at.getTime() - lastSweep >= sweepEveryMs) {
      lastSweep = at.getTime();
      void sweepLoginAttempts(deps.db, at, lockout).catch((error) => deps.log('could not sweep old login attempts', error));
    }
    let userId: string | null = null;
    const audit: LockoutAudit = {
      failed: (tx) => recordAuthEvent(tx, { type: 'auth.sign_in_failed', email, ip, userId }),
      locked: (tx, lock) => recordAuthEvent(tx, { type: 'auth.locked_out', email, ip, scope: lock.scope, lockedUntil: lock.until, failures: lock.failures }),
    };
    // Counted before the password is checked: while locked, the right password gets this answer too.
    const attempt = await beginLoginAttempt(deps.db, source, at, lockout, audit);
    if (attempt.locked) {
      const seconds = Math.max(1, Math.ceil((attempt.until.getTime() - at.getTime()) / 1000));
      const minutes = Math.ceil(seconds / 60);
      res.set('Retry-After', String(seconds));
      throw new HttpError(
        423,
        'account_locked',
        `Too many failed sign-ins: signing in with this email is locked. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      );
    }
    const user = await deps.db.user.findUnique({ where: { email } });
    const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyWithoutAccount(password);
    if (!user || !valid) {
      userId = user?.id ?? null;
      await recordLoginFailure(deps.db, { ...source, countsForAccount: attempt.countsForAccount }, at, lockout, audit);
      // One answer for an unknown email and a wrong password: no account discovery.
      throw new HttpError(401, 'invalid_credentials', 'The email or password is wrong.');
    }
    // Only with the right password: a deactivated account is told so, a guess learns nothing.
    if (user.deactivatedAt) throw new HttpError(403, 'account_deactivated', 'This account has been deactivated: ask an admin to reactivate it.');
    const passwordAccepted = (tx: Tx) => recordLoginSuccess(tx, { ...source, countsForAccount: attempt.countsForAccount }, at, lockout);
    if (user.twoFactorEnabledAt) {
      // The password step is done (its attempt no longer counts); no session until the code.
      await deps.db.$transaction(passwordAccepted);
      const { challenge, expiresAt } = await signTwoFactorChallenge(deps.secret, user, at);
      res.json({ twoFactorRequired: true, challenge, expiresAt: expiresAt.toISOString() });
      return;
    }
    res.json(await signIn(req, user, passwordAccepted));
  });

  router.post('/api/auth/login/two-factor', async (req, res) => {
    res.set(noStore);
    const body = parse(loginTwoFactorBody, req.body);
    const at = now();
    const challenge = await readTwoFactorChallenge(deps.secret, body.challenge, at);
    const user = challenge ? await deps.db.user.findUnique({ where: { id: challenge.userId } }) : null;
    if (!challenge || !user || !user.twoFactorEnabledAt || !challengeMatchesPassword(challenge, user.passwordHash)) {
      // 400: the body's challenge is no longer (or never was) good; a wrong code is the 401.
      throw new HttpError(400, 'challenge_expired', 'This sign-in has expired: enter your email and password again.');
    }
    // Deactivated between the two steps: as at the password step.
    if (user.deactivatedAt) throw new HttpError(403, 'account_deactivated', 'This account has been deactivated: ask an admin to reactivate it.');
    const context = { db: deps.db, secret: deps.secret, ip: clientIp(req), lockout, now: at };
    const result = await checkSecondFactor(context, user, body.code !== undefined ? { code: body.code } : { recoveryCode: body.recoveryCode! });
    if (!result.ok) throw codeRefusal(result, 401);
    res.json(await signIn(req, user));
  });

  // Tokens lapse after an hour idle: the console renews while it is open, up to 12 h after sign-in.
  router.post('/api/auth/refresh', async (req, res) => {
    res.set(noStore);
    requireUser(res);
    const expiresAt = await refreshSession(deps.db, bearerToken(req)!);
    if (!expiresAt) throw new HttpError(401, 'session_expired', 'This session has reached its limit: sign in again.');
    res.json({ expiresAt: expiresAt.toISOString() });
  });

  router.post('/api/auth/logout', async (req, res) => {
    requireUser(res);
    const ip = clientIp(req);
    // The session row is marked revoked: REST and new WebSocket upgrades refuse the token at once.
    await revokeSession(deps.db, bearerToken(req)!, async (tx, session) => {
      const user = await tx.user.findUnique({ where: { id: session.userId }, select: { email: true } });
      await recordAuthEvent(tx, { type: 'auth.signed_out', userId: session.userId, email: user?.email ?? '', ip });
    });
    res.status(204).end();
  });

  router.get('/api/auth/me', async (_req, res) => {
    res.set(noStore);
    const { userId } = requireUser(res);
    res.json({ user: await findSignedInUser(deps.db, userId), twoFactorSetupRequired: await twoFactorSetupRequired(deps.db, userId) });
  });

  return router;
}
