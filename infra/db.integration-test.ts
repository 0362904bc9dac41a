import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cloneTemplateDatabase } from '../test/support/test-database.js';
import { createDb, type Db } from './db.js';

// Prisma loads an include's relations concurrently; inside a transaction they share one pg client.
describe('createDb', () => {
  let db: Db;
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);

  beforeAll(async () => {
    db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });
    process.on('warning', onWarning);
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await db?.$disconnect();
  });

  it("runs a transaction's concurrent queries one after another, without pg's deprecated queue", async () => {
    const teams = await db.team.findMany({ include: { members: true }, orderBy: { name: 'asc' } });
    expect(teams.length).toBeGreaterThan(0);

    const read = await db.$transaction(async (tx) => {
      // Four relations of one record (Prisma's join node awaits them together), and two reads at once.
      const [team, count] = await Promise.all([
        tx.team.findFirstOrThrow({ where: { id: teams[0]!.id }, include: { members: true, conversations: true, tickets: true, slaPolicies: true } }),
        tx.team.count(),
      ]);
      return { team, count };
    });

    expect(read.count).toBe(teams.length);
    expect(read.team.members.map((member) => member.id).sort()).toEqual(teams[0]!.members.map((member) => member.id).sort());
    // util.deprecate warns once per process, on the first concurrent call; let the event loop deliver it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((warning) => /already executing a query/.test(warning.message))).toEqual([]);
  });

  it('still rolls a failed transaction back, and the connection keeps working', async () => {
    const before = await db.team.count();
    await expect(
      db.$transaction(async (tx) => {
        await tx.team.create({ data: { name: 'Rolled back' } });
        await Promise.all([tx.team.count(), tx.$queryRaw`SELECT 1/0`]);
      }),
    ).rejects.toThrow();
    expect(await db.team.count()).toBe(before);
  });

  it('works in UTC even when the server is set to another zone', async () => {
    const url = await cloneTemplateDatabase(inject('postgresAdminUrl'));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${new URL(url).pathname.slice(1)}" SET timezone = 'Asia/Shanghai'`);
    } finally {
      await admin.end();
    }
    const shanghai = createDb(url, { poolSize: 1 });
    try {
      // As the hot statements stamp rows: a timestamptz cast to a zone-less column.
      const [row] = await shanghai.$queryRaw<
        { zone: string; stamped: Date }[]
      >`SELECT current_setting('TimeZone') AS zone, clock_timestamp()::timestamp(3) AS stamped`;
      expect(row!.zone).toBe('UTC');
      expect(Math.abs(row!.stamped.getTime() - Date.now())).toBeLessThan(60_000);
    } finally {
      await shanghai.$disconnect();
    }
  });
});
