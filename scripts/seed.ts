// `npm run db:seed`: writes the demo data into DATABASE_URL (or the local embedded server).
import { createDb } from '../infra/db.js';
import { isProduction, parseEnv } from '../infra/env.js';
import { ensureConfiguredPostgres } from '../infra/local/postgres.js';
import { seedDemoData } from '../prisma/seed.js';

const env = parseEnv();
if (isProduction(env)) {
  // Demo users sign in with a published password: never in a production database.
  console.error(
    'NODE_ENV=production: the demo data (with its demo users and their published password) is not written. Create an admin with `npm run admin:create`.',
  );
  process.exit(1);
}
const postgres = await ensureConfiguredPostgres(env);
const db = createDb(postgres.url, { poolSize: 2 });
try {
  await seedDemoData(db);
  console.log('demo data is in place');
} finally {
  await db.$disconnect();
  await postgres.stop();
}
