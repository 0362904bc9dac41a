// The one error type the API throws on purpose; error-handler.ts turns it into a response.
import { StatusError } from '../contract/errors.js';

export class HttpError extends StatusError {
  override readonly name = 'HttpError';
}

export const badRequest = (code: string, message: string, details?: unknown) => new HttpError(400, code, message, details);
export const unauthorized = (message = 'Sign in first: send a valid bearer token.') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message = 'Your role may not do this.') => new HttpError(403, 'forbidden', message);
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} was not found.`);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);
