// Run-time settings as admins change them.
import { z } from 'zod';
import { selfServiceSettingsSchema } from '../../domain/self-service.js';

/** PATCH /api/settings/self-service: any of the fields, at least one. */
export const selfServiceChangesBody = selfServiceSettingsSchema
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, { message: 'Change at least one field.' });

/**
 * PATCH /api/settings/privacy: days a silent widget visitor is kept once unseen (0 keeps them;
 * null: the deployment's default, VISITOR_RETENTION_DAYS), and whether visitors may download
 * their calls' recordings; either or both.
 */
export const privacyChangesBody = z
  .strictObject({
    visitorRetentionDays: z.number().int().min(0).max(3650).nullable().optional(),
    /** Whether visitors may download the recordings of their calls. */
    customerSeesCallRecordings: z.boolean().optional(),
  })
  .refine((changes) => Object.keys(changes).length > 0, { message: 'Change at least one field.' });
