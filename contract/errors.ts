// The body of every API error, as api/error-handler.ts writes it and console/src/shared/http.ts
// reads it: `{ error: { code, message, details? } }`. `code` is stable (clients branch on it),
// `message` is English for people, `details` says more where the code has more to say — for
// `invalid_input` (api/validate.ts) one problem per field.

/** One problem of a request that failed validation: the field's dotted path ('' for the whole body). */
export interface FieldProblem {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    /** FieldProblem[] for `invalid_input`; other codes may carry their own shape, or nothing. */
    details?: unknown;
  };
}

/** Codes the error handler itself gives, whatever the route (routes add their own). */
export const commonErrorCodes = [
  'invalid_input',
  'invalid_json',
  'invalid_utf8',
  'invalid_character',
  'invalid_idempotency_key',
  'payload_too_large',
  'unsupported_encoding',
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'route_not_found',
  'service_unavailable',
  'internal',
] as const;

/**
 * An API error as either side holds it: the HTTP status with the body's code, message and details.
 * The API throws it (api/http-error.ts `HttpError`); the console rebuilds it from a failed
 * response (console/src/shared/http.ts `ApiError`). Each subclass names itself, so logs tell them apart.
 */
export class StatusError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const errorBody = (code: string, message: string, details?: unknown): ErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

/** Reads an error body off the wire; null when the body is not one (a proxy's HTML page, an empty 502). */
export function errorOf(body: unknown): ErrorBody['error'] | null {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message, details } = error as Record<string, unknown>;
  if (typeof code !== 'string' || typeof message !== 'string') return null;
  return details === undefined ? { code, message } : { code, message, details };
}

/** The field problems of an `invalid_input` error's details; the malformed entries are skipped. */
export function fieldProblemsOf(details: unknown): FieldProblem[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((detail: unknown) => {
    if (typeof detail !== 'object' || detail === null) return [];
    const { path, message } = detail as Record<string, unknown>;
    return typeof message === 'string' && message ? [{ path: typeof path === 'string' ? path : '', message }] : [];
  });
}
