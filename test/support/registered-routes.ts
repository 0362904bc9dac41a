// The routes the Express app registers, read from its router (no request is made), so suites
// that must cover every endpoint enumerate them instead of keeping a list by hand.
import type { Express } from 'express';
import { createApp } from '../../api/app.js';
import type { ApiDeps } from '../../api/deps.js';

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  slash?: boolean;
  rawPath?: unknown;
}

export interface RegisteredRoute {
  method: string;
  /** Express path with `:param` placeholders. */
  path: string;
}

/** Every route of `app` (Express 5: app.router.stack), walking mounted routers. */
export function registeredRoutes(app: Express): RegisteredRoute[] {
  const found: RegisteredRoute[] = [];
  const walk = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const method of Object.keys(layer.route.methods))
          for (const routePath of paths) found.push({ method: method === '_all' ? 'ALL' : method.toUpperCase(), path: prefix + routePath });
      } else if (layer.handle?.stack) {
        if (!layer.slash && typeof layer.rawPath !== 'string') throw new Error('a router is mounted on a non-string path: teach registeredRoutes() to read it');
        walk(layer.handle.stack, prefix + (layer.slash ? '' : (layer.rawPath as string)));
      }
    }
  };
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
  return found;
}

/** The API's routes, from an app whose dependencies are never called. */
export function apiRoutes(): RegisteredRoute[] {
  const app = createApp({ db: {}, temporal: {}, taskQueue: 'unused', secret: 'unused', authenticate: async () => null, log: () => {} } as unknown as ApiDeps);
  return registeredRoutes(app).filter((route) => route.path.startsWith('/api/'));
}
