// The database refusals admin writes turn into 4xx answers: a unique key taken by a concurrent
// write (the service checked first, but another transaction committed in between), or a row
// pointed at that a concurrent delete removed; and the find-or-create of idempotent writes.
import { Prisma } from '../../prisma/generated/client.js';

export const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
export const isForeignKeyViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003';

/**
 * What `find` finds, else what `create` stores. `create` may lose a race to a concurrent attempt
 * with the same unique key (a retried request, a redelivered mail): then what that attempt stored
 * is found and answered, as if it had been there first.
 */
export async function findOrCreate<T>(find: () => Promise<T | null>, create: () => Promise<T>): Promise<T> {
  const found = await find();
  if (found !== null) return found;
  try {
    return await create();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const raced = await find();
    if (raced === null) throw error;
    return raced;
  }
}
