import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { errorHandler } from './error-handler.js';
import { HttpError } from './http-error.js';

/** Hands the error to the handler; returns the answer and what was logged. */
function handle(error: unknown) {
  const logged: { message: string; detail: unknown }[] = [];
  const answer = { status: 0, body: undefined as unknown, headers: {} as Record<string, string> };
  const res = {
    status(code: number) {
      answer.status = code;
      return res;
    },
    set(name: string, value: string) {
      answer.headers[name] = value;
      return res;
    },
    json(body: unknown) {
      answer.body = body;
      return res;
    },
  };
  errorHandler((message, detail) => logged.push({ message, detail }))(error, {} as Request, res as unknown as Response, () => {});
  return { ...answer, logged };
}

/** A Prisma error as the pg driver adapter wraps PostgreSQL's: a message of many lines. */
const prismaError = (sqlState: string) =>
  Object.assign(
    new Error(
      '\nInvalid `prisma.user.findUnique()` invocation in\n/work/api/x.ts:12:3\n\n  11 |\n→ 12 | await db.user.findUnique(\nError in PostgreSQL: invalid byte sequence',
    ),
    {
      code: 'P2010',
      meta: { driverAdapterError: { cause: { originalCode: sqlState, kind: 'postgres' } } },
    },
  );

describe('errorHandler', () => {
  it('answers a client error with its 4xx and logs nothing', () => {
    const answer = handle(new HttpError(404, 'not_found', 'Ticket was not found.'));
    expect(answer).toMatchObject({ status: 404, body: { error: { code: 'not_found' } }, logged: [] });
    expect(handle(Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 }))).toMatchObject({ status: 400, logged: [] });
  });

  it('answers a NUL that reached PostgreSQL as the client error it is, 400, logged in one line without a stack', () => {
    const answer = handle(prismaError('22021'));
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_character' } } });
    expect(answer.logged).toHaveLength(1);
    expect(typeof answer.logged[0]!.detail).toBe('string');
    expect(answer.logged[0]!.detail).not.toContain('\n');
  });

  it('answers a full disk (SQLSTATE 53100) like any database outage: 503 with Retry-After, logged in one line', () => {
    const answer = handle(prismaError('53100'));
    expect(answer).toMatchObject({ status: 503, headers: { 'Retry-After': '5' }, body: { error: { code: 'service_unavailable' } } });
    expect(answer.logged).toEqual([{ message: 'database unavailable (insufficient_resources)', detail: expect.not.stringContaining('\n') }]);
  });

  it("answers a query a frozen database never answered (the driver's timeout) with 503 and Retry-After", () => {
    const answer = handle(Object.assign(new Error('Query read timeout'), { clientVersion: '7.10.1' }));
    expect(answer).toMatchObject({ status: 503, headers: { 'Retry-After': '5' }, body: { error: { code: 'service_unavailable' } } });
    expect(answer.logged).toEqual([{ message: 'database unavailable (timeout)', detail: 'Query read timeout' }]);
  });

  it('logs the unexpected, with the error, as a 500 that reveals nothing', () => {
    const error = new Error('boom');
    const answer = handle(error);
    expect(answer).toMatchObject({ status: 500, body: { error: { code: 'internal', message: 'Something went wrong on our side.' } } });
    expect(answer.logged).toEqual([{ message: 'unexpected error', detail: error }]);
  });
});
