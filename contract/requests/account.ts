// The signed-in person's own account (api/routes/me-routes.ts): password, two-factor sign-in,
// sessions, language; the second step of a two-factor sign-in; the organisation's security settings.
import { z } from 'zod';

const password = z.string().min(1).max(1024);
/** An authenticator's six digits (spaces allowed, as apps show them in groups). */
const totpCode = z.string().trim().min(1).max(20);
/** A recovery code as printed (`xxxxx-xxxxx`), any case, with or without the dash. */
const recoveryCode = z.string().trim().min(1).max(40);

/** PUT /api/me/password */
export const changePasswordBody = z.strictObject({ currentPassword: password, newPassword: password });

/**
 * POST /api/me/two-factor/confirm: the first code from the app turns two-factor sign-in on. The
 * password too: a session left open must not be enough to put someone else's phone on the account.
 */
export const confirmTwoFactorBody = z.strictObject({ password, code: totpCode });

/** POST /api/me/two-factor/disable: the password and a code (or a recovery code) from the second factor. */
export const disableTwoFactorBody = z
  .strictObject({ password, code: totpCode.optional(), recoveryCode: recoveryCode.optional() })
  .refine((body) => (body.code === undefined) !== (body.recoveryCode === undefined), { message: 'Send either code or recoveryCode.' });

/** POST /api/me/two-factor/recovery-codes: new codes replace the old ones; the password is asked again. */
/** DELETE /api/me/sessions/:sessionId */
export const sessionParams = z.object({ sessionId: z.uuid() });

export const regenerateRecoveryCodesBody = z.strictObject({ password });

/** POST /api/auth/login/two-factor: the challenge the password step answered with, and a code or a recovery code. */
export const loginTwoFactorBody = z
  .strictObject({ challenge: z.string().min(1).max(2048), code: totpCode.optional(), recoveryCode: recoveryCode.optional() })
  .refine((body) => (body.code === undefined) !== (body.recoveryCode === undefined), { message: 'Send either code or recoveryCode.' });

/** The console's languages (console/src/i18n/locale.ts). */
export const consoleLocales = ['en', 'zh-CN', 'zh-TW'] as const;

/** PUT /api/me/locale */
export const localeBody = z.strictObject({ locale: z.enum(consoleLocales) });

/** The console's colour themes a person may choose: follow the device's setting, or always light or dark. */
export const themeChoices = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof themeChoices)[number];
export function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (themeChoices as readonly string[]).includes(value);
}
/** PUT /api/me/theme */
export const themeBody = z.strictObject({ theme: z.enum(themeChoices) });

/** PATCH /api/settings/security */
export const securitySettingsChangesBody = z
  .strictObject({ adminsRequireTwoFactor: z.boolean().optional() })
  .refine((changes) => Object.keys(changes).length > 0, { message: 'Change at least one field.' });

/**
 * PUT /api/me/notifications: what the console notifies its person of. `desktop`: browser
 * notifications (the browser's permission is asked when this is switched on, never on load);
 * `sound`: a short tone with each; then the kinds: a conversation assigned to me, a mention, a
 * new customer message in my conversation while the console's tab is hidden, an SLA warning on
 * my conversation.
 */
export const notificationPreferencesBody = z.strictObject({
  desktop: z.boolean(),
  sound: z.boolean(),
  assigned: z.boolean(),
  mention: z.boolean(),
  customerMessage: z.boolean(),
  slaWarning: z.boolean(),
});
export type NotificationPreferences = z.infer<typeof notificationPreferencesBody>;

/** Until the person chooses: nothing on the desktop or out loud, every kind on once they switch it on. */
export const defaultNotificationPreferences: NotificationPreferences = {
  desktop: false,
  sound: false,
  assigned: true,
  mention: true,
  customerMessage: true,
  slaWarning: true,
};

/** The stored preferences (User.notificationPreferences, null before any choice) over the defaults; unknown or malformed fields ignored. */
export function readNotificationPreferences(stored: unknown): NotificationPreferences {
  const preferences = { ...defaultNotificationPreferences };
  if (typeof stored !== 'object' || stored === null) return preferences;
  for (const key of Object.keys(preferences) as (keyof NotificationPreferences)[]) {
    const value = (stored as Record<string, unknown>)[key];
    if (typeof value === 'boolean') preferences[key] = value;
  }
  return preferences;
}
