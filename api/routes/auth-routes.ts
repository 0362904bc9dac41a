// Agent and admin sign-in: email + password → bearer session token.
import { Router } from 'express';
import { z } from 'zod';
import { createSession, revokeSession } from '../../infra/auth/sessions.js';
import { verifyPassword } from '../../infra/auth/passwords.js';
import { bearerToken, requireUser } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { HttpError } from '../http-error.js';
import { setPresence, toUserView } from '../services/user-service.js';
import { parse } from '../validate.js';

const loginBody = z.strictObject({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(1024),
});

export function authRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.post('/api/auth/login', async (req, res) => {
    const { email, password } = parse(loginBody, req.body);
    const user = await deps.db.user.findUnique({ where: { email } });
    // One answer for an unknown email and a wrong password: no account discovery.
    if (!user || !(await verifyPassword(user.passwordHash, password))) {
      throw new HttpError(401, 'invalid_credentials', 'The email or password is wrong.');
    }
    const session = await createSession(deps.db, user.id);
    // Signing in makes an offline agent available, as in Chatwoot and Intercom.
    const current = user.presence === 'offline' ? await setPresence(deps, user.id, 'online') : user;
    res.json({ token: session.token, expiresAt: session.expiresAt.toISOString(), user: toUserView(current) });
  });

  router.post('/api/auth/logout', async (req, res) => {
    requireUser(res);
    await revokeSession(deps.db, bearerToken(req)!);
    res.status(204).end();
  });

  router.get('/api/auth/me', async (_req, res) => {
    const { userId } = requireUser(res);
    const user = await deps.db.user.findUniqueOrThrow({ where: { id: userId } });
    res.json({ user: toUserView(user) });
  });

  return router;
}
