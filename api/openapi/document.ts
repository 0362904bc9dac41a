// The OpenAPI 3.1 document of the REST API, built from the route registry
// (contract/api/routes.ts) by @asteasolutions/zod-to-openapi: the request schemas are the ones the
// routes parse with, so the document cannot promise what the API does not check. Built once per
// process, on first request.
import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { apiScopes } from '../../domain/api-scopes.js';
import { routeRegistry } from '../../contract/api/routes.js';
import { splitRouteKey, type RouteAuth, type RouteResponse, type RouteSpec } from '../../contract/api/route.js';
import { errorBodySchema } from '../../contract/api/view-schemas/index.js';
import { commonErrorCodes } from '../../contract/errors.js';

const securitySchemes = {
  session: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'sst_…',
    description: 'An agent’s or admin’s session token from POST /api/auth/login.',
  },
  visitorToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'signed visitor token',
    description: 'A widget visitor’s token from POST /api/widget/visitors: that customer’s own conversations only.',
  },
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'sk_live_…',
    description: `An integration’s API key, acting within its scopes: ${Object.entries(apiScopes)
      .map(([scope, what]) => `\`${scope}\` — ${what}`)
      .join(' ')}`,
  },
  inboundSecret: { type: 'apiKey', in: 'header', name: 'X-Inbound-Secret', description: 'An email channel’s own webhook secret.' },
} as const;

/** The security requirement and the sentence that says it, by the route's auth. */
function securityOf(auth: RouteAuth): { security: RouteConfig['security']; says: string } {
  if (auth === 'public') return { security: [], says: 'Public: no sign-in.' };
  if (auth === 'visitor') return { security: [{ visitorToken: [] }], says: 'A widget visitor’s token; their own conversations only.' };
  if (auth === 'agent') return { security: [{ session: [] }], says: 'Agents and admins (session token). API keys are refused (403).' };
  if (auth === 'admin') return { security: [{ session: [] }], says: 'Admins only (session token). Agents and API keys are refused (403).' };
  if (auth === 'inbound-secret') return { security: [{ inboundSecret: [] }], says: 'The email channel’s X-Inbound-Secret; a sign-in is refused (403).' };
  const people = auth.users === 'admin' ? 'Admins (session token)' : 'Agents and admins (session token)';
  return {
    security: [{ session: [] }, { apiKey: [auth.scope] }],
    says: `${people}, or an API key with the \`${auth.scope}\` scope (403 \`missing_scope\` without it).`,
  };
}

function responseOf(status: string, response: RouteResponse): ResponseConfig {
  const description = status.startsWith('2') ? (status === '201' ? 'Created.' : status === '202' ? 'Accepted.' : 'OK.') : 'See the body.';
  if (response === null) return { description: status === '204' ? 'No content.' : description };
  if ('contentType' in response && typeof response.contentType === 'string') {
    return { description: response.description, content: { [response.contentType]: { schema: binary } } };
  }
  return { description, content: { 'application/json': { schema: response as Exclude<RouteResponse, null | { contentType: string }> } } };
}

type Request = NonNullable<RouteConfig['request']>;
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

const binary = { type: 'string', format: 'binary' } as const;

const idempotencyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[\w.:-]{1,200}$/)
    .optional()
    .meta({ description: 'Makes a retry safe: the same key answers what the first request stored (api/README.md).' }),
});

function requestBodyOf(spec: RouteSpec): Request['body'] {
  if (spec.body) {
    const examples = spec.examples?.length ? Object.fromEntries(spec.examples.map((example, index) => [`example${index + 1}`, { value: example }])) : undefined;
    return { required: true, content: { 'application/json': { schema: spec.body, examples } } };
  }
  if (spec.rawBody)
    return {
      required: true,
      description: spec.rawBody.description,
      content: Object.fromEntries(spec.rawBody.contentTypes.map((type) => [type, { schema: binary }])),
    };
  return undefined;
}

const errors: Record<string, ResponseConfig> = {
  '4XX': {
    description: `A refusal: \`{ error: { code, message, details? } }\`; \`code\` is stable (common codes: ${commonErrorCodes.join(', ')}; 429 rate_limited with Retry-After).`,
    content: { 'application/json': { schema: errorBodySchema } },
  },
  '5XX': {
    description: '500 internal, or 503 service_unavailable / workflow_unavailable with Retry-After: try again.',
    content: { 'application/json': { schema: errorBodySchema } },
  },
};

export function buildOpenApiDocument(): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  for (const [name, scheme] of Object.entries(securitySchemes)) registry.registerComponent('securitySchemes', name, scheme);
  for (const [key, value] of Object.entries(routeRegistry)) {
    const spec = value as RouteSpec;
    const { method, path } = splitRouteKey(key);
    const { security, says } = securityOf(spec.auth);
    registry.registerPath({
      method: method.toLowerCase() as RouteConfig['method'],
      path,
      operationId: key,
      summary: spec.summary,
      description: [
        says,
        spec.idempotent ? 'Takes an `Idempotency-Key` header: a retry with the same key answers what the first stored (200).' : '',
        spec.description ?? '',
      ]
        .filter(Boolean)
        .join('\n\n'),
      tags: [spec.tag],
      security,
      request: {
        params: spec.params as Request['params'],
        query: spec.query as Request['query'],
        headers: spec.idempotent ? idempotencyHeader : undefined,
        body: requestBodyOf(spec),
      },
      responses: { ...Object.fromEntries(Object.entries(spec.responses).map(([status, response]) => [status, responseOf(status, response)])), ...errors },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Seamless REST API',
      version: '1',
      description:
        'The REST API of Seamless. Every route is also served under `/api/v1/…` (the same API; see api/README.md "Versioning" for what may change within a version). Errors are `{ error: { code, message, details? } }`. A typed client: packages/client (`@seamless/client`).',
    },
    // The paths are /api/…; a client pinning version 1 calls /api/v1/… instead (api/README.md, "Versioning").
    servers: [{ url: '/' }],
  });
}

let built: OpenApiDocument | null = null;

/** The document, built on first use. */
export const openApiDocument = (): OpenApiDocument => (built ??= buildOpenApiDocument());
