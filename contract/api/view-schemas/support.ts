// What every view schema file uses: `tied`, which makes typecheck fail when a schema and its view
// differ, and the formats the API writes ids and moments in.
import { z } from 'zod';
import type { ErrorBody } from '../../errors.js';

/** True only when A and B are the same type (not merely assignable one way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Intersections and interfaces, at every depth, as plain object types: Equal then compares members, not spellings. */
type Flat<T> = T extends object ? { [K in keyof T]: Flat<T[K]> } : T;

/**
 * `tied<View>()(name, schema)` compiles only when the schema's output is exactly `View`; `name` is
 * the schema's name among the OpenAPI document's components.
 */
export const tied =
  <View>() =>
  <Schema extends z.ZodType>(
    name: string,
    schema: Schema,
    ..._same: Equal<Flat<z.output<Schema>>, Flat<View>> extends true ? [] : ['the schema differs from its view']
  ) =>
    schema.meta({ id: name }) as Schema;

/** `{ a: true, b: true }` of `['a', 'b']`: a zod `pick` of a list of fields. */
export const maskOf = <const Key extends string>(keys: readonly Key[]) => Object.fromEntries(keys.map((key) => [key, true])) as Record<Key, true>;

/** A moment as the API writes it (`Date.toISOString()`). */
export const timestamp = z.iso.datetime({ offset: true });
export const id = z.uuid();

/** What every stored event shows (the audit log's entries, a contact's journey). */
export const eventFields = {
  id: z.string(),
  type: z.string(),
  occurredAt: timestamp,
  actorKind: z.string(),
  actorId: z.string().nullable(),
};

/** A field that is never present (`kind?: undefined`); JSON Schema says so with `not: {}` (no value matches). */
export const absent = z.undefined().meta({ type: 'string', not: {}, description: 'Never present.' });

export const errorBodySchema = tied<ErrorBody>()(
  'Error',
  z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string(), details: z.unknown().optional() }) }),
);

/** A schema for an answer whose type lives in api/ (contract/ cannot import it): named here, tied to that type in api/openapi/answer-types.ts. */
export const named = <Schema extends z.ZodType>(name: string, schema: Schema) => schema.meta({ id: name }) as Schema;

/** `[]` when the schema's output is exactly `View`, else a message: api/openapi/answer-types.ts ties answers typed in api/ with it. */
export type SameAs<Schema extends z.ZodType, View> = Equal<Flat<z.output<Schema>>, Flat<View>> extends true ? true : 'the schema differs from its view';
