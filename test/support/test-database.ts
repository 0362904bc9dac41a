// Each integration test file works in its own database, cloned from the migrated and seeded
// template: files can run in parallel without seeing each other's rows, and the clone is fast.
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const templateDatabase = 'seamless_template';

export async function cloneTemplateDatabase(adminUrl: string): Promise<string> {
  const name = `seamless_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase}"`);
  } finally {
    await client.end();
  }
  return adminUrl.replace(/\/[^/]+$/, `/${name}`);
}
