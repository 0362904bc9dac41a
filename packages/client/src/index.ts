// @seamless/client: a typed client of the Seamless REST API. Its types are inferred from the route
// registry the API is documented from (contract/api/routes.ts) — the same zod schemas the routes
// validate with — so there is no generation step and nothing to go stale: a route whose body or
// answer changes changes the client's types with it. Global fetch only; no runtime dependency (contract/errors.ts is plain TypeScript).
import type { z } from 'zod';
import { StatusError } from '../../../contract/errors.js';
import type { RouteRegistry, RouteKey } from '../../../contract/api/routes.js';

export type { RouteKey };

type Spec<K extends RouteKey> = RouteRegistry[K];
/** The schema of a route's `params`, `query` or `body`; never when it has none. */
type SchemaOf<S, Field extends string> = S extends { [F in Field]?: infer T } ? Extract<T, z.ZodType> : never;
type InputOf<S, Field extends string> = z.input<SchemaOf<S, Field>>;
type Has<S, Field extends string> = [SchemaOf<S, Field>] extends [never] ? false : true;

/** What a call takes: `params` and `body` when the route has them, `query` and `idempotencyKey` when it may. */
export type CallInput<K extends RouteKey> = (Has<Spec<K>, 'params'> extends true ? { params: InputOf<Spec<K>, 'params'> } : { params?: undefined }) &
  (Has<Spec<K>, 'body'> extends true ? { body: InputOf<Spec<K>, 'body'> } : { body?: undefined }) &
  (Has<Spec<K>, 'query'> extends true ? { query?: InputOf<Spec<K>, 'query'> } : { query?: undefined }) & {
    /** Makes a retry safe on the routes that take it (api/README.md). */
    idempotencyKey?: string;
    /** A file or a mail as raw bytes (uploads, the inbound email webhook), with its type. */
    raw?: { body: NonNullable<RequestInit['body']>; contentType: string; fileName?: string };
  };

type Answer<R> = R extends null ? undefined : R extends z.ZodType ? z.output<R> : R extends { contentType: string } ? Response : never;
type SuccessStatus = 200 | 201 | 202 | 204;
type Responses<K extends RouteKey> = Spec<K>['responses'];

/** What a call answers on success: the JSON body of any of its 2xx statuses, undefined for 204, the Response itself for files and CSV. */
export type CallOutput<K extends RouteKey> = {
  [S in keyof Responses<K>]: S extends SuccessStatus ? Answer<Responses<K>[S]> : never;
}[keyof Responses<K>];

/** Routes whose input may be left out (nothing is required). */
type OptionalInput<K extends RouteKey> = Has<Spec<K>, 'params'> extends true ? false : Has<Spec<K>, 'body'> extends true ? false : true;

/** An API error: the HTTP status and the body's stable `code`, `message` and `details`. */
export class SeamlessApiError extends StatusError {
  override readonly name = 'SeamlessApiError';
}

export interface SeamlessClientOptions {
  /** Where the server is, e.g. `https://support.example.com` (the client adds the `/api/...` paths). */
  baseUrl: string;
  /** An API key (`sk_live_…`), an agent's session token (`sst_…`) or a widget visitor's token. */
  token?: string;
  /** The same as `token`, for readability in integrations. */
  apiKey?: string;
  /** Another fetch (a test's, a proxy's); the global one by default. */
  fetch?: typeof fetch;
}

const pathOf = (key: string) => key.slice(key.indexOf(' ') + 1);
const methodOf = (key: string) => key.slice(0, key.indexOf(' '));

async function errorOf(response: Response): Promise<SeamlessApiError> {
  const text = await response.text();
  try {
    const { error } = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    if (error && typeof error.code === 'string' && typeof error.message === 'string')
      return new SeamlessApiError(response.status, error.code, error.message, error.details);
  } catch {
    // Not JSON: a proxy's page, an empty 502.
  }
  return new SeamlessApiError(response.status, 'http_error', `HTTP ${response.status}: ${text.slice(0, 200)}`);
}

export function createSeamlessClient(options: SeamlessClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const token = options.apiKey ?? options.token;
  const fetchImpl = options.fetch ?? globalThis.fetch;

  /**
   * Calls one route by its registry key, e.g. `call('POST /api/conversations/{id}/messages',
   * { params: { id }, body: { body: 'Hello' } })`. Throws SeamlessApiError on a 4xx or 5xx.
   */
  async function call<K extends RouteKey>(route: K, ...[input]: OptionalInput<K> extends true ? [CallInput<K>?] : [CallInput<K>]): Promise<CallOutput<K>> {
    const { params, query, body, idempotencyKey, raw } = (input ?? {}) as {
      params?: Record<string, unknown>;
      query?: Record<string, unknown>;
      body?: unknown;
    } & Pick<CallInput<K>, 'idempotencyKey' | 'raw'>;
    const path = pathOf(route).replace(/\{(\w+)\}/g, (_match, name: string) => {
      const value = params?.[name];
      if (value === undefined || value === null) throw new TypeError(`${route}: the path parameter "${name}" is missing`);
      return encodeURIComponent(String(value));
    });
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined && value !== null) search.set(name, String(value));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (raw) {
      headers['content-type'] = raw.contentType;
      if (raw.fileName) headers['x-file-name'] = encodeURIComponent(raw.fileName);
    }
    const response = await fetchImpl(`${baseUrl}${path}${search.size ? `?${search}` : ''}`, {
      method: methodOf(route),
      headers,
      body: raw ? raw.body : body !== undefined ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw await errorOf(response);
    if (response.status === 204) return undefined as CallOutput<K>;
    if (/^application\/json\b/i.test(response.headers.get('content-type') ?? '')) return (await response.json()) as CallOutput<K>;
    return response as CallOutput<K>;
  }

  return {
    call,
    conversations: {
      list: (query?: CallInput<'GET /api/conversations'>['query']) => call('GET /api/conversations', { query }),
      get: (id: string) => call('GET /api/conversations/{id}', { params: { id } }),
      messages: (id: string, query?: CallInput<'GET /api/conversations/{id}/messages'>['query']) =>
        call('GET /api/conversations/{id}/messages', { params: { id }, query }),
      postMessage: (id: string, body: CallInput<'POST /api/conversations/{id}/messages'>['body'], idempotencyKey?: string) =>
        call('POST /api/conversations/{id}/messages', { params: { id }, body, idempotencyKey }),
    },
    tickets: {
      list: (query?: CallInput<'GET /api/tickets'>['query']) => call('GET /api/tickets', { query }),
      get: (id: string) => call('GET /api/tickets/{id}', { params: { id } }),
      create: (body: CallInput<'POST /api/tickets'>['body'], idempotencyKey?: string) => call('POST /api/tickets', { body, idempotencyKey }),
    },
    customers: {
      list: (query?: CallInput<'GET /api/customers'>['query']) => call('GET /api/customers', { query }),
      get: (id: string) => call('GET /api/customers/{id}', { params: { id } }),
      events: (id: string) => call('GET /api/customers/{id}/events', { params: { id } }),
    },
    knowledge: {
      list: (query?: CallInput<'GET /api/knowledge/articles'>['query']) => call('GET /api/knowledge/articles', { query }),
      get: (id: string) => call('GET /api/knowledge/articles/{id}', { params: { id } }),
      search: (query: CallInput<'GET /api/public/knowledge/search'>['query']) => call('GET /api/public/knowledge/search', { query }),
    },
  };
}

export type SeamlessClient = ReturnType<typeof createSeamlessClient>;
