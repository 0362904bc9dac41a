// Outgoing webhook endpoints, as admins create and change them (docs/WEBHOOKS.md).
import { z } from 'zod';
import { webhookEventTypeNames } from '../../domain/webhook-events.js';

const events = z
  .array(z.enum(webhookEventTypeNames))
  .min(1, 'Subscribe to at least one event type.')
  .max(webhookEventTypeNames.length * 2);
/** A signing secret the admin chose; without one the server makes one up (and shows it once). */
const secret = z.string().min(16, 'Use at least 16 characters.').max(200);

/** POST /api/webhooks */
export const createWebhookBody = z.strictObject({
  url: z.string().trim().min(1).max(2000),
  description: z.string().trim().max(500).optional(),
  events,
  ordered: z.boolean().optional(),
  enabled: z.boolean().optional(),
  secret: secret.optional(),
});
export type CreateWebhookInput = z.infer<typeof createWebhookBody>;

/** PATCH /api/webhooks/:id — `rotateSecret: true` makes a new secret (shown once); `secret` sets one. */
export const updateWebhookBody = z
  .strictObject({
    url: z.string().trim().min(1).max(2000).optional(),
    description: z.string().trim().max(500).optional(),
    events: events.optional(),
    ordered: z.boolean().optional(),
    enabled: z.boolean().optional(),
    secret: secret.optional(),
    rotateSecret: z.literal(true).optional(),
  })
  .refine((body) => !(body.secret !== undefined && body.rotateSecret), { message: 'Send a secret or rotateSecret, not both.', path: ['rotateSecret'] });
export type UpdateWebhookInput = z.infer<typeof updateWebhookBody>;

/** GET /api/webhooks/:id/deliveries */
export const webhookDeliveriesQuery = z.strictObject({
  /** A delivery id of the previous page: older ones follow. */
  before: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** /api/webhooks/:id/deliveries/:deliveryId */
export const webhookDeliveryParams = z.object({ id: z.uuid(), deliveryId: z.uuid() });
