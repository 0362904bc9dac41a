// The signed-in agent's presence, and agents' routing profiles as admins change them.
import { z } from 'zod';
import { agentTiers, presences } from '../../domain/vocabulary.js';

/** PUT /api/me/presence */
export const presenceBody = z.strictObject({ presence: z.enum(presences) });

/** The routing profile fields an admin may change (also what a routing what-if tries, unsaved). */
export const agentProfileChanges = z.strictObject({
  capacity: z.int().min(1).max(100).optional(),
  tier: z.enum(agentTiers).optional(),
  skills: z.array(z.string().trim().min(1).max(50)).max(30).optional(),
  teamId: z.uuid().nullable().optional(),
});

/** PATCH /api/users/:id */
export const agentChangesBody = agentProfileChanges.refine((changes) => Object.keys(changes).length > 0, { message: 'Change at least one field.' });
export type AgentChangesInput = z.input<typeof agentChangesBody>;
