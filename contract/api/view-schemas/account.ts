// The signed-in person's account (password, two-factor sign-in, sessions) and the team members
// screen: members, invitations and the one-time links it makes.
import { z } from 'zod';
import type { InvitationView, LinkDelivery, PasswordLinkView, TeamMembersView, TeamMemberView } from '../../team-members.js';
import { userViewSchema } from './admin.js';
import { id, named, tied, timestamp } from './support.js';

/** PUT /api/me/password, POST /api/team-members/:id/sign-out-everywhere: how many sessions were signed out. */
export const sessionsRevokedSchema = named('SessionsRevoked', z.strictObject({ sessionsRevoked: z.int() }));

export const twoFactorStatusSchema = named(
  'TwoFactorStatus',
  z.strictObject({ enabled: z.boolean(), enabledAt: timestamp.nullable(), recoveryCodesLeft: z.int(), required: z.boolean() }),
);

/** The secret to type into an authenticator app, as an otpauth: URI and as a QR code image (a data: URL). */
export const twoFactorEnrolmentSchema = named('TwoFactorEnrolment', z.strictObject({ secret: z.string(), uri: z.string(), qrCode: z.string() }));

/** Shown once: each code signs in once, instead of an authenticator's code. */
export const recoveryCodesSchema = named('RecoveryCodes', z.strictObject({ recoveryCodes: z.array(z.string()) }));

/** Where the signed-in person is signed in (`current`: this session). */
export const ownSessionSchema = named(
  'Session',
  z.strictObject({
    id,
    createdAt: timestamp,
    lastSeenAt: timestamp,
    expiresAt: timestamp,
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    current: z.boolean(),
  }),
);

export const passwordLinkViewSchema = tied<PasswordLinkView>()(
  'PasswordLink',
  z.strictObject({ purpose: z.enum(['invite', 'reset', 'setup']), email: z.string().nullable(), name: z.string().nullable(), expiresAt: timestamp }),
);

/** Who a person is on the team and how routing treats them: a member's and an invitation's. */
const routingProfile = userViewSchema.pick({ id: true, email: true, name: true, role: true, tier: true, skills: true, teamId: true, capacity: true }).shape;

export const teamMemberViewSchema = tied<TeamMemberView>()(
  'TeamMember',
  z.strictObject({
    ...routingProfile,
    presence: userViewSchema.shape.presence,
    status: z.enum(['active', 'deactivated']),
    twoFactorEnabled: z.boolean(),
    deactivatedAt: timestamp.nullable(),
    createdAt: timestamp,
  }),
);

export const invitationViewSchema = tied<InvitationView>()(
  'Invitation',
  z.strictObject({ ...routingProfile, invitedById: id.nullable(), createdAt: timestamp, expiresAt: timestamp, expired: z.boolean() }),
);

export const teamMembersViewSchema = tied<TeamMembersView>()(
  'TeamMembers',
  z.strictObject({ members: z.array(teamMemberViewSchema), invitations: z.array(invitationViewSchema) }),
);

/** A link made for someone: `emailed`, or `link` for the admin to pass on (no SMTP, or the mail failed: `mailError`). */
export const linkDeliverySchema = tied<LinkDelivery>()(
  'LinkDelivery',
  z.strictObject({ emailed: z.boolean(), link: z.string().nullable(), expiresAt: timestamp, mailError: z.string().optional() }),
);

/** POST /api/team-members/invitations (and its resend): the invitation and how its link was delivered. */
export const invitationDeliverySchema = named('InvitationDelivery', linkDeliverySchema.extend({ invitation: invitationViewSchema }));
