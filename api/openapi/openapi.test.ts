// The OpenAPI document against the app: every route the app registers is documented (and nothing
// else), with the auth docs/PERMISSIONS.md gives it, every answer is described exactly (no object
// that may hold undescribed fields), and every documented request example passes the schema its
// route parses with.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { expressPath, splitRouteKey, type RouteAuth, type RouteSpec } from '../../contract/api/route.js';
import { routeRegistry } from '../../contract/api/routes.js';
import { auditEventsQuery } from '../../contract/requests/audit.js';
import { businessHoursBodies } from '../../contract/requests/business-hours.js';
import { apiRoutes } from '../../test/support/registered-routes.js';
import { timeZone } from '../admin-fields.js';
import { buildOpenApiDocument } from './document.js';

const document = buildOpenApiDocument();
const specs = Object.entries(routeRegistry) as [string, RouteSpec][];

/** `METHOD /path` of every operation in the document, with Express's `:param`s. */
const documented = Object.entries(document.paths ?? {}).flatMap(([documentPath, item]) =>
  Object.keys(item as object).map((method) => `${method.toUpperCase()} ${expressPath(documentPath)}`),
);

describe('the OpenAPI document', () => {
  it('documents every route the app registers, and no route it does not', () => {
    const registered = apiRoutes().map((route) => `${route.method} ${route.path}`);
    expect(registered.filter((route) => !documented.includes(route))).toEqual([]);
    expect(documented.filter((route) => !registered.includes(route))).toEqual([]);
    expect(documented.length).toBe(specs.length);
  });

  it('is OpenAPI 3.1 with a schema for every JSON answer and the error body for every refusal', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const [key, spec] of specs) {
      expect(Object.keys(spec.responses).length, key).toBeGreaterThan(0);
      const { method, path: documentPath } = splitRouteKey(key);
      const operation = document.paths?.[documentPath]?.[method.toLowerCase() as 'get'];
      expect(operation?.responses?.['4XX'], key).toBeDefined();
    }
  });

  it('gives each route the auth docs/PERMISSIONS.md gives it', () => {
    const text = readFileSync(path.join(import.meta.dirname, '..', '..', 'docs', 'PERMISSIONS.md'), 'utf8');
    const section = text.split(/^## /m).find((part) => part.startsWith('REST routes')) ?? '';
    const cells = new Map(
      section
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .map((line) => {
          const [route, anyone, visitor, , agent, admin, integration] = line
            .split('|')
            .slice(1, -1)
            .map((cell) => cell.trim().replace(/`/g, ''));
          return [route, [anyone, visitor, agent, admin, integration].join(' ')];
        }),
    );
    const expected = (auth: RouteAuth) => {
      if (auth === 'public') return 'allow allow allow allow allow';
      if (auth === 'visitor') return 'deny own deny deny deny';
      if (auth === 'agent') return 'deny deny allow allow deny';
      if (auth === 'admin') return 'deny deny deny allow deny';
      if (auth === 'inbound-secret') return 'deny deny deny deny deny';
      return `deny deny ${auth.users === 'admin' ? 'deny' : 'allow'} allow scope:${auth.scope}`;
    };
    const mismatches = specs
      .map(([key, spec]) => {
        const { method, path: documentPath } = splitRouteKey(key);
        const route = `${method} ${expressPath(documentPath)}`;
        return { route, registry: expected(spec.auth), permissions: cells.get(route) };
      })
      // A route the matrix lacks is test/permissions.integration-test.ts's failure, not this one's.
      .filter((row) => row.permissions !== undefined && row.registry !== row.permissions);
    expect(mismatches).toEqual([]);
  });
});

/**
 * Where an answer's schema lets fields through undescribed: an object that is not strict, a map of
 * unknown values. `at` is the place in the answer (`.events[].payload`).
 */
function openPlaces(schema: z.ZodType, at = '', seen = new Set<unknown>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const inner = (key: string, place = at) => openPlaces(def[key] as z.ZodType, place, seen);
  switch (def.type) {
    case 'object': {
      const strict = (def.catchall as z.ZodType | undefined)?._zod.def.type === 'never';
      const fields = Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([name, field]) => openPlaces(field, `${at}.${name}`, seen));
      return strict ? fields : [at || '.', ...fields];
    }
    case 'record': {
      const valueType = (def.valueType as z.ZodType)._zod.def.type;
      return [...(valueType === 'unknown' || valueType === 'any' ? [`${at}{}`] : []), ...inner('valueType', `${at}{}`)];
    }
    case 'array':
      return inner('element', `${at}[]`);
    case 'union':
      return (def.options as z.ZodType[]).flatMap((option) => openPlaces(option, at, seen));
    case 'intersection':
      return [...inner('left'), ...inner('right')];
    case 'pipe':
      return [...inner('in'), ...inner('out')];
    case 'lazy':
      return openPlaces((def.getter as () => z.ZodType)(), at, seen);
    default:
      return 'innerType' in def ? inner('innerType') : [];
  }
}

/** The only open places in 2xx answers, each with why it is open (contract/api/README.md lists them too). */
const openByDesign: Record<string, string> = {
  'GET /api/openapi.json 200 .': 'the OpenAPI 3.1 document itself, described by its own specification',
  'GET /api/channels 200 .channels[].settings{}': "a channel's settings, whose fields depend on its kind",
  'PATCH /api/channels/{id} 200 .channel.settings{}': "a channel's settings, whose fields depend on its kind",
  'GET /api/customers/{id}/events 200 .events[].payload{}': "a journey event's payload, whose fields depend on its type (contract/events.ts)",
  ...Object.fromEntries(
    ['POST /api/what-if 202', 'GET /api/what-if/{id} 200', 'POST /api/what-if/{id}/cancel 200'].map((answer) => [
      `${answer} .whatIf.candidate{}`,
      "a what-if job's candidate setting as posted, whose fields depend on its kind (the request body's schema lists them)",
    ]),
  ),
};

describe('the documented answers', () => {
  it('are exact: every object strict, every map of described values, but for the few open by design', () => {
    const open = specs.flatMap(([key, spec]) =>
      Object.entries(spec.responses)
        .filter(([status, answer]) => Number(status) < 300 && answer !== null && 'safeParse' in answer)
        .flatMap(([status, answer]) => openPlaces(answer as z.ZodType).map((place) => `${key} ${status} ${place}`)),
    );
    expect(open.sort()).toEqual(Object.keys(openByDesign).sort());
  });

  it('finds what is open: a loose or stripping object, a map of unknown values, at any depth', async () => {
    const { z: zod } = await import('zod');
    expect(openPlaces(zod.strictObject({ a: zod.array(zod.strictObject({ b: zod.string() })) }))).toEqual([]);
    expect(openPlaces(zod.strictObject({ a: zod.array(zod.looseObject({})) }))).toEqual(['.a[]']);
    expect(openPlaces(zod.object({}).nullable())).toEqual(['.']);
    expect(openPlaces(zod.strictObject({ m: zod.record(zod.string(), zod.unknown()), n: zod.record(zod.string(), zod.number()) }))).toEqual(['.m{}']);
  });
});

describe('the documented request examples', () => {
  // Business hours and the audit log's query are made by the API with its own checks (time zones
  // by luxon): their examples must pass those too.
  const serverSchemas: Record<string, z.ZodType> = {
    'POST /api/business-hours': businessHoursBodies(timeZone).create,
    'PATCH /api/business-hours/{id}': businessHoursBodies(timeZone).update,
  };
  const withBody = specs.filter(([, spec]) => spec.body);

  it('exist for every route that takes a JSON body', () => {
    expect(withBody.filter(([, spec]) => !spec.examples?.length).map(([key]) => key)).toEqual([]);
    expect(withBody.length).toBeGreaterThanOrEqual(60);
  });

  it.each(withBody)('%s: each passes the route’s own schema', (key, spec) => {
    for (const example of spec.examples ?? []) {
      for (const schema of [spec.body!, serverSchemas[key]].filter(Boolean)) {
        const result = schema!.safeParse(example);
        expect(result.error?.issues ?? [], JSON.stringify(example)).toEqual([]);
      }
    }
  });

  it.each(withBody)('%s: an example with a field the route does not know fails', (_key, spec) => {
    const broken = { ...(spec.examples![0] as object), notAField: true };
    expect(spec.body!.safeParse(broken).success).toBe(false);
  });

  it('the audit log query documented is the one the route makes', () => {
    const documentedQuery = routeRegistry['GET /api/audit-events'].query;
    expect(Object.keys(documentedQuery?.shape ?? {})).toEqual(Object.keys(auditEventsQuery(() => true).shape));
  });
});
