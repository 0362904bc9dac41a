// `npm run db:migration -- <name>`: writes the SQL that brings the newest migration up to
// schema.prisma. The schema engine needs a live PostgreSQL to diff, so this starts the local one.
import { parseEnv } from '../../infra/env.js';
import { withConfiguredPostgres } from '../../infra/local/postgres.js';
import { createMigration } from './migrations.js';

const name = await withConfiguredPostgres(parseEnv(), (url) => createMigration(url, process.argv[2] ?? 'change'));
console.log(name ? `created prisma/migrations/${name}` : 'schema.prisma matches the newest migration: nothing to do');
