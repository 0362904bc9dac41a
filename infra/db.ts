// The Prisma client over node-postgres (no native query engine needed).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../prisma/generated/client.js';

export type Db = PrismaClient;
/** The client handed to a `$transaction` callback. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function createDb(connectionString: string, options: { poolSize?: number } = {}): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: options.poolSize ?? 10 }) });
}
