// Read-only queries of the staff.
import type { Db } from '../../infra/db.js';
import { toUserView } from '../services/user-service.js';

/** Everyone on the team list, by name (for transfers and @mentions). */
export async function findUsers(db: Db) {
  const users = await db.user.findMany({ orderBy: { name: 'asc' } });
  return users.map(toUserView);
}

/** The signed-in user's own record, as the console shows it (the session proves it exists). */
export async function findSignedInUser(db: Db, userId: string) {
  return toUserView(await db.user.findUniqueOrThrow({ where: { id: userId } }));
}
