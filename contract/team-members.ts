// What the team members screen reads (GET /api/team-members) and what the one-time links answer.
import type { UserView } from './views.js';

/** `invited` is an invitation not yet accepted (InvitationView); members are active or deactivated. */
export type TeamMemberStatus = 'active' | 'deactivated';

/** Who a person is on the team and how routing treats them: a member's and an invitation's. */
type RoutingProfile = Pick<UserView, 'id' | 'email' | 'name' | 'role' | 'tier' | 'skills' | 'teamId' | 'capacity'>;

export interface TeamMemberView extends RoutingProfile {
  presence: UserView['presence'];
  status: TeamMemberStatus;
  /** Signs in with a code as well: an admin can turn it off for someone who lost their phone and recovery codes. */
  twoFactorEnabled: boolean;
  deactivatedAt: string | null;
  createdAt: string;
}

export interface InvitationView extends RoutingProfile {
  invitedById: string | null;
  createdAt: string;
  expiresAt: string;
  /** Past expiresAt: the link no longer works; a resend makes a new one. */
  expired: boolean;
}

/** GET /api/team-members: deleted accounts are not listed (their history still names them). */
export interface TeamMembersView {
  members: TeamMemberView[];
  invitations: InvitationView[];
}

/**
 * A link made for someone (an invitation, a reset): `emailed` when it went out by mail; else
 * `link` holds it for the admin to pass on (no SMTP configured, or the mail failed: `mailError`).
 */
export interface LinkDelivery {
  emailed: boolean;
  link: string | null;
  expiresAt: string;
  mailError?: string;
}

/** POST /api/auth/password-link: what the page shows before the password is chosen. */
export interface PasswordLinkView {
  purpose: 'invite' | 'reset' | 'setup';
  /** Null for the setup link: the first admin types theirs. */
  email: string | null;
  name: string | null;
  expiresAt: string;
}

/** POST /api/auth/password-link/use: signed in, as after POST /api/auth/login. */
export interface SignedInView {
  token: string;
  expiresAt: string;
  user: UserView;
}
