// A new, empty database (no schema, no rows) on the test server, for tests that apply migrations
// themselves: the migration lock, the upgrade from an earlier release, restoring a backup.
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export async function createEmptyDatabase(adminUrl: string, prefix = 'seamless_empty'): Promise<string> {
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}" TEMPLATE template0`);
  } finally {
    await client.end();
  }
  return adminUrl.replace(/\/[^/]+$/, `/${name}`);
}
