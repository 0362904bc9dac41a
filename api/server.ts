// One HTTP server carrying the REST API and the WebSocket endpoint; shared by main.ts and tests.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express, Request } from 'express';
import type { ConnectionLimitOptions } from '../realtime/connection-limits.js';
import { attachRealtime } from '../realtime/realtime-server.js';
import { createApp } from './app.js';
import { createWorkflowRelay } from './services/workflow-relay.js';
import type { ApiDeps } from './deps.js';

export interface RunningApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startApi(
  deps: ApiDeps & { databaseUrl: string; host: string; port: number; realtimeLimits?: Partial<ConnectionLimitOptions> },
): Promise<RunningApi> {
  const relay = deps.relay ?? createWorkflowRelay(deps);
  // Readiness asks the realtime server, attached to the HTTP server below (before it listens, so
  // before any probe), whether live events flow.
  const app = createApp({ ...deps, relay, eventStreamListening: () => realtime.listening() });
  const server = createServer(app);
  // Keep idle keep-alive connections longer than the proxies in front usually do (60 s for the
  // common cloud load balancers). With Node's 5 s default the server closes a connection the
  // proxy or client is about to reuse, and that request fails with no response at all ("socket
  // hang up", a 502 at the proxy): 6 of 69,600 messages in a 10-minute bench soak.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const realtime = await attachRealtime({
    server,
    db: deps.db,
    databaseUrl: deps.databaseUrl,
    authenticate: deps.authenticate,
    // The address REST's rate limits count by (Express's `trust proxy`), so both count one client alike.
    clientIp: (req) => clientAddress(app, req),
    limits: deps.realtimeLimits,
    log: deps.log,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${deps.host}:${port}`,
    async close() {
      // Stop accepting, let in-flight requests finish, then drop idle keep-alive sockets.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await realtime.close();
      server.closeIdleConnections();
      await closed;
      await relay.close();
    },
  };
}

/**
 * The client's address by Express's own `req.ip` (its `trust proxy` setting) for a request that
 * never passes through Express: a WebSocket upgrade.
 */
function clientAddress(app: Express, req: IncomingMessage): string {
  const view = Object.create(app.request, { headers: { value: req.headers }, socket: { value: req.socket }, connection: { value: req.socket } }) as Request;
  return view.ip ?? req.socket.remoteAddress ?? 'unknown';
}
