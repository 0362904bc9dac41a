// Chooses the search backend once per process: Meilisearch when MEILI_URL is set, else PostgreSQL.
import type { Db } from '../db.js';
import type { Env } from '../env.js';
import type { KnowledgeSearch } from './knowledge-search.js';
import { createMeiliSearch } from './meili-search.js';
import { createPostgresSearch } from './postgres-search.js';

export function createSearch(db: Db, env: Pick<Env, 'MEILI_URL' | 'MEILI_MASTER_KEY'>): KnowledgeSearch {
  if (env.MEILI_URL) return createMeiliSearch(db, { host: env.MEILI_URL, apiKey: env.MEILI_MASTER_KEY });
  return createPostgresSearch(db);
}
