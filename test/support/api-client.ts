// Talks to a running API over HTTP and WebSocket, as the console and the widget do: the
// in-process system (system.ts) and the API child process (api-process.ts) share it.
import { demoPassword } from '../../prisma/demo-data.js';
import { openSocket, type TestSocket } from './socket-client.js';

// Response bodies are JSON the tests inspect field by field; their assertions are the type check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, for malformed bodies. */
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
}

export interface ApiClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  /** Logs a demo user in and returns the bearer token. */
  login(email: string): Promise<string>;
  /** A new widget visitor: token and customer id. */
  visitor(name?: string): Promise<{ token: string; customerId: string }>;
  /** Opens /ws (after `after`, when given); resolves once the backlog is delivered. */
  socket(token: string, after?: string, xmin?: string): Promise<TestSocket>;
  /** Closes every socket this client opened. */
  closeSockets(): Promise<void>;
}

export function createApiClient(baseUrl: string): ApiClient {
  const sockets: TestSocket[] = [];
  const request = async (method: string, path: string, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Uint8Array | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  return {
    request,
    async login(email) {
      const response = await request('POST', '/api/auth/login', { body: { email, password: demoPassword } });
      if (response.status !== 200) throw new Error(`login of ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.token as string;
    },
    async visitor(name = 'Test Visitor') {
      const response = await request('POST', '/api/widget/visitors', { body: { name } });
      if (response.status !== 201) throw new Error(`visitor creation failed: ${response.status}`);
      return { token: response.body.token as string, customerId: response.body.customer.id as string };
    },
    async socket(token, after, xmin) {
      const socket = await openSocket(baseUrl, token, after, xmin);
      sockets.push(socket);
      return socket;
    },
    async closeSockets() {
      await Promise.all(sockets.splice(0).map((socket) => socket.close()));
    },
  };
}
