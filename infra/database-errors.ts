// Telling "PostgreSQL is down or the connection was lost" apart from every other error, so the
// API can answer 503 (try again) instead of 500, and the WebSocket upgrade 503 instead of 401.
/** Prisma's codes for a server it cannot reach or lost: P1001 unreachable, P1002 timed out, P1017 closed, P2024 no pool connection in time. */
const unreachableCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);
const unreachableKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/** SQLSTATE: class 08 (connection exception), 57P01-57P03 (shut down, crashed, starting up), 53300 (too many connections). */
const unavailableSqlState = /^(08...|57P0[123]|53300)$/;

interface MaybeDatabaseError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
}

/** Whether the error (or one it wraps) says PostgreSQL is down or the connection to it was lost. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const candidate = error as MaybeDatabaseError;
  if (typeof candidate.code === 'string' && (unreachableCodes.has(candidate.code) || unavailableSqlState.test(candidate.code))) return true;
  if (typeof candidate.kind === 'string' && unreachableKinds.has(candidate.kind)) return true;
  if (typeof candidate.originalCode === 'string' && unavailableSqlState.test(candidate.originalCode)) return true;
  if (typeof candidate.message === 'string' && /Connection terminated|Can't reach database server|connection timeout/i.test(candidate.message)) return true;
  return isDatabaseUnavailable(candidate.meta?.driverAdapterError?.cause, depth + 1) || isDatabaseUnavailable(candidate.cause, depth + 1);
}
