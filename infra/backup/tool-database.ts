// The database `npm run backup` / `restore` work on: --database-url, else DATABASE_URL, else the
// local embedded PostgreSQL — the one `npm start` is running if it is (a backup while the app
// runs), or started for the command and stopped after it.
import pg from 'pg';
import type { Env } from '../env.js';
import { withConfiguredPostgres } from '../local/postgres.js';

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function withToolDatabase<T>(
  env: Pick<Env, 'DATABASE_URL' | 'DATA_DIR' | 'EMBEDDED_POSTGRES_PORT'>,
  databaseUrl: string | undefined,
  work: (url: string) => Promise<T>,
): Promise<T> {
  if (databaseUrl) return work(databaseUrl);
  if (!env.DATABASE_URL) {
    // The embedded server's fixed credentials (infra/local/postgres.ts).
    const running = `postgresql://seamless:seamless@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/seamless`;
    if (await answers(running)) return work(running);
  }
  return withConfiguredPostgres(env, work);
}
