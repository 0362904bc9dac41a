// `npm run restore -- --in <file> [--database-url <url>] [--attachments-dir <dir>] [--force]`:
// restores an archive of `npm run backup` into an empty database (and attachment folder), then
// applies this version's newer migrations. Refuses a database with tables in it unless --force,
// which drops its `public` schema first. Stop the app (`npm start`, API, worker) before restoring.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findPgTools, restore, RestoreRefused } from '../infra/backup/backup.js';
import { withToolDatabase } from '../infra/backup/tool-database.js';
import { s3OptionsFromEnvironment } from '../infra/attachments/create-attachment-store.js';
import { parseEnv } from '../infra/env.js';

const { values } = parseArgs({
  options: { in: { type: 'string' }, 'database-url': { type: 'string' }, 'attachments-dir': { type: 'string' }, force: { type: 'boolean', default: false } },
});
if (!values.in) {
  console.error('usage: npm run restore -- --in <file> [--database-url <url>] [--attachments-dir <dir>] [--force]');
  process.exit(2);
}
const env = parseEnv();
const s3 = s3OptionsFromEnvironment(process.env);
const attachmentsDir = values['attachments-dir'] ?? (s3 ? null : path.join(env.DATA_DIR, 'attachments'));

const started = performance.now();
try {
  const summary = await withToolDatabase(env, values['database-url'], async (databaseUrl) => {
    // Needed only for an archive whose database part is a pg_dump.
    const { pgRestore, pgRestoreMajor } = await findPgTools(databaseUrl);
    return restore({ databaseUrl, attachmentsDir, in: values.in!, force: values.force, pgRestore, pgRestoreMajor });
  });
  const rows = Object.values(summary.tables).reduce((sum, count) => sum + count, 0);
  console.log(
    `restored ${rows} rows of ${Object.keys(summary.tables).length} tables (schema ${summary.migrations.at(-1)}) and ${summary.files} attachment files ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s` +
      (summary.upgradedWith.length ? `; then applied ${summary.upgradedWith.length} newer migrations: ${summary.upgradedWith.join(', ')}` : ''),
  );
  if (s3 && !values['attachments-dir']) console.log(`attachments are in the bucket ${s3.bucket}: restore it with the bucket's own tooling`);
  console.log('Temporal\'s workflows are not in the backup: see the README\'s "Backups and upgrades" for open conversations.');
} catch (error) {
  if (!(error instanceof RestoreRefused)) throw error;
  console.error(`restore refused, nothing changed: ${error.message}`);
  process.exit(1);
}
