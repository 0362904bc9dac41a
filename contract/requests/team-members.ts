// The team an admin runs (api/routes/team-member-routes.ts): invitations, and the one-time links
// that set a password (invite, reset, first-admin setup; POST /api/auth/password-link…).
import { z } from 'zod';
import { agentTiers, userRoles } from '../../domain/vocabulary.js';

/** POST /api/team-members/invitations: who is invited, and the routing profile they start with. */
export const invitationBody = z.strictObject({
  email: z.string().trim().toLowerCase().email().max(320),
  name: z.string().trim().min(1).max(200),
  role: z.enum(userRoles).default('agent'),
  tier: z.enum(agentTiers).default('junior'),
  teamId: z.uuid().nullable().default(null),
  skills: z.array(z.string().trim().min(1).max(50)).max(30).default([]),
  capacity: z.int().min(1).max(100).default(5),
});
export type InvitationInput = z.input<typeof invitationBody>;

/** A one-time link's token as the console read it from the link (prefix + 43 base64url characters). */
const linkToken = z.string().regex(/^(inv|rst|stp)_[A-Za-z0-9_-]{43}$/, 'Not a link token');

/** POST /api/auth/password-link: what the link is for, before the password is chosen. */
export const passwordLinkBody = z.strictObject({ token: linkToken });

/**
 * POST /api/auth/password-link/use: the new password; the first-admin setup link also takes the
 * admin's email and name (an invitation and a reset know who the person is).
 */
export const usePasswordLinkBody = z.strictObject({
  token: linkToken,
  password: z.string().min(1).max(1024),
  email: z.string().trim().toLowerCase().email().max(320).optional(),
  name: z.string().trim().min(1).max(200).optional(),
});
export type UsePasswordLinkInput = z.input<typeof usePasswordLinkBody>;
