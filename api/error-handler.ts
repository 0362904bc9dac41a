// Maps every error to `{ error: { code, message, details? } }`: HttpError and body-parser
// failures as the 4xx they are, a database that cannot serve — unreachable, timed out, out of
// resources such as a full disk (infra/database-errors.ts) — as 503 with Retry-After (try again),
// anything else as a logged 500 that reveals nothing.
// A client's error is answered, never logged with a stack: only the unexpected (500) is.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { databaseOutage } from '../infra/database-errors.js';
import { HttpError } from './http-error.js';
import { isUnstorableCharacter } from './input-characters.js';
import { isErasedCustomerError } from './services/data-rights/erased-customer.js';

interface BodyParserError {
  type?: string;
  status?: number;
}

function fromBodyParser(error: BodyParserError): HttpError | null {
  switch (error.type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
    case 'encoding.invalid_utf8':
      return new HttpError(400, 'invalid_utf8', 'The request body is not valid UTF-8.');
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', 'The request body is too large.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_encoding', 'Send the body as UTF-8 JSON.');
    default:
      return error.status && error.status >= 400 && error.status < 500 ? new HttpError(error.status, 'bad_request', 'The request could not be read.') : null;
  }
}

/** The last line of an error's message (Prisma's hold the call site first, the cause last), not its stack. */
const lastLine = (error: unknown) => (error instanceof Error ? error.message.trim().split('\n').at(-1) : error);

export function errorHandler(log: (message: string, error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const known = error instanceof HttpError ? error : fromBodyParser(error as BodyParserError);
    if (known) {
      res.status(known.status).json({ error: { code: known.code, message: known.message, details: known.details } });
      return;
    }
    if (isUnstorableCharacter(error)) {
      // The client's input, not our fault: the edge (input-characters.ts) should have refused it,
      // so say in one line that something got past it.
      log('a character PostgreSQL cannot store got past the edge', lastLine(error));
      res.status(400).json({ error: { code: 'invalid_character', message: 'The request contains a character that cannot be stored (U+0000).' } });
      return;
    }
    if (isErasedCustomerError(error)) {
      res.status(410).json({ error: { code: 'customer_erased', message: 'This contact was erased: nothing new can be started for them.' } });
      return;
    }
    const outage = databaseOutage(error);
    if (outage) {
      // Down, frozen or out of resources (disk full…). Only a write whose answer timed out (a frozen
      // server, infra/db.ts's query timeout) may still commit later: retries of writes carry an
      // Idempotency-Key for that.
      log(`database unavailable (${outage})`, lastLine(error));
      res
        .status(503)
        .set('Retry-After', '5')
        .json({ error: { code: 'service_unavailable', message: 'The database is unavailable right now; try again shortly.' } });
      return;
    }
    log('unexpected error', error);
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side.' } });
  };
}

export const unknownApiRoute: RequestHandler = (req) => {
  // originalUrl, not path: mounted under /api, `path` has lost that prefix. The query is left out.
  throw new HttpError(404, 'route_not_found', `No API route ${req.method} ${req.originalUrl.split('?')[0]}.`);
};
