// Integration API keys, as admins create them.
import { z } from 'zod';
import { apiScopeNames } from '../../domain/api-scopes.js';

/** POST /api/api-keys */
export const createApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z
    .array(z.enum(apiScopeNames))
    .min(1, 'Give the key at least one scope.')
    .max(apiScopeNames.length * 2),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyBody>;
