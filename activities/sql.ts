// Raw SQL for the hot statements of routing, sent on the pg pool under Prisma (infra/db.ts poolOf)
// when there is one: Prisma's query layer costs the worker more CPU than the statements
// themselves (bench/README.md, issue 19). The same text runs through Prisma's raw queries for a
// client without a pool, or inside a Prisma transaction a caller already holds.
//
// Timestamps cross as text with their zone (`…Z`) and are cast where they are used: the columns
// are `timestamp(3)` in UTC, and pg alone would read and write them in the process's local zone.
import type pg from 'pg';
import { poolOf, type Db, type Tx } from '../infra/db.js';

/** Runs one statement; `$1`, `$2`… are `values`. */
export interface Sql {
  query<Row>(text: string, values: unknown[]): Promise<Row[]>;
}

/** Statements inside a Prisma transaction the caller holds. */
export const sqlOfTx = (tx: Tx): Sql => ({ query: (text, values) => tx.$queryRawUnsafe(text, ...values) });

const onClient = (client: pg.Pool | pg.PoolClient): Sql => ({
  query: async <Row>(text: string, values: unknown[]) => (await client.query(text, values)).rows as Row[],
});

/** Single statements, each committed on its own. */
export const sqlOf = (db: Db): Sql => {
  const pool = poolOf(db);
  return pool ? onClient(pool) : { query: (text, values) => db.$queryRawUnsafe(text, ...values) };
};

/** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(db: Db, work: (sql: Sql) => Promise<T>): Promise<T> {
  const pool = poolOf(db);
  if (!pool) return db.$transaction((tx) => work(sqlOfTx(tx)));
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(onClient(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot roll back is not given back to the pool.
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** A timestamp for a `timestamp(3)` column holding UTC: `$n::timestamptz AT TIME ZONE 'UTC'` in the statement. */
export const utcText = (date: Date | null): string | null => date?.toISOString() ?? null;

/** Reads a `timestamp(3)` column holding UTC as an instant, whoever reads it. */
export const utcColumn = (column: string, as = column.split('.').pop()!) => `(${column} AT TIME ZONE 'UTC') AS ${as}`;
