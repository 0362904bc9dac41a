// Meilisearch knowledge search against the same contract as PostgreSQL, in a temporary index
// filled from a clone of the seeded database (deleted afterwards).
import { randomUUID } from 'node:crypto';
import { Meilisearch } from 'meilisearch';
import { describe, inject } from 'vitest';
import { createDb } from '../db.js';
import { cloneTemplateDatabase } from '../../test/support/test-database.js';
import { databaseArticles, describeKnowledgeSearchContract } from '../../test/support/knowledge-search-contract.js';
import { createMeiliSearch } from './meili-search.js';

const host = process.env.MEILI_URL;
const apiKey = process.env.MEILI_MASTER_KEY;

// Meilisearch is an optional backend: the test stack (test/global-setup.ts) starts PostgreSQL and
// Temporal only, and a Meilisearch server cannot be installed everywhere the tests run. Set
// MEILI_URL (and MEILI_MASTER_KEY when the server has one) to run the contract against it.
describe.skipIf(!host)('Meilisearch', () => {
  describeKnowledgeSearchContract('Meilisearch', async () => {
    const db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });
    const indexName = `articles_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const search = createMeiliSearch(db, { host: host!, apiKey, indexName });
    // The demo articles, indexed as the API would have after writing each of them.
    for (const { id } of await db.knowledgeArticle.findMany({ select: { id: true } })) await search.indexArticle(id);
    return {
      search,
      ...databaseArticles(db, search),
      async close() {
        await new Meilisearch({ host: host!, apiKey }).deleteIndex(indexName).waitTask();
        await db.$disconnect();
      },
    };
  });
});
