// Telling "the database cannot serve right now" apart from every other error, so the API can
// answer 503 (try again) instead of 500, and the WebSocket upgrade 503 instead of 401: PostgreSQL
// down or the connection lost, a frozen or overloaded server (a timeout), or a server out of
// resources (disk full, out of memory, too many connections).

/** Why the database could not serve: what the 503 is logged with. */
export type DatabaseOutage = 'unreachable' | 'timeout' | 'insufficient_resources';

/** Prisma's codes for a server it cannot reach or lost: P1001 unreachable, P1002 timed out, P1017 closed, P2024 no pool connection in time; and socket errors. */
const unreachableCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);
const unreachableKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/**
 * SQLSTATEs. Class 08 (connection exception) and 57P01-57P03 (shut down, crashed, starting up):
 * unreachable. Class 53 (insufficient resources: 53000, 53100 disk full, 53200 out of memory,
 * 53300 too many connections, 53400 configuration limit exceeded): the server is up but cannot
 * take the work; a retry later may succeed, the request itself is not at fault. 57014 (statement
 * cancelled: `statement_timeout`, infra/db.ts) and 25P03 (`idle_in_transaction_session_timeout`):
 * timeouts.
 */
function outageOfSqlState(sqlState: string): DatabaseOutage | null {
  if (/^(08...|57P0[123])$/.test(sqlState)) return 'unreachable';
  if (/^53...$/.test(sqlState)) return 'insufficient_resources';
  if (sqlState === '57014' || sqlState === '25P03') return 'timeout';
  return null;
}

/**
 * Messages without a code: node-postgres's own timeouts (infra/db.ts sets them) — a connection not
 * opened in time, no free pool connection in time, a query unanswered in time (what a frozen
 * server gives) — and Prisma's transaction timeouts (P2028: no connection to start one on, or
 * the transaction outlived its time limit).
 */
const timeoutMessage =
  /timeout exceeded when trying to connect|Query read timeout|connection timeout|Unable to start a transaction in the given time|cannot be executed on an expired transaction/i;
const unreachableMessage = /Connection terminated|Can't reach database server/i;

interface MaybeDatabaseError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
}

/** Why the error (or one it wraps) says the database cannot serve right now; null for any other error. */
export function databaseOutage(error: unknown, depth = 0): DatabaseOutage | null {
  if (!error || typeof error !== 'object' || depth > 5) return null;
  const candidate = error as MaybeDatabaseError;
  if (typeof candidate.code === 'string') {
    if (unreachableCodes.has(candidate.code)) return 'unreachable';
    const fromCode = outageOfSqlState(candidate.code);
    if (fromCode) return fromCode;
  }
  if (typeof candidate.originalCode === 'string') {
    const fromCode = outageOfSqlState(candidate.originalCode);
    if (fromCode) return fromCode;
  }
  if (typeof candidate.kind === 'string' && unreachableKinds.has(candidate.kind)) return 'unreachable';
  if (typeof candidate.message === 'string') {
    // Timeouts first: "Connection terminated due to connection timeout" is a timeout.
    if (timeoutMessage.test(candidate.message)) return 'timeout';
    if (unreachableMessage.test(candidate.message)) return 'unreachable';
  }
  return databaseOutage(candidate.meta?.driverAdapterError?.cause, depth + 1) ?? databaseOutage(candidate.cause, depth + 1);
}

/** Whether the error (or one it wraps) says the database cannot serve right now (down, timed out, out of resources). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseOutage(error) !== null;
}
