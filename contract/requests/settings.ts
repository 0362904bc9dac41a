// Run-time settings as admins change them.
import { selfServiceSettingsSchema } from '../../domain/self-service.js';

/** PATCH /api/settings/self-service: any of the fields, at least one. */
export const selfServiceChangesBody = selfServiceSettingsSchema
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, { message: 'Change at least one field.' });
