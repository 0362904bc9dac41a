// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the local embedded server).
import path from 'node:path';
import { parseEnv } from '../../infra/env.js';
import { ensurePostgres } from '../../infra/local/postgres.js';
import { applyMigrations } from './migrations.js';

const env = parseEnv();
const postgres = await ensurePostgres(env.DATABASE_URL, {
  dataDir: path.join(env.DATA_DIR, 'postgres'),
  port: env.EMBEDDED_POSTGRES_PORT,
  database: 'seamless',
});
try {
  const applied = await applyMigrations(postgres.url);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await postgres.stop();
}
