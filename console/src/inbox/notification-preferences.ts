// The signed-in person's notification preferences (GET / PUT /api/me/notifications), shared by
// the inbox's notifier and the account page that changes them; loaded once per session.
import { ref } from 'vue';
import { defaultNotificationPreferences, type NotificationPreferences } from '../../../contract/requests/account';
import { session, sessionRequest } from '../auth/session';

export const notificationPreferences = ref<NotificationPreferences>({ ...defaultNotificationPreferences });
let loading: Promise<void> | null = null;
/** Whose preferences are loaded: another person signing in in this tab loads their own. */
let loadedFor: string | null = null;

/** Loads the preferences unless loaded or loading; a failure keeps the defaults (nothing on the desktop) for the next call to retry. */
export function loadNotificationPreferences(): Promise<void> {
  const userId = session.user?.id ?? null;
  if (userId !== loadedFor) {
    notificationPreferences.value = { ...defaultNotificationPreferences };
    loading = null;
    loadedFor = userId;
  }
  loading ??= sessionRequest<{ preferences: NotificationPreferences }>('GET', '/api/me/notifications')
    .then(({ preferences }) => {
      notificationPreferences.value = preferences;
    })
    .catch(() => {
      loading = null;
    });
  return loading;
}

export async function saveNotificationPreferences(preferences: NotificationPreferences): Promise<NotificationPreferences> {
  const saved = await sessionRequest<{ preferences: NotificationPreferences }>('PUT', '/api/me/notifications', { body: preferences });
  notificationPreferences.value = saved.preferences;
  return saved.preferences;
}

/** What the browser says about notifications for this site ('unsupported' without the Notification API). */
export function notificationPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}
