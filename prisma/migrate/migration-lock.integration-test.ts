// Two processes starting at once (two API replicas, `npm start` beside a migrate job) apply the
// migrations under one advisory lock: both succeed, and each migration is applied exactly once.
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createEmptyDatabase } from '../../test/support/empty-database.js';
import { applyMigrations, migrationLockKey, readMigrations } from './migrations.js';

describe('applying migrations', () => {
  it('from two processes at once on a fresh database: both succeed, every migration is applied once', async () => {
    const databaseUrl = await createEmptyDatabase(inject('postgresAdminUrl'));
    const names = (await readMigrations()).map((migration) => migration.name);

    const [first, second] = await Promise.all([applyMigrations(databaseUrl), applyMigrations(databaseUrl)]);

    // One of them applied everything; the other waited for the lock and found nothing left.
    expect([first, second].map((applied) => applied.length).sort((a, b) => a - b)).toEqual([0, names.length]);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const rows = await client.query<{ migration_name: string; times: number; failed: number }>(
        `SELECT migration_name, count(*)::int AS times, count(*) FILTER (WHERE finished_at IS NULL OR rolled_back_at IS NOT NULL)::int AS failed
           FROM _prisma_migrations GROUP BY migration_name ORDER BY migration_name`,
      );
      expect(rows.rows).toEqual(names.map((name) => ({ migration_name: name, times: 1, failed: 0 })));
      // The lock is free again once both are done.
      const free = await client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1) AS taken', [migrationLockKey.toString()]);
      expect(free.rows[0]!.taken).toBe(true);
    } finally {
      await client.end();
    }
  });

  it("waits as long as another process is applying, past the 10 s after which Prisma's own lock gives up", async () => {
    const databaseUrl = await createEmptyDatabase(inject('postgresAdminUrl'));
    // The holder stands for a process in the middle of a long migration: it holds our lock and
    // the schema engine's own (72707369, which a second engine waits for only 10 s).
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1), pg_advisory_lock(72707369)', [migrationLockKey.toString()]);
      let outcome: 'pending' | 'applied' | Error = 'pending';
      let waiting = 0;
      const applying = applyMigrations(databaseUrl, { onWaiting: () => (waiting += 1) }).then(
        (applied) => ((outcome = 'applied'), applied),
        (error: Error) => {
          outcome = error;
          return [];
        },
      );
      // The applier waits on a lock for over 11 s: it has not given up, and applied nothing.
      await expect
        .poll(
          async () => {
            if (outcome !== 'pending') return `settled: ${String(outcome)}`;
            const waiting = await holder.query<{ seconds: number }>(
              `SELECT extract(epoch FROM now() - query_start)::float AS seconds FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%pg_advisory_lock%'`,
            );
            return waiting.rows.length === 1 && waiting.rows[0]!.seconds > 11 ? 'waited past 11 s' : 'waiting';
          },
          { timeout: 30_000, interval: 500 },
        )
        .toBe('waited past 11 s');
      expect((await holder.query(`SELECT to_regclass('_prisma_migrations') AS t`)).rows[0].t).toBeNull();
      await holder.query('SELECT pg_advisory_unlock_all()');
      expect((await applying).length).toBe((await readMigrations()).length);
      expect(outcome).toBe('applied');
      expect(waiting).toBe(1);
    } finally {
      await holder.end();
    }
  });
});
