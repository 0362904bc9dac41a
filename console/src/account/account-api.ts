// The console's calls for the signed-in person's own account (api/routes/me-routes.ts): password,
// two-factor sign-in, sessions; and the organisation's "admins must use two-factor" (admins).
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: string | null;
  recoveryCodesLeft: number;
  /** The organisation requires it of this person (an admin). */
  required: boolean;
}

export interface TwoFactorEnrolment {
  /** Base32, for typing into an app that cannot scan. */
  secret: string;
  uri: string;
  /** The QR code as a data: URL (PNG). */
  qrCode: string;
}

export interface OwnSession {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

export type SecondFactorInput = { code: string } | { recoveryCode: string };

export function createAccountApi(request: HttpClient) {
  return {
    changePassword: (currentPassword: string, newPassword: string) =>
      request<{ sessionsRevoked: number }>('PUT', '/api/me/password', { body: { currentPassword, newPassword } }),
    twoFactor: () => request<{ twoFactor: TwoFactorStatus }>('GET', '/api/me/two-factor'),
    beginEnrolment: () => request<{ enrolment: TwoFactorEnrolment }>('POST', '/api/me/two-factor/enrolment', { body: {} }),
    confirmEnrolment: (password: string, code: string) =>
      request<{ recoveryCodes: string[] }>('POST', '/api/me/two-factor/confirm', { body: { password, code } }),
    disableTwoFactor: (password: string, factor: SecondFactorInput) => request<void>('POST', '/api/me/two-factor/disable', { body: { password, ...factor } }),
    regenerateRecoveryCodes: (password: string) => request<{ recoveryCodes: string[] }>('POST', '/api/me/two-factor/recovery-codes', { body: { password } }),
    sessions: () => request<{ sessions: OwnSession[] }>('GET', '/api/me/sessions'),
    revokeSession: (id: string) => request<void>('DELETE', `/api/me/sessions/${encodeURIComponent(id)}`),
    revokeOtherSessions: () => request<{ revoked: number }>('POST', '/api/me/sessions/revoke-others', { body: {} }),
    securitySettings: () => request<{ security: { adminsRequireTwoFactor: boolean } }>('GET', '/api/settings/security'),
    updateSecuritySettings: (adminsRequireTwoFactor: boolean) =>
      request<{ security: { adminsRequireTwoFactor: boolean } }>('PATCH', '/api/settings/security', { body: { adminsRequireTwoFactor } }),
  };
}

export const accountApi = createAccountApi(sessionRequest);
