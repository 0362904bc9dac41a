// One HTTP server carrying the REST API and the WebSocket endpoint; shared by main.ts and tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachRealtime } from '../realtime/realtime-server.js';
import { createApp } from './app.js';
import { createWorkflowRelay } from './services/workflow-relay.js';
import type { ApiDeps } from './deps.js';

export interface RunningApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startApi(deps: ApiDeps & { databaseUrl: string; host: string; port: number }): Promise<RunningApi> {
  const relay = deps.relay ?? createWorkflowRelay(deps);
  const server = createServer(createApp({ ...deps, relay }));
  const realtime = await attachRealtime({ server, db: deps.db, databaseUrl: deps.databaseUrl, authenticate: deps.authenticate, log: deps.log });
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
