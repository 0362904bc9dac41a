// A user's role or team changed (or the account was closed): every API process re-reads who the
// user's open sockets belong to, so an agent moved out of a team stops receiving its events at
// once, not at their next sign-in. Sent inside the change's transaction: NOTIFY goes out on
// commit, so no process re-reads before the change is visible.
import type { Tx } from './db.js';

export const viewerChangedChannel = 'seamless_viewers_changed';

export async function announceViewerChanged(tx: Tx, userIds: readonly string[]): Promise<void> {
  for (const userId of new Set(userIds)) await tx.$executeRaw`SELECT pg_notify(${viewerChangedChannel}, ${userId})`;
}
