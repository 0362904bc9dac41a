// The email channel the platform writes from when nothing names one: the first enabled email
// channel (oldest first). A ticket's first reply and the widget's offline form both use it.
import type { Db } from '../../../infra/db.js';

/** Its id, or null when no email channel is switched on. */
export async function firstEmailChannelId(db: Db): Promise<string | null> {
  const channel = await db.channel.findFirst({ where: { kind: 'email', enabled: true }, orderBy: { createdAt: 'asc' }, select: { id: true } });
  return channel?.id ?? null;
}
