// The database refusals admin writes turn into 4xx answers: a unique key taken by a concurrent
// write (the service checked first, but another transaction committed in between), or a row
// pointed at that a concurrent delete removed.
import { Prisma } from '../../prisma/generated/client.js';

export const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
export const isForeignKeyViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003';
