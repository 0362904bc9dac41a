// A digest of every application table, to prove a refused request changed nothing.
// LoginThrottle is left out: a refused sign-in is counted there on purpose (login lockout). So is
// WorkflowOutboxLease: who is delivering a conversation's workflow signals at this instant, taken
// and released by the API's relay in the background, not data a request changes.
import type { Db } from '../../infra/db.js';

/** The digest query of a database, built once from its tables (migrations do not run mid-test). */
const digestQueries = new WeakMap<Db, Promise<string>>();

async function digestQuery(db: Db): Promise<string> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('_prisma_migrations', 'LoginThrottle', 'WorkflowOutboxLease') ORDER BY 1`,
  );
  return tables
    .map(({ name }) => `SELECT '${name}' AS name, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${name}" t`)
    .join(' UNION ALL ');
}

/** One statement for every table: the suites that fingerprint before and after each of ~1,000 requests made ~60 round trips each time. */
export async function databaseFingerprint(db: Db): Promise<Record<string, string>> {
  let query = digestQueries.get(db);
  if (!query) {
    query = digestQuery(db);
    digestQueries.set(db, query);
  }
  const rows = await db.$queryRawUnsafe<{ name: string; digest: string | null }[]>(await query);
  return Object.fromEntries(rows.map((row) => [row.name, row.digest ?? '']));
}
