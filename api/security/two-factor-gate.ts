// Enforced two-factor sign-in for admins: while the organisation requires it (Settings → Security)
// an admin who has not set it up may only set it up. Every other API route answers 403
// `two_factor_required` — checked here on the server, so a script with the admin's token is held
// back as the console is. Agents, visitors and API keys are not affected.
import type { RequestHandler } from 'express';
import type { Principal } from '../../infra/auth/principal.js';
import type { Db } from '../../infra/db.js';
import { HttpError } from '../http-error.js';
import { twoFactorSetupRequired } from '../services/two-factor-service.js';

/** What an admin held back may still call: the session itself, setting up two-factor, their language. */
const allowed = [/^\/api\/auth\//, /^\/api\/me\/two-factor(\/|$)/, /^\/api\/me\/locale$/];

export function twoFactorGate(db: Db): RequestHandler {
  return (req, res, next) => {
    const principal = res.locals.principal as Principal | null | undefined;
    if (principal?.kind !== 'user' || principal.role !== 'admin' || allowed.some((path) => path.test(req.path))) return next();
    twoFactorSetupRequired(db, principal.userId).then(
      (required) =>
        next(required ? new HttpError(403, 'two_factor_required', 'Set up two-factor sign-in first: this organisation requires it of admins.') : undefined),
      next,
    );
  };
}
