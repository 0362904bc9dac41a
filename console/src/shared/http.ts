// One small fetch wrapper for the console and the widget. Every API error has the body
// `{ error: { code, message, details? } }` (api/README.md); it becomes one ApiError so screens
// can show the server's own message.
import { StatusError } from '../../../contract/errors';

/** A failed request; its status is 0 when the request never reached the server. */
export class ApiError extends StatusError {
  override readonly name = 'ApiError';

  /** A network failure or a 5xx: the request may or may not have been applied, so retry with the same idempotency key. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

/** Builds the ApiError for a failed response from its status and (possibly non-JSON) body. */
export function toApiError(status: number, body: unknown): ApiError {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
    return new ApiError(
      status,
      typeof code === 'string' ? code : 'http_' + status,
      typeof message === 'string' && message ? message : `Request failed (${status})`,
      details,
    );
  }
  return new ApiError(status, 'http_' + status, `Request failed (${status})`);
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as the `Idempotency-Key` header, so a retried POST never creates a duplicate. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface HttpClientOptions {
  getToken: () => string | null;
  /** Called on any 401, before the error is thrown: the token is gone or expired. */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
}

export type HttpClient = <T>(method: string, path: string, options?: RequestOptions) => Promise<T>;

export function createHttpClient(options: HttpClientOptions): HttpClient {
  return async function request<T>(method: string, path: string, request: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = options.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    if (request.idempotencyKey) headers['Idempotency-Key'] = request.idempotencyKey;

    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(path, {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: request.signal,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError(0, 'network', 'The server could not be reached.');
    }

    if (response.status === 204) return undefined as T;
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      if (response.status === 401) options.onUnauthorized?.();
      throw toApiError(response.status, body);
    }
    return body as T;
  };
}
