// Teams as admins write them.
import { z } from 'zod';
import { agentTiers } from '../../domain/vocabulary.js';
import { name, optionalId } from './admin-fields.js';

const tier = z.enum(agentTiers);

/** POST /api/teams */
export const createTeamBody = z.strictObject({
  name,
  tier: tier.default('junior'),
  leadId: optionalId.default(null),
  businessHoursId: optionalId.default(null),
});
export type CreateTeamInput = z.input<typeof createTeamBody>;

/** PATCH /api/teams/:id */
export const updateTeamBody = z
  .strictObject({ name: name.optional(), tier: tier.optional(), leadId: optionalId, businessHoursId: optionalId })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), { message: 'Change at least one field.' });
