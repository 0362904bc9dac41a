// A digest of every application table, to prove a refused request changed nothing.
// LoginThrottle is left out: a refused sign-in is counted there on purpose (login lockout). So is
// WorkflowOutboxLease: who is delivering a conversation's workflow signals at this instant, taken
// and released by the API's relay in the background, not data a request changes.
import type { Db } from '../../infra/db.js';

export async function databaseFingerprint(db: Db): Promise<Record<string, string>> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('_prisma_migrations', 'LoginThrottle', 'WorkflowOutboxLease') ORDER BY 1`,
  );
  const digest: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await db.$queryRawUnsafe<{ digest: string | null }[]>(
      `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${name}" t`,
    );
    digest[name] = row?.digest ?? '';
  }
  return digest;
}
