// Refuses JSON bodies nested deeper than any endpoint needs, before zod or Prisma walk them:
// both recurse, and a body of 10,000 nested arrays (20 KB, well under the size limit) would cost
// a deep stack in each. The walk here is iterative, so the check itself cannot overflow.
import type { RequestHandler } from 'express';
import { HttpError } from './http-error.js';

/** The deepest body an endpoint accepts is a rule (conditions nest 6 groups, ~15 JSON levels). */
export const maxBodyDepth = 32;

/** The nesting depth of a parsed JSON value (a scalar is 0, `[]` is 1), counting no further than `limit + 1`. */
export function jsonDepth(value: unknown, limit = maxBodyDepth): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) stack.push([child, level]);
  }
  return deepest;
}

export function rejectDeepBodies(limit = maxBodyDepth): RequestHandler {
  return (req, _res, next) => {
    if (jsonDepth(req.body, limit) > limit) throw new HttpError(400, 'too_deeply_nested', `The request body nests deeper than ${limit} levels.`);
    next();
  };
}
