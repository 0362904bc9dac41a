// Canned responses: the agents' search, and the admins' writes (shared, or one team's).
import { z } from 'zod';
import { articleLocales } from '../views.js';
import { optionalId, shortcut } from './admin-fields.js';

/** The console's languages, as for articles. */
const locale = z.enum(articleLocales);
const title = z.string().trim().min(1).max(200);
const body = z.string().trim().min(1).max(10_000);

/** GET /api/canned-responses */
export const cannedResponseListQuery = z.strictObject({ locale: locale.optional(), q: z.string().trim().min(1).max(200).optional() });

/** POST /api/canned-responses: shared unless a team is given. */
export const createCannedResponseBody = z.strictObject({ shortcut, title, body, locale: locale.default('en'), teamId: optionalId.default(null) });
export type CreateCannedResponseInput = z.input<typeof createCannedResponseBody>;

/** PATCH /api/canned-responses/:id */
export const updateCannedResponseBody = z
  .strictObject({ shortcut: shortcut.optional(), title: title.optional(), body: body.optional(), locale: locale.optional(), teamId: optionalId })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), { message: 'Change at least one field.' });
