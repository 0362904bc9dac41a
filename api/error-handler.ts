// Maps every error to `{ error: { code, message, details? } }`: HttpError and body-parser
// failures as the 4xx they are, anything else as a logged 500 that reveals nothing.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError } from './http-error.js';

interface BodyParserError {
  type?: string;
  status?: number;
}

function fromBodyParser(error: BodyParserError): HttpError | null {
  switch (error.type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', 'The request body is too large.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_encoding', 'Send the body as UTF-8 JSON.');
    default:
      return error.status && error.status >= 400 && error.status < 500
        ? new HttpError(error.status, 'bad_request', 'The request could not be read.')
        : null;
  }
}

export function errorHandler(log: (message: string, error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const known = error instanceof HttpError ? error : fromBodyParser(error as BodyParserError);
    if (known) {
      res.status(known.status).json({ error: { code: known.code, message: known.message, details: known.details } });
      return;
    }
    log('unexpected error', error);
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side.' } });
  };
}

export const unknownApiRoute: RequestHandler = (req) => {
  throw new HttpError(404, 'route_not_found', `No API route ${req.method} ${req.path}.`);
};
