// A lean JSON-over-HTTP client for load generation: node:http with a keep-alive agent (cheaper
// per request than fetch on Node 20), a per-request timeout, and monotonic timestamps.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpResult {
  /** HTTP status, or 0 when the request failed without a response (timeout, connection error). */
  status: number;
  // Response bodies are JSON whose fields the bench reads directly.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** Raw body text (kept for error reports). */
  text: string;
  /** performance.now() when the request was handed to the socket layer, and when the response ended. */
  startedAt: number;
  endedAt: number;
  error?: string;
}

export interface HttpClient {
  /** The API's address (for the typed client, @seamless/client, used outside the measured paths). */
  readonly baseUrl: string;
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<HttpResult>;
  close(): void;
  /** Requests repeated once because their keep-alive socket had been closed by the server as idle. */
  retriedOnStaleSocket?(): number;
}

export function createHttpClient(baseUrl: string, options: { maxSockets: number; timeoutMs: number }): HttpClient {
  const base = new URL(baseUrl);
  if (base.protocol !== 'http:') throw new Error(`only http:// targets are supported (got ${baseUrl})`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets });
  let retriedOnStaleSocket = 0;
  const staleSocketRetries = 3;

  const request: HttpClient['request'] = (method, path, { token, body, headers = {} } = {}) =>
    send(method, path, { token, body, headers }, performance.now(), staleSocketRetries);

  /**
   * One attempt. A keep-alive socket the server closed as idle (Node's 5 s keepAliveTimeout)
   * while this request went out on it fails with ECONNRESET before any response: that attempt is
   * repeated (Node's documented pattern, `req.reusedSocket`), keeping the first start time. The
   * agent may hand the repeat another idle socket closed at the same moment, so up to
   * `staleSocketRetries` times. The bench's POSTs carry an Idempotency-Key where the widget sends one.
   */
  const send = (
    method: string,
    path: string,
    { token, body, headers = {} }: { token?: string; body?: unknown; headers?: Record<string, string> },
    startedAt: number,
    retriesLeft: number,
  ) =>
    new Promise<HttpResult>((resolve) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const requestHeaders: Record<string, string> = { accept: 'application/json', ...headers };
      if (token) requestHeaders.authorization = `Bearer ${token}`;
      if (payload !== undefined) {
        requestHeaders['content-type'] = 'application/json';
        requestHeaders['content-length'] = String(Buffer.byteLength(payload));
      }
      let settled = false;
      const finish = (result: Omit<HttpResult, 'startedAt' | 'endedAt'>) => {
        if (settled) return;
        settled = true;
        resolve({ ...result, startedAt, endedAt: performance.now() });
      };
      const req = http.request(
        { agent, host: base.hostname, port: base.port || 80, method, path: `${base.pathname.replace(/\/$/, '')}${path}`, headers: requestHeaders },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              parsed = null;
            }
            finish({ status: res.statusCode ?? 0, body: parsed, text });
          });
          res.on('error', (error) => finish({ status: 0, body: null, text: '', error: error.message }));
        },
      );
      req.setTimeout(options.timeoutMs, () => {
        req.destroy(new Error(`timeout after ${options.timeoutMs} ms`));
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (!settled && retriesLeft > 0 && req.reusedSocket && error.code === 'ECONNRESET') {
          settled = true;
          retriedOnStaleSocket += 1;
          resolve(send(method, path, { token, body, headers }, startedAt, retriesLeft - 1));
          return;
        }
        finish({ status: 0, body: null, text: '', error: error.message });
      });
      req.end(payload);
    });

  return { baseUrl, request, close: () => agent.destroy(), retriedOnStaleSocket: () => retriedOnStaleSocket };
}

/** Counts statuses of one endpoint and keeps a few failure samples for the report. */
export class EndpointTally {
  readonly statuses: Record<string, number> = {};
  readonly samples: { status: number; body: string }[] = [];
  ok = 0;
  failed = 0;

  constructor(readonly endpoint: string) {}

  /** Records one result; true when it has the expected status. */
  add(result: HttpResult, expected: number): boolean {
    const key = result.status === 0 ? `no response (${result.error ?? 'unknown'})` : String(result.status);
    this.statuses[key] = (this.statuses[key] ?? 0) + 1;
    if (result.status === expected) {
      this.ok += 1;
      return true;
    }
    this.failed += 1;
    if (this.samples.length < 5) this.samples.push({ status: result.status, body: (result.text || result.error || '').slice(0, 500) });
    return false;
  }

  toJSON() {
    return { endpoint: this.endpoint, ok: this.ok, failed: this.failed, statuses: this.statuses, failureSamples: this.samples };
  }
}

/** Runs `task` for 0..count-1 with at most `concurrency` at once. */
export async function runPool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

/** A counting semaphore: bounds requests in flight across independent loops. */
export class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private available: number) {}

  async acquire(): Promise<void> {
    if (this.available > 0) {
      this.available -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.available += 1;
  }
}
