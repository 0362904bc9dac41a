// Refuses the NUL character (U+0000) anywhere in a request before any route runs. PostgreSQL's
// text cannot hold it (SQLSTATE 22021; 22P05 inside jsonb), so a NUL that reached a query was a
// 500, on routes without sign-in too; no field of this API has a use for it. Checked here, once,
// for every route: the URL (path and query, where it arrives as `%00`), the header values and,
// after JSON.parse (which turns a `\u0000` escape into the character), every string and key of
// the body. The answer is 400 `invalid_character`, naming where the NUL was.
import type { RequestHandler } from 'express';
import { HttpError } from './http-error.js';

const nul = '\u0000';

/** `where`: `path`, `query`, `header <name>` or the body's path (`body.name`). */
const refused = (where: string) =>
  new HttpError(400, 'invalid_character', `The request contains a NUL character (U+0000) in ${where}; remove it and send the request again.`, [
    { path: where, message: 'contains U+0000' },
  ]);

/**
 * The path to the first string or key holding a NUL in a parsed JSON value (`body.items.2.name`,
 * or the key itself for a key), or null. Iterative like jsonDepth(), so it cannot overflow the
 * stack; it runs after rejectDeepBodies() all the same, so bodies are at most 32 levels deep.
 */
export function findNul(value: unknown, root = 'body'): string | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes(nul)) return path;
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    for (const [key, child] of Object.entries(current)) {
      const childPath = `${path}.${key}`;
      if (key.includes(nul)) return childPath;
      stack.push([child, childPath]);
    }
  }
  return null;
}

/**
 * First in the app: the URL and the headers. A raw NUL in either never gets here (Node's HTTP
 * parser answers 400 itself), so the URL is looked at as sent, for the escape `%00` that Express
 * and the query parser would decode into one. The header check stands in case the parser is
 * ever made lenient (`insecureHTTPParser`).
 */
export function rejectNulInUrlAndHeaders(): RequestHandler {
  return (req, _res, next) => {
    const [path = '', query = ''] = req.originalUrl.split(/\?(.*)/s);
    if (path.includes('%00') || path.includes(nul)) throw refused('path');
    if (query.includes('%00') || query.includes(nul)) throw refused('query');
    const headers = req.rawHeaders;
    for (let i = 1; i < headers.length; i += 2) {
      if (headers[i]!.includes(nul)) throw refused(`header ${headers[i - 1]!.toLowerCase()}`);
    }
    next();
  };
}

/** After express.json(): every string and key of the parsed body. */
export function rejectNulInBody(): RequestHandler {
  return (req, _res, next) => {
    const where = findNul(req.body as unknown);
    if (where !== null) throw refused(where);
    next();
  };
}

/** SQLSTATEs for a character PostgreSQL cannot store: 22021 (text), 22P05 (a `\u0000` in jsonb). */
const unstorableCharacter = new Set(['22021', '22P05']);

interface MaybeDriverError {
  code?: unknown;
  originalCode?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
}

/**
 * Whether the error (or one it wraps: Prisma's driver adapter nests PostgreSQL's) is PostgreSQL
 * refusing a character it cannot store. The edge above should make this unreachable; the error
 * handler answers it as the client's error (400) all the same, should some input get past.
 */
export function isUnstorableCharacter(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const candidate = error as MaybeDriverError;
  for (const code of [candidate.code, candidate.originalCode]) if (typeof code === 'string' && unstorableCharacter.has(code)) return true;
  return isUnstorableCharacter(candidate.meta?.driverAdapterError?.cause, depth + 1) || isUnstorableCharacter(candidate.cause, depth + 1);
}
