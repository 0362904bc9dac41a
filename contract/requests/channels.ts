// Channels as admins change them. `settings` is checked against the channel's kind by the server
// (api/admin-fields.ts channelSettings), which knows the kind.
import { z } from 'zod';
import { name } from './admin-fields.js';

/** PATCH /api/channels/:id */
export const updateChannelBody = z
  .strictObject({ name: name.optional(), enabled: z.boolean().optional(), settings: z.record(z.string(), z.unknown()).optional() })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), { message: 'Change at least one field.' });

/** POST /api/inbound/email/:channelKey: the email channel's id. */
export const inboundEmailParams = z.object({ channelKey: z.uuid() });
