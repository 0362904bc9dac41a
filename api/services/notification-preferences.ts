// What the console notifies each person of (User.notificationPreferences): read over the
// defaults, replaced whole by the person.
import { readNotificationPreferences, type NotificationPreferences } from '../../contract/requests/account.js';
import type { Db } from '../../infra/db.js';

export async function notificationPreferencesOf(db: Db, userId: string): Promise<NotificationPreferences> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { notificationPreferences: true } });
  return readNotificationPreferences(user.notificationPreferences);
}

export async function setNotificationPreferences(db: Db, userId: string, preferences: NotificationPreferences): Promise<NotificationPreferences> {
  const user = await db.user.update({ where: { id: userId }, data: { notificationPreferences: preferences }, select: { notificationPreferences: true } });
  return readNotificationPreferences(user.notificationPreferences);
}
