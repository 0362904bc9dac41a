// Integration API keys (docs/PERMISSIONS.md, "integration"): admins create, list and revoke
// them. A key is shown once, in the 201 answer to its creation.
import { Router } from 'express';
import { createApiKeyBody } from '../../contract/requests/api-keys.js';
import { requireAdmin } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/api-key-service.js';
import { parse } from '../validate.js';
import { deleteRoute, readRoute } from './admin-writes.js';

export function apiKeyRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.post('/api/api-keys', async (req, res) => {
    const admin = requireAdmin(res);
    const input = parse(createApiKeyBody, req.body ?? {});
    const { key, apiKey } = await createApiKey(deps.db, admin.userId, input);
    // Never cached anywhere on the way: this answer holds the only copy of the key.
    res.set('Cache-Control', 'no-store');
    res.status(201).json({ key, apiKey });
  });

  readRoute(router, '/api/api-keys', 'admins', 'apiKeys', () => listApiKeys(deps.db));
  deleteRoute(router, '/api/api-keys', (adminId, id) => revokeApiKey(deps.db, adminId, id));

  return router;
}
