import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error.js';
import { findNul, isUnstorableCharacter, rejectNulInBody, rejectNulInUrlAndHeaders } from './input-characters.js';

/** Runs a middleware on a fake request: the HttpError it throws, or null when it calls next(). */
function run(handler: ReturnType<typeof rejectNulInBody>, req: Partial<Request>): HttpError | null {
  let passed = false;
  try {
    void handler(req as Request, {} as Response, () => (passed = true));
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  expect(passed).toBe(true);
  return null;
}

describe('findNul', () => {
  it('finds a NUL in a string value, as JSON.parse leaves a \\u0000 escape', () => {
    expect(findNul(JSON.parse('{"name":"Eve\\u0000"}'))).toBe('body.name');
    expect(findNul(JSON.parse('{"items":[{"a":"x"},{"b":"\\u0000"}]}'))).toBe('body.items.1.b');
    expect(findNul('\u0000')).toBe('body');
  });

  it('finds a NUL in a key', () => {
    expect(findNul(JSON.parse('{"rule":{"a\\u0000b":1}}'))).toBe('body.rule.a\u0000b');
  });

  it('passes everything else, the other control characters too', () => {
    expect(findNul({ a: 'tab\there', b: ['\u0001', '\\u0000 as text', 0, null, true], c: { d: '盗刷' } })).toBeNull();
    expect(findNul(undefined)).toBeNull();
  });
});

describe('the edge', () => {
  const urlCheck = rejectNulInUrlAndHeaders();
  const request = (originalUrl: string, rawHeaders: string[] = []) => ({ originalUrl, rawHeaders });

  it('refuses %00 in the path or the query with 400 invalid_character, saying where', () => {
    expect(run(urlCheck, request('/help/en/card%00lost'))).toMatchObject({ status: 400, code: 'invalid_character', details: [{ path: 'path' }] });
    expect(run(urlCheck, request('/api/conversations?q=a%00b'))).toMatchObject({ status: 400, code: 'invalid_character', details: [{ path: 'query' }] });
  });

  it('refuses a NUL in a header value', () => {
    expect(run(urlCheck, request('/api/tickets', ['Idempotency-Key', 'a\u0000b']))).toMatchObject({
      code: 'invalid_character',
      details: [{ path: 'header idempotency-key' }],
    });
  });

  it('lets through an escaped percent sign and ordinary headers', () => {
    expect(run(urlCheck, request('/api/conversations?q=100%2500', ['Host', 'x', 'Idempotency-Key', 'abc-00']))).toBeNull();
  });

  it('refuses a NUL anywhere in the parsed body', () => {
    expect(run(rejectNulInBody(), { body: JSON.parse('{"body":"hi\\u0000"}') })).toMatchObject({
      status: 400,
      code: 'invalid_character',
      details: [{ path: 'body.body' }],
    });
    expect(run(rejectNulInBody(), { body: { body: 'hi' } })).toBeNull();
  });
});

describe('isUnstorableCharacter', () => {
  it("recognises PostgreSQL's 22021 and 22P05 however Prisma's driver adapter wraps them", () => {
    expect(isUnstorableCharacter({ code: 'P2010', meta: { driverAdapterError: { cause: { originalCode: '22021', kind: 'postgres' } } } })).toBe(true);
    expect(isUnstorableCharacter({ cause: { cause: { code: '22P05' } } })).toBe(true);
    expect(isUnstorableCharacter({ code: 'P2002', meta: { driverAdapterError: { cause: { originalCode: '23505' } } } })).toBe(false);
    expect(isUnstorableCharacter(new Error('boom'))).toBe(false);
  });
});
