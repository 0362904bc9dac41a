// The scrape endpoint: GET /metrics on a port of its own, apart from the public API, bound to
// 127.0.0.1 unless METRICS_HOST says otherwise, so metrics are never public by accident. A process
// without a public port of its own (the worker) answers its health probes here too:
// GET /health (liveness: it answers) and GET /health/ready (200 or 503 with the report).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registry } from './metrics.js';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  /** The exposition text to serve (default: this process's registry). */
  text?: () => Promise<string>;
  /** Readiness for GET /health/ready; without it only /metrics is served. */
  readiness?: () => Promise<{ ready: boolean }>;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const text = options.text ?? (() => registry.metrics());
  const { readiness } = options;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) =>
      res
        .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...(status === 503 ? { 'retry-after': '5' } : {}) })
        .end(JSON.stringify(body));
    if (req.method === 'GET' && readiness && path === '/health') return json(200, { ok: true });
    if (req.method === 'GET' && readiness && path === '/health/ready') {
      readiness().then(
        (report) => json(report.ready ? 200 : 503, report),
        (error: unknown) => json(503, { ready: false, error: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: metrics are at GET /metrics\n');
      return;
    }
    text().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (error: unknown) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`could not collect metrics: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
