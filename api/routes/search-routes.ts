// GET /api/search (issue 21): conversations of every status and tickets holding the text, each
// with a snippet of where it matched (api/finders/search-finder.ts). Who may see what is the
// inbox's rule; an API key needs conversations:read, and gets tickets too with tickets:read.
import { Router } from 'express';
import { searchQuery } from '../../contract/search.js';
import { passesScope, requireScope } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import { search } from '../finders/search-finder.js';
import { parse } from '../validate.js';

export function searchRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/api/search', async (req, res) => {
    const viewer = requireScope(res, 'conversations:read');
    const query = parse(searchQuery, req.query, 'query');
    res.json(await search(deps.db, viewer, query, passesScope(viewer, 'tickets:read')));
  });

  return router;
}
