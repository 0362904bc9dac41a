// The signed-in person's own settings and account: presence, where colleagues mentioned them,
// password, two-factor sign-in, sessions, language, colour theme; and an admin's reset of someone's two-factor.
import { Router, type Request } from 'express';
import {
  changePasswordBody,
  confirmTwoFactorBody,
  disableTwoFactorBody,
  localeBody,
  notificationPreferencesBody,
  regenerateRecoveryCodesBody,
  sessionParams,
  themeBody,
} from '../../contract/requests/account.js';
import { emptyBody, idParams } from '../../contract/requests/common.js';
import { presenceBody } from '../../contract/requests/users.js';
import { bearerToken, requireAdmin, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { resolveSecurity } from '../security/security-options.js';
import { changeOwnPassword, listOwnSessions, ownTheme, revokeOwnSessions, setOwnLocale, setOwnTheme } from '../services/account-service.js';
import { mentionsOf } from '../services/mention-service.js';
import { notificationPreferencesOf, setNotificationPreferences } from '../services/notification-preferences.js';
import {
  beginTwoFactorEnrolment,
  confirmTwoFactor,
  disableTwoFactor,
  regenerateRecoveryCodes,
  resetTwoFactorOf,
  twoFactorStatus,
  type TwoFactorContext,
} from '../services/two-factor-service.js';
import { setPresence, toUserView } from '../services/user-service.js';
import { parse } from '../validate.js';

/** Secrets, recovery codes and who is signed in where must not stay in a browser's or a proxy's cache. */
const noStore = { 'Cache-Control': 'no-store' };

export function meRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { lockout, now } = resolveSecurity(deps.security);
  const context = (req: Request): TwoFactorContext => ({ db: deps.db, secret: deps.secret, ip: req.ip ?? 'unknown', lockout, now: now() });

  router.put('/api/me/presence', async (req, res) => {
    const { userId } = requireUser(res);
    const { presence } = parse(presenceBody, req.body);
    const user = await setPresence(deps, userId, presence);
    res.json({ user: toUserView(user) });
  });

  /** Where colleagues @mentioned me, newest first (the console's bell). */
  router.get('/api/me/mentions', async (_req, res) => {
    res.json({ mentions: await mentionsOf(deps.db, requireUser(res)) });
  });

  /** The console's language, kept with the account so it follows the person to another browser. */
  router.put('/api/me/locale', async (req, res) => {
    const { userId } = requireUser(res);
    const { locale } = parse(localeBody, req.body);
    res.json({ user: toUserView(await setOwnLocale(deps.db, userId, locale)) });
  });

  /** What the console notifies me of (desktop notifications, sound, which kinds), kept with the account. */
  router.get('/api/me/notifications', async (_req, res) => {
    res.json({ preferences: await notificationPreferencesOf(deps.db, requireUser(res).userId) });
  });

  router.put('/api/me/notifications', async (req, res) => {
    const { userId } = requireUser(res);
    const preferences = parse(notificationPreferencesBody, req.body);
    res.json({ preferences: await setNotificationPreferences(deps.db, userId, preferences) });
  });

  /** The console's colour theme, kept with the account so it follows the person to another browser (null: not chosen yet). */
  router.get('/api/me/theme', async (_req, res) => {
    res.json({ theme: await ownTheme(deps.db, requireUser(res).userId) });
  });

  router.put('/api/me/theme', async (req, res) => {
    const { userId } = requireUser(res);
    const { theme } = parse(themeBody, req.body);
    res.json({ theme: await setOwnTheme(deps.db, userId, theme) });
  });

  // The current password is required; the other sessions end, this one stays.
  router.put('/api/me/password', async (req, res) => {
    const { userId } = requireUser(res);
    const input = parse(changePasswordBody, req.body);
    res.json(await changeOwnPassword(context(req), { userId, sessionToken: bearerToken(req)!, ...input }));
  });

  router.get('/api/me/two-factor', async (_req, res) => {
    res.set(noStore);
    const { userId } = requireUser(res);
    res.json({ twoFactor: await twoFactorStatus(deps.db, userId) });
  });

  // A new secret, as a QR code and as text; not in force until confirmed with a code.
  router.post('/api/me/two-factor/enrolment', async (req, res) => {
    res.set(noStore);
    const { userId } = requireUser(res);
    parse(emptyBody, req.body ?? {});
    res.json({ enrolment: await beginTwoFactorEnrolment(deps, userId) });
  });

  router.post('/api/me/two-factor/confirm', async (req, res) => {
    res.set(noStore);
    const { userId } = requireUser(res);
    const input = parse(confirmTwoFactorBody, req.body);
    res.json(await confirmTwoFactor(context(req), userId, input));
  });

  router.post('/api/me/two-factor/disable', async (req, res) => {
    const { userId } = requireUser(res);
    const { password, code, recoveryCode } = parse(disableTwoFactorBody, req.body);
    await disableTwoFactor(context(req), userId, code !== undefined ? { password, code } : { password, recoveryCode: recoveryCode! });
    res.status(204).end();
  });

  router.post('/api/me/two-factor/recovery-codes', async (req, res) => {
    res.set(noStore);
    const { userId } = requireUser(res);
    const { password } = parse(regenerateRecoveryCodesBody, req.body);
    res.json(await regenerateRecoveryCodes(context(req), userId, password));
  });

  router.get('/api/me/sessions', async (req, res) => {
    res.set(noStore);
    const { userId } = requireUser(res);
    res.json({ sessions: await listOwnSessions(deps.db, userId, bearerToken(req)!, now()) });
  });

  // Registered before /:sessionId so "others" is never read as an id.
  router.post('/api/me/sessions/revoke-others', async (req, res) => {
    const { userId } = requireUser(res);
    parse(emptyBody, req.body ?? {});
    res.json({ revoked: await revokeOwnSessions(context(req), { userId, sessionToken: bearerToken(req)!, which: 'others' }) });
  });

  router.delete('/api/me/sessions/:sessionId', async (req, res) => {
    const { userId } = requireUser(res);
    const { sessionId } = parse(sessionParams, req.params, 'path');
    await revokeOwnSessions(context(req), { userId, sessionToken: bearerToken(req)!, which: { sessionId } });
    res.status(204).end();
  });

  // An admin turns another person's two-factor sign-in off (a lost phone and lost recovery codes).
  router.delete('/api/users/:id/two-factor', async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    await resetTwoFactorOf(context(req), { adminId: admin.userId, userId: id });
    res.status(204).end();
  });

  return router;
}
