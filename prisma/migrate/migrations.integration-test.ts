// The schema and its migrations must agree: a schema change without a migration fails here, and so
// does a migration whose SQL no longer follows from the schema copies around it.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../infra/db.js';
import { cloneTemplateDatabase } from '../../test/support/test-database.js';
import { applyMigrations, pendingSchemaChange, readMigrations, schemaPath } from './migrations.js';
import { diffSchemas, openSchemaEngine } from './schema-engine.js';

const handWrittenMarker = '-- Hand-written below this line';
let databaseUrl: string;
let db: Db;

beforeAll(async () => {
  databaseUrl = await cloneTemplateDatabase(inject('postgresAdminUrl'));
  db = createDb(databaseUrl, { poolSize: 2 });
});
afterAll(() => db?.$disconnect());

describe('migrations', () => {
  it('cover schema.prisma: the newest migration leads to exactly the current schema', async () => {
    expect(await pendingSchemaChange(databaseUrl)).toBe('');
  });

  it('each migration.sql starts with the SQL derived from the schema copies before and after it', async () => {
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    const { engine, close } = await openSchemaEngine(databaseUrl, schemaPath, await readFile(schemaPath, 'utf8'));
    try {
      let previous: string | null = null;
      for (const migration of migrations) {
        const derived = await diffSchemas(engine, previous, migration.schema);
        const generatedPart = migration.sql.split(handWrittenMarker)[0]!.trim();
        expect(generatedPart, migration.name).toBe(derived.trim());
        previous = migration.schema;
      }
    } finally {
      await close();
    }
  });

  it('are recorded as applied, and applying again changes nothing', async () => {
    const names = (await readMigrations()).map((migration) => migration.name);
    const recorded = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    expect(recorded.map((row) => row.migration_name)).toEqual(names);
    expect(await applyMigrations(databaseUrl)).toEqual([]);
  });

  it('keep the event log append-only', async () => {
    await db.event.create({ data: { type: 'test.probe', actorKind: 'system', payload: {} } });
    await expect(db.$executeRawUnsafe('UPDATE "Event" SET type = type')).rejects.toThrow();
    await expect(db.$executeRawUnsafe('DELETE FROM "Event"')).rejects.toThrow();
    expect(await db.event.count({ where: { type: 'test.probe' } })).toBe(1);
  });
});
