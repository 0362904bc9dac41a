// Prisma's migration layout (`migrations/<timestamp>_<name>/migration.sql` + migration_lock.toml),
// applied offline through the WebAssembly schema engine. Each migration folder also keeps the
// schema.prisma it leads to, so a new migration is the diff of the newest copy against
// schema.prisma, and a test can tell when the two disagree.
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { diffSchemas, noFilters, openSchemaEngine } from './schema-engine.js';

export const prismaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const schemaPath = path.join(prismaDir, 'schema.prisma');
export const migrationsDir = path.join(prismaDir, 'migrations');
const lockfilePath = path.join(migrationsDir, 'migration_lock.toml');

export interface MigrationFolder {
  name: string;
  sql: string;
  /** The schema.prisma this migration leads to. */
  schema: string;
}

export async function readMigrations(): Promise<MigrationFolder[]> {
  if (!existsSync(migrationsDir)) return [];
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      sql: await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8'),
      schema: await readFile(path.join(migrationsDir, name, 'schema.prisma'), 'utf8'),
    })),
  );
}

/**
 * The advisory lock every process takes around applying migrations, so two starting at once
 * (API replicas, `npm start` beside a migrate job) never race: the second waits, then finds
 * nothing left to apply. A fixed key; PostgreSQL frees it if the holder's connection dies.
 */
export const migrationLockKey = 4_812_733_021_905n;

export interface ApplyOptions {
  /** Apply only the migrations up to and including this one (restore and upgrade tests). */
  upTo?: string;
  /** Called once when another process holds the migration lock and this one starts waiting. */
  onWaiting?: () => void;
}

/**
 * Applies every migration the database has not recorded yet, as `prisma migrate deploy` does,
 * holding the migration lock on a connection of its own meanwhile.
 */
export async function applyMigrations(connectionString: string, options: ApplyOptions = {}): Promise<string[]> {
  const lock = new pg.Client({ connectionString });
  await lock.connect();
  try {
    const taken = await lock.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1) AS taken', [migrationLockKey.toString()]);
    if (!taken.rows[0]!.taken) {
      options.onWaiting?.();
      await lock.query('SELECT pg_advisory_lock($1)', [migrationLockKey.toString()]);
    }
    return await applyUnlocked(connectionString, options);
  } finally {
    // Ending the session frees the lock too; unlocking first frees it even if end() fails.
    await lock.query('SELECT pg_advisory_unlock($1)', [migrationLockKey.toString()]).catch(() => {});
    await lock.end();
  }
}

async function applyUnlocked(connectionString: string, options: ApplyOptions): Promise<string[]> {
  const schemaText = await readFile(schemaPath, 'utf8');
  const all = await readMigrations();
  if (options.upTo !== undefined && !all.some((migration) => migration.name === options.upTo))
    throw new Error(`no migration named ${options.upTo} in ${migrationsDir}`);
  const migrations = options.upTo === undefined ? all : all.filter((migration) => migration.name <= options.upTo!);
  const { engine, close } = await openSchemaEngine(connectionString, schemaPath, schemaText);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: {
        baseDir: migrationsDir,
        lockfile: { path: 'migration_lock.toml', content: await readFile(lockfilePath, 'utf8') },
        shadowDbInitScript: '',
        migrationDirectories: migrations.map((migration) => ({
          path: migration.name,
          migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: migration.sql } },
        })),
      },
      filters: noFilters,
    } as Parameters<typeof engine.applyMigrations>[0]);
    return appliedMigrationNames;
  } finally {
    await close();
  }
}

/** The SQL still missing between the newest migration and schema.prisma ('' when in step). */
export async function pendingSchemaChange(connectionString: string): Promise<string> {
  const schemaText = await readFile(schemaPath, 'utf8');
  const migrations = await readMigrations();
  // The engine diffs two schema files, but still wants a database connection to do it.
  const { engine, close } = await openSchemaEngine(connectionString, schemaPath, schemaText);
  try {
    const sql = await diffSchemas(engine, migrations.at(-1)?.schema ?? null, schemaText);
    return isEmptyMigration(sql) ? '' : sql;
  } finally {
    await close();
  }
}

export function isEmptyMigration(sql: string): boolean {
  return sql.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('--'));
}

/** Writes a new migration folder from the pending schema change; returns its name. */
export async function createMigration(connectionString: string, label: string): Promise<string | null> {
  const sql = await pendingSchemaChange(connectionString);
  if (!sql) return null;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const name = `${stamp}_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`;
  const folder = path.join(migrationsDir, name);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'migration.sql'), sql);
  await writeFile(path.join(folder, 'schema.prisma'), await readFile(schemaPath, 'utf8'));
  if (!existsSync(lockfilePath)) {
    await writeFile(
      lockfilePath,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  return name;
}
