import { describe, expect, it } from 'vitest';
import { databaseTimeoutsFromEnv, defaultDatabaseTimeouts } from './db.js';
import { parseEnv } from './env.js';

describe('databaseTimeoutsFromEnv', () => {
  it('uses the defaults when nothing is set, or a variable is set empty', () => {
    expect(databaseTimeoutsFromEnv(parseEnv({}))).toEqual({ connectMs: 5_000, statementMs: 30_000, queryMs: 35_000, idleInTransactionMs: 60_000 });
    expect(databaseTimeoutsFromEnv(parseEnv({ DATABASE_QUERY_TIMEOUT_MS: '', DATABASE_CONNECT_TIMEOUT_MS: ' ' }))).toEqual(defaultDatabaseTimeouts);
  });

  it("keeps the client's query limit above the server's statement limit (off with it) unless set, and 0 turns a limit off", () => {
    expect(databaseTimeoutsFromEnv(parseEnv({ DATABASE_STATEMENT_TIMEOUT_MS: '120000' }))).toMatchObject({ statementMs: 120_000, queryMs: 125_000 });
    expect(databaseTimeoutsFromEnv(parseEnv({ DATABASE_STATEMENT_TIMEOUT_MS: '0' }))).toMatchObject({ statementMs: 0, queryMs: 0 });
    expect(databaseTimeoutsFromEnv(parseEnv({ DATABASE_QUERY_TIMEOUT_MS: '0', DATABASE_CONNECT_TIMEOUT_MS: '1500' }))).toMatchObject({
      queryMs: 0,
      connectMs: 1_500,
    });
    expect(() => parseEnv({ DATABASE_QUERY_TIMEOUT_MS: 'soon' })).toThrow(/DATABASE_QUERY_TIMEOUT_MS/);
  });
});
