// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the local embedded server).
import { parseEnv } from '../../infra/env.js';
import { withConfiguredPostgres } from '../../infra/local/postgres.js';
import { applyMigrations } from './migrations.js';

const applied = await withConfiguredPostgres(parseEnv(), (url) =>
  applyMigrations(url, { onWaiting: () => console.log('another process is applying migrations; waiting for it') }),
);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
