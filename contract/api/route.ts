// What the route registry (routes.ts) says about one REST route: who may call it, what it takes
// and what it answers. The request schemas are the very objects the route parses with (imported
// from contract/requests/ or domain/), so the OpenAPI document (api/openapi/) and the typed client
// (packages/client) cannot describe anything the API does not check.
import type { z } from 'zod';
import type { ApiScope } from '../../domain/api-scopes.js';
import { errorBodySchema } from './view-schemas/index.js';

/**
 * Who may call a route (api/authentication.ts; docs/PERMISSIONS.md holds the same matrix):
 * - `public`: nobody needs to sign in;
 * - `visitor`: a widget visitor's token (its own conversations only);
 * - `agent` / `admin`: a signed-in person's session token (`admin`: admins only);
 * - `{ scope }`: agents (admins only with `users: 'admin'`) and API keys holding `scope`;
 * - `inbound-secret`: an email channel's own `X-Inbound-Secret` header, no sign-in.
 */
export type RouteAuth = 'public' | 'visitor' | 'agent' | 'admin' | 'inbound-secret' | { scope: ApiScope; users?: 'admin' };

/** What one status answers: a JSON body's schema, no body (`null`), or a body of another media type. */
export type RouteResponse = z.ZodType | null | { contentType: string; description: string };

export const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof methods)[number];

export interface RouteSpec<
  Params extends z.ZodType | undefined = z.ZodType | undefined,
  Query extends z.ZodType | undefined = z.ZodType | undefined,
  Body extends z.ZodType | undefined = z.ZodType | undefined,
  Responses extends Record<number, RouteResponse> = Record<number, RouteResponse>,
> {
  summary: string;
  /** The group the docs page lists it under. */
  tag: string;
  description?: string;
  auth: RouteAuth;
  params?: Params;
  query?: Query;
  /** A JSON body. */
  body?: Body;
  /** A body of raw bytes instead of JSON (a file, a mail): its media types. */
  rawBody?: { contentTypes: string[]; description: string };
  /** Takes an `Idempotency-Key` header (api/README.md). */
  idempotent?: boolean;
  /** By status. Errors (4xx, 5xx) are always the error body (`errorBodySchema`) and need not be listed. */
  responses: Responses;
  /** Request bodies as a client sends them; each must pass `body` (api/openapi/openapi.test.ts). */
  examples?: Body extends z.ZodType ? readonly z.input<Body>[] : never;
}

/** Keeps each route's own schema types, so the client can infer its input and answer. */
export const route = <
  Params extends z.ZodType | undefined = undefined,
  Query extends z.ZodType | undefined = undefined,
  Body extends z.ZodType | undefined = undefined,
  const Responses extends Record<number, RouteResponse> = Record<number, RouteResponse>,
>(
  spec: RouteSpec<Params, Query, Body, Responses>,
) => spec;

/** `'POST /api/conversations/{id}/messages'` → its method and OpenAPI path. */
export function splitRouteKey(key: string): { method: Method; path: string } {
  const [method, path] = key.split(' ') as [Method, string];
  return { method, path };
}

/** `/api/conversations/{id}` → Express's `/api/conversations/:id`. */
export const expressPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ':$1');

export { errorBodySchema };
