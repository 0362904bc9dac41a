// Health for load balancers, orchestrators and `npm start`: liveness (the process answers) and
// readiness (it can serve: the database answers). Public, before authentication and rate limits.
import { Router } from 'express';
import type { ApiDeps } from '../deps.js';
import { createReadinessCheck } from '../services/readiness.js';

export function healthRoutes(deps: Pick<ApiDeps, 'db' | 'temporal' | 'eventStreamListening' | 'reports'>): Router {
  const router = Router();
  const readiness = createReadinessCheck(deps);

  /**
   * Liveness: touches nothing, so an outage of the database never gets a healthy process
   * restarted (it recovers by itself once the database is back; api/README.md).
   */
  router.get('/api/health', (_req, res) => {
    res.json({ ok: true });
  });

  /**
   * Readiness: 200 when the database answers within 2 s and live events reach the sockets, else
   * 503 with Retry-After (take this process out of rotation, keep it running). Temporal and a
   * read replica are reported but not required.
   */
  router.get('/api/health/ready', async (_req, res) => {
    const report = await readiness();
    res.set('Cache-Control', 'no-store');
    if (!report.ready) res.status(503).set('Retry-After', '5');
    res.json(report);
  });

  return router;
}
