// `npm run db:seed`: writes the demo data into DATABASE_URL (or the local embedded server).
import path from 'node:path';
import { createDb } from '../infra/db.js';
import { parseEnv } from '../infra/env.js';
import { ensurePostgres } from '../infra/local/postgres.js';
import { seedDemoData } from '../prisma/seed.js';

const env = parseEnv();
const postgres = await ensurePostgres(env.DATABASE_URL, {
  dataDir: path.join(env.DATA_DIR, 'postgres'),
  port: env.EMBEDDED_POSTGRES_PORT,
  database: 'seamless',
});
const db = createDb(postgres.url, { poolSize: 2 });
try {
  await seedDemoData(db);
  console.log('demo data is in place');
} finally {
  await db.$disconnect();
  await postgres.stop();
}
