// The Prisma client over node-postgres (no native query engine needed), with timeouts so a
// database that hangs (frozen, overloaded, unreachable without a reset) fails requests with a
// 503 (infra/database-errors.ts) instead of holding them for as long as it hangs.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../prisma/generated/client.js';
import type { Env } from './env.js';

export type Db = PrismaClient;
/** The client handed to a `$transaction` callback. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** Milliseconds; 0 turns one off. */
export interface DatabaseTimeouts {
  /** Opening a connection, or waiting for a free one in the pool (pg's `connectionTimeoutMillis`). */
  connectMs: number;
  /** PostgreSQL cancels a statement running longer (`statement_timeout`, SQLSTATE 57014): a runaway query cannot hold a connection and its locks. */
  statementMs: number;
  /**
   * The client gives up on a query the server has not answered in this time (pg's `query_timeout`;
   * the connection is then discarded). The only limit a frozen server cannot ignore — it cannot
   * cancel anything itself — so it sits a little above `statementMs`: a slow query is cancelled by
   * the server first, with its own error.
   */
  queryMs: number;
  /** PostgreSQL closes a session left idle inside a transaction this long (`idle_in_transaction_session_timeout`). */
  idleInTransactionMs: number;
}

/**
 * Defaults chosen so legitimate work is never cut: the slowest queries here are reports over long
 * date ranges (seconds), interactive transactions are limited to seconds by Prisma anyway. A
 * frozen server fails a request within `connectMs` when the request has to wait for a connection
 * (every request once the pool's connections are stuck), within `queryMs` when its query was
 * already sent on an open one.
 */
export const defaultDatabaseTimeouts: DatabaseTimeouts = { connectMs: 5_000, statementMs: 30_000, queryMs: 35_000, idleInTransactionMs: 60_000 };

/** The timeouts from DATABASE_*_TIMEOUT_MS; the query timeout follows the statement timeout (+5 s; off with it) unless set. */
export function databaseTimeoutsFromEnv(
  env: Pick<Env, 'DATABASE_CONNECT_TIMEOUT_MS' | 'DATABASE_STATEMENT_TIMEOUT_MS' | 'DATABASE_QUERY_TIMEOUT_MS' | 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS'>,
): DatabaseTimeouts {
  const statementMs = env.DATABASE_STATEMENT_TIMEOUT_MS ?? defaultDatabaseTimeouts.statementMs;
  return {
    connectMs: env.DATABASE_CONNECT_TIMEOUT_MS ?? defaultDatabaseTimeouts.connectMs,
    statementMs,
    // No statement limit means long queries are wanted: no client limit either, unless set.
    queryMs: env.DATABASE_QUERY_TIMEOUT_MS ?? (statementMs > 0 ? statementMs + 5_000 : 0),
    idleInTransactionMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS ?? defaultDatabaseTimeouts.idleInTransactionMs,
  };
}

/**
 * A pg client that sends its queries one after another itself. Prisma runs the relations of an
 * `include` concurrently (its query plan's "join" node awaits them with Promise.all); outside a
 * transaction each goes to its own pool connection, but inside one they all go to the
 * transaction's single client, and pg's own queue for concurrent `client.query()` calls is
 * deprecated (it warns "Calling client.query() when the client is already executing a query …"
 * and goes away in pg 9). Chaining them here is the external flow control pg asks for; the order
 * is the calling order, as before. Only the promise form is chained: the callback and submittable
 * forms (none of which Prisma uses) go straight to pg.
 */
export class SerialClient extends pg.Client {
  #tail: Promise<unknown> = Promise.resolve();

  // `never`: callers see the base class's overloads; this only routes each call.
  override query(...args: unknown[]): never {
    const last = args.at(-1);
    const first = args[0] as { submit?: unknown } | undefined;
    const send = () => (super.query as (...a: unknown[]) => unknown)(...args);
    if (typeof last === 'function' || typeof first?.submit === 'function') return send() as never;
    const result = this.#tail.then(send);
    this.#tail = result.catch(() => undefined);
    return result as never;
  }
}

/**
 * SQL that begins with `preparedStatement(name)` runs as a named prepared statement: parsed and
 * planned once per pool connection, then only bound and executed. For a large hot statement
 * (api/services/message-store.ts) planning is most of PostgreSQL's work — 4 ms against well
 * under 1 ms of execution. The name must always carry the same SQL text (pg refuses a second
 * text under a name); everything else runs unnamed, as Prisma sends it.
 */
export const preparedStatement = (name: string) => `/* prepared ${name} */`;
const preparedName = /^\/\* prepared ([\w-]+) \*\//;

/**
 * SQL for a timestamp column as ISO 8601 in UTC, as Date.toISOString() writes it (columns are
 * timestamp(3) holding UTC), for the statements that build their answer's views in SQL.
 */
export const isoText = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const pools = new WeakMap<Db, pg.Pool>();

/**
 * The pg pool under a client made by createDb, for the few hot statements that skip Prisma's
 * query layer (api/services/message-writer.ts); undefined for any other client.
 */
export const poolOf = (db: Db): pg.Pool | undefined => pools.get(db);

export function createDb(connectionString: string, options: { poolSize?: number; timeouts?: Partial<DatabaseTimeouts> } = {}): Db {
  const timeouts = { ...defaultDatabaseTimeouts, ...options.timeouts };
  // pg reads 0 / undefined as "no limit"; the two server-side ones are sent as startup parameters
  // of every connection, so they hold for each statement without a SET.
  const pool = new pg.Pool({
    connectionString,
    // Each pool connection queues its own queries (a transaction's concurrent ones).
    Client: SerialClient,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: timeouts.connectMs || undefined,
    query_timeout: timeouts.queryMs || undefined,
    statement_timeout: timeouts.statementMs || undefined,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs || undefined,
    // Every timestamp column holds UTC without a zone. SQL that stamps a row itself (now() or
    // clock_timestamp() cast to timestamp, in the hot statements and in triggers) or compares
    // such a column with now() reads the session's zone, which otherwise comes from the server's
    // configuration: an embedded PostgreSQL initialised on a machine set to Asia/Shanghai wrote
    // times 8 h ahead. A connection string's own `options` still wins over this one.
    options: '-c TimeZone=UTC',
  });
  // A pooled connection that breaks while idle (the server restarted) is dropped by the pool; its
  // error must have a listener or it ends the process, and Prisma adds its own only once connected.
  pool.on('error', () => undefined);
  const db = new PrismaClient({
    adapter: new PrismaPg(pool, {
      // pg sends a query without a name unnamed; the adapter's type asks for a string regardless.
      statementNameGenerator: (query) => preparedName.exec(query.sql)?.[1] as string,
      // $disconnect ends the pool, as it did when the adapter made its own.
      disposeExternalPool: true,
    }),
  });
  pools.set(db, pool);
  return db;
}
