// The console's calls for the team members screen (api/routes/team-member-routes.ts): the list
// with invitations, inviting, and the actions on one member. Admins only.
import type { InvitationInput } from '../../../contract/requests/team-members';
import type { InvitationView, LinkDelivery, TeamMemberView, TeamMembersView } from '../../../contract/team-members';
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';

export type { InvitationView, LinkDelivery, TeamMemberView, TeamMembersView };

/** The actions on one member that take no input; each answers as its route does. */
export type MemberAction = 'reset-link' | 'sign-out-everywhere' | 'deactivate' | 'reactivate' | 'delete';

export function createTeamMembersApi(request: HttpClient) {
  const id = encodeURIComponent;
  return {
    list: (signal?: AbortSignal) => request<TeamMembersView>('GET', '/api/team-members', { signal }),
    invite: (input: InvitationInput) => request<{ invitation: InvitationView } & LinkDelivery>('POST', '/api/team-members/invitations', { body: input }),
    resend: (invitationId: string) =>
      request<{ invitation: InvitationView } & LinkDelivery>('POST', `/api/team-members/invitations/${id(invitationId)}/resend`, { body: {} }),
    revokeInvitation: (invitationId: string) => request<void>('DELETE', `/api/team-members/invitations/${id(invitationId)}`),
    resetLink: (userId: string) => request<LinkDelivery>('POST', `/api/team-members/${id(userId)}/reset-link`, { body: {} }),
    signOutEverywhere: (userId: string) => request<{ sessionsRevoked: number }>('POST', `/api/team-members/${id(userId)}/sign-out-everywhere`, { body: {} }),
    deactivate: (userId: string) => request<{ member: TeamMemberView }>('POST', `/api/team-members/${id(userId)}/deactivate`, { body: {} }),
    reactivate: (userId: string) => request<{ member: TeamMemberView }>('POST', `/api/team-members/${id(userId)}/reactivate`, { body: {} }),
    remove: (userId: string) => request<void>('DELETE', `/api/team-members/${id(userId)}`),
    turnOffTwoFactor: (userId: string) => request<void>('DELETE', `/api/users/${id(userId)}/two-factor`),
  };
}

export const teamMembersApi = createTeamMembersApi(sessionRequest);

/** Skills typed as "billing, refunds" → ['billing', 'refunds'] (trimmed, once each, empty ones dropped). */
export function skillsOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,，]/)
        .map((skill) => skill.trim())
        .filter(Boolean),
    ),
  ];
}
