import { describe, expect, it } from 'vitest';
import { databaseOutage, isDatabaseUnavailable } from './database-errors.js';

/** A PostgreSQL error as Prisma's pg driver adapter wraps it (checked against a real server: test/database-outage.integration-test.ts). */
const fromPostgres = (sqlState: string, message: string) =>
  Object.assign(new Error(`Raw query failed. Code: \`${sqlState}\`. Message: \`${message}\``), {
    code: 'P2010',
    meta: {
      driverAdapterError: {
        name: 'DriverAdapterError',
        cause: { originalCode: sqlState, originalMessage: message, kind: 'postgres', code: sqlState, message },
      },
    },
  });

describe('isDatabaseUnavailable', () => {
  it('recognises an unreachable server as Prisma reports it', () => {
    const prismaError = Object.assign(new Error("Can't reach database server at 127.0.0.1:1"), {
      code: 'P2010',
      meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 1 } } },
    });
    expect(isDatabaseUnavailable(prismaError)).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'P1001' }))).toBe(true);
  });

  it('recognises a connection cut by a server shutting down, also when wrapped', () => {
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' });
    expect(isDatabaseUnavailable(new Error('query failed', { cause: shutdown }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('counts a server out of resources (SQLSTATE class 53: disk full, out of memory, too many connections) as unavailable', () => {
    expect(databaseOutage(fromPostgres('53100', 'could not extend file "base/16384/16385": No space left on device'))).toBe('insufficient_resources');
    for (const sqlState of ['53000', '53200', '53300', '53400']) expect(databaseOutage(fromPostgres(sqlState, 'x'))).toBe('insufficient_resources');
    // As node-postgres raises it, before Prisma wraps it.
    expect(databaseOutage(Object.assign(new Error('could not write to file: No space left on device'), { code: '53100', severity: 'ERROR' }))).toBe(
      'insufficient_resources',
    );
  });

  it("counts timeouts as unavailable: a statement cancelled by statement_timeout, and the pool's and driver's own timeouts (as Prisma passes them on)", () => {
    expect(databaseOutage(fromPostgres('57014', 'canceling statement due to statement timeout'))).toBe('timeout');
    expect(databaseOutage(fromPostgres('25P03', 'terminating connection due to idle-in-transaction timeout'))).toBe('timeout');
    // Messages node-postgres gives a frozen server (seen with SIGSTOP), wrapped by Prisma without a code.
    for (const message of ['Query read timeout', 'timeout exceeded when trying to connect', 'Connection terminated due to connection timeout']) {
      expect(databaseOutage(Object.assign(new Error(message), { clientVersion: '7.10.1' }))).toBe('timeout');
    }
    expect(databaseOutage(Object.assign(new Error('Transaction API error: Unable to start a transaction in the given time.'), { code: 'P2028' }))).toBe(
      'timeout',
    );
  });

  it('leaves other errors alone', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('Unique constraint failed'), { code: 'P2002' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    // Neighbours of the codes above that are the request's own fault.
    expect(isDatabaseUnavailable(fromPostgres('22021', 'invalid byte sequence for encoding "UTF8": 0x00'))).toBe(false);
    expect(isDatabaseUnavailable(fromPostgres('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isDatabaseUnavailable(fromPostgres('54000', 'program limit exceeded'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('Transaction API error: Transaction not found.'), { code: 'P2028' }))).toBe(false);
  });
});
