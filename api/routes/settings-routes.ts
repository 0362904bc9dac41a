// Run-time settings: self-service (the bot's switch, confidence threshold and patience). Agents
// may read them (the console shows whether the bot is on); only admins change them.
import { Router } from 'express';
import { recalibrateBody } from '../../contract/calibration.js';
import { securitySettingsChangesBody } from '../../contract/requests/account.js';
import { privacyChangesBody, selfServiceChangesBody } from '../../contract/requests/settings.js';
import { selfServiceDefaults } from '../../domain/self-service.js';
import { requireAdmin } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { readCalibration, requestRecalibration } from '../services/calibration-service.js';
import {
  changePrivacySettings,
  changeSecuritySettings,
  changeSelfServiceSettings,
  readPrivacySettings,
  readSecuritySettings,
  readSelfServiceSettings,
} from '../services/settings-service.js';
import { parse } from '../validate.js';
import { readRoute } from './admin-writes.js';

export function settingsRoutes(deps: ApiDeps): Router {
  const router = Router();

  // What no admin has set follows the server's defaults (EMAIL_AUTO_ANSWERS_PER_HOUR).
  const defaults = selfServiceDefaults(deps.inboundEmail?.autoAnswersPerHour);
  readRoute(router, '/api/settings/self-service', 'users', 'selfService', () => readSelfServiceSettings(deps.db, defaults));

  router.patch('/api/settings/self-service', async (req, res) => {
    const admin = requireAdmin(res);
    const changes = parse(selfServiceChangesBody, req.body ?? {});
    res.json({ selfService: await changeSelfServiceSettings(deps.db, changes, admin.userId, defaults) });
  });

  // The bot's calibration on this knowledge base and what the threshold would do (admins only),
  // and "recalibrate now": 202, the calibration workflow runs it (api/services/calibration-service.ts).
  readRoute(router, '/api/settings/self-service/calibration', 'admins', 'calibration', () => readCalibration(deps, defaults));

  router.post('/api/settings/self-service/calibration/recalibrate', async (req, res) => {
    requireAdmin(res);
    parse(recalibrateBody, req.body ?? {});
    await requestRecalibration(deps);
    res.status(202).json({ requested: true });
  });

  // Sign-in rules (two-factor for admins): admins only, to read and to change.
  readRoute(router, '/api/settings/security', 'admins', 'security', () => readSecuritySettings(deps.db));

  router.patch('/api/settings/security', async (req, res) => {
    const admin = requireAdmin(res);
    const changes = parse(securitySettingsChangesBody, req.body ?? {});
    res.json({ security: await changeSecuritySettings(deps.db, changes, admin.userId) });
  });

  // Privacy (how long silent widget visitors are kept): admins only, to read and to change.
  readRoute(router, '/api/settings/privacy', 'admins', 'privacy', () => readPrivacySettings(deps.db));

  router.patch('/api/settings/privacy', async (req, res) => {
    const admin = requireAdmin(res);
    const changes = parse(privacyChangesBody, req.body ?? {});
    res.json({ privacy: await changePrivacySettings(deps.db, changes, admin.userId) });
  });

  return router;
}
