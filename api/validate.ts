// Request validation with zod: a failure is a 400 listing each problem by path.
import type { z } from 'zod';
import { badRequest } from './http-error.js';

export function parse<Schema extends z.ZodType>(schema: Schema, value: unknown, where = 'body'): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw badRequest(
    'invalid_input',
    `The request ${where} is not valid.`,
    result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

const idempotencyKeyPattern = /^[\w.:-]{1,200}$/;

/** The optional Idempotency-Key header: letters, digits and `_.:-`, at most 200 characters. */
export function idempotencyKeyOf(header: string | undefined): string | null {
  if (header === undefined) return null;
  if (!idempotencyKeyPattern.test(header)) {
    throw badRequest('invalid_idempotency_key', 'Idempotency-Key must be 1-200 characters of letters, digits, "_", ".", ":" or "-".');
  }
  return header;
}
