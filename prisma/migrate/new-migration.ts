// `npm run db:migration -- <name>`: writes the SQL that brings the newest migration up to
// schema.prisma. The schema engine needs a live PostgreSQL to diff, so this starts the local one.
import path from 'node:path';
import { parseEnv } from '../../infra/env.js';
import { ensurePostgres } from '../../infra/local/postgres.js';
import { createMigration } from './migrations.js';

const env = parseEnv();
const postgres = await ensurePostgres(env.DATABASE_URL, {
  dataDir: path.join(env.DATA_DIR, 'postgres'),
  port: env.EMBEDDED_POSTGRES_PORT,
  database: 'seamless',
});
try {
  const name = await createMigration(postgres.url, process.argv[2] ?? 'change');
  console.log(name ? `created prisma/migrations/${name}` : 'schema.prisma matches the newest migration: nothing to do');
} finally {
  await postgres.stop();
}
