// An email channel's IMAP polling (issue 17), admins only: read and replace its settings (the
// password write-only: the view says `passwordSet`), and test a login without saving anything.
import { Router } from 'express';
import { idParams } from '../../contract/requests/common.js';
import { imapSettingsBody, imapTestBody } from '../../contract/requests/imap.js';
import { requireAdmin } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { readImapSettings, saveImapSettings, testImapSettings } from '../services/email/imap-settings.js';
import { parse } from '../validate.js';

export interface ImapRouteOptions {
  /** Bounds one connection attempt of a test (infra/email/inbound/imap-connect.ts); its default when absent. */
  testTimeoutMs?: number;
}

export function imapRoutes(deps: ApiDeps, options: ImapRouteOptions = {}): Router {
  const router = Router();
  const path = '/api/channels/:id/imap';

  /** → `{ imap }`: the settings and health, null until set. */
  router.get(path, async (req, res) => {
    requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    res.json({ imap: await readImapSettings(deps, id) });
  });

  /** The whole settings (password optional once stored) → `{ imap }`; the poller starts, or looks again, or ends. */
  router.put(path, async (req, res) => {
    const admin = requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const body = parse(imapSettingsBody, req.body ?? {});
    res.json({ imap: await saveImapSettings(deps, admin.userId, id, body) });
  });

  /** Logs in (stored settings, any field replaced by the body) → `{ ok: true, mailbox }` or `{ ok: false, code, message }`. */
  router.post(`${path}/test`, async (req, res) => {
    requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const body = parse(imapTestBody, req.body ?? {});
    res.set('Cache-Control', 'no-store').json(await testImapSettings(deps, id, body, options.testTimeoutMs));
  });
  return router;
}
