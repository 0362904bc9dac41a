// Read-only queries of the staff.
import type { Db } from '../../infra/db.js';
import { toUserView } from '../services/user-service.js';

/** Everyone on the team list, by name (for transfers and @mentions). */
export async function findUsers(db: Db) {
  const users = await db.user.findMany({ orderBy: { name: 'asc' } });
  return users.map(toUserView);
}
