// Reading a list's filters back from its URL query (`#/tickets?status=open`): a link can be
// edited or stale, so every parameter is checked and anything unknown falls back.

type RouteQuery = Record<string, unknown>;

/** The first value of a parameter (`?a=1&a=2` gives `1`). */
const firstOf = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

/** A parameter that must be one of `values`; absent or unknown gives the fallback. */
export function queryChoice<T extends string>(query: RouteQuery, key: string, values: readonly T[], fallback: T): T {
  const value = firstOf(query[key]);
  return typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** A free-text parameter, cut to `maxLength`; absent gives ''. */
export function queryText(query: RouteQuery, key: string, maxLength: number): string {
  const value = firstOf(query[key]);
  return typeof value === 'string' ? value.slice(0, maxLength) : '';
}
