// The optional dependencies are decided once, when the app is built.
import { describe, expect, it } from 'vitest';
import type { AiApi } from '../infra/ai/ai-api.js';
import type { KnowledgeSearch } from '../infra/search/knowledge-search.js';
import { resolveOptionalDeps } from './app.js';
import type { ApiDeps } from './deps.js';

const bare = { db: {}, temporal: {}, taskQueue: 'q', secret: 's', authenticate: async () => null, log: () => {} } as unknown as ApiDeps;

describe('resolveOptionalDeps', () => {
  it('falls back to PostgreSQL search and the local AI when none is configured', () => {
    const resolved = resolveOptionalDeps(bare);
    expect(resolved.ai.provider).toBe('local');
    expect(typeof resolved.search.search).toBe('function');
  });

  it('keeps the search engine and the AI it was given', () => {
    const search = { search: async () => [], indexArticle: async () => {} } satisfies KnowledgeSearch;
    const ai = { provider: 'openai' } as AiApi;
    const resolved = resolveOptionalDeps({ ...bare, search, ai });
    expect(resolved.search).toBe(search);
    expect(resolved.ai).toBe(ai);
  });
});
