// `npm run backup -- --out <file> [--database-url <url>] [--attachments-dir <dir>] [--builtin]`: one archive
// of the system of record (a consistent snapshot of every table) and the local attachment store.
// See infra/backup/backup.ts for the format; the README's "Backups and upgrades" for what is not in it.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { backup, findPgTools } from '../infra/backup/backup.js';
import { withToolDatabase } from '../infra/backup/tool-database.js';
import { s3OptionsFromEnvironment } from '../infra/attachments/create-attachment-store.js';
import { parseEnv } from '../infra/env.js';

const { values } = parseArgs({
  options: { out: { type: 'string' }, 'database-url': { type: 'string' }, 'attachments-dir': { type: 'string' }, builtin: { type: 'boolean', default: false } },
});
if (!values.out) {
  console.error('usage: npm run backup -- --out <file> [--database-url <url>] [--attachments-dir <dir>] [--builtin]');
  process.exit(2);
}
const env = parseEnv();
const s3 = s3OptionsFromEnvironment(process.env);
const attachmentsDir = values['attachments-dir'] ?? (s3 ? null : path.join(env.DATA_DIR, 'attachments'));
if (!attachmentsDir && s3) console.log(`attachments are in the bucket ${s3.bucket}: back it up with the bucket's own tooling (not in this archive)`);

const started = performance.now();
const summary = await withToolDatabase(env, values['database-url'], async (databaseUrl) => {
  // pg_dump when one as new as the server is at hand (PG_DUMP or the PATH), unless --builtin.
  const tools = values.builtin ? null : await findPgTools(databaseUrl);
  console.log(`database: ${tools ? tools.reason : 'the built-in format (--builtin)'}`);
  return backup({ databaseUrl, attachmentsDir, out: values.out!, pgDump: tools?.pgDump });
});
const rows = Object.values(summary.tables).reduce((sum, count) => sum + count, 0);
console.log(
  `backed up ${rows} rows of ${Object.keys(summary.tables).length} tables (schema ${summary.migrations.at(-1)}) and ${summary.files} attachment files ` +
    `(${(summary.fileBytes / 1e6).toFixed(1)} MB) to ${values.out} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
