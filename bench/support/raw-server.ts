// The raw baseline's server, run as its own process (like the API): a bare node:http server that
// INSERTs each posted message into a scratch table of the same PostgreSQL (pg Pool, no ORM, no
// transaction, no auth) and broadcasts it over a bare `ws` server to every subscriber, in the
// product's frame shape. What "store, then push" costs with nothing else on the path.
//
// env: BENCH_RAW_DATABASE_URL (required), BENCH_RAW_POOL_SIZE (10). Prints its URL when listening.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { WebSocketServer, type WebSocket } from 'ws';

/** Created (and dropped) by bench/support/raw-baseline.ts. */
const rawScratchSchema = 'bench_scratch';

const databaseUrl = process.env.BENCH_RAW_DATABASE_URL;
if (!databaseUrl) throw new Error('BENCH_RAW_DATABASE_URL is required');
const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.BENCH_RAW_POOL_SIZE ?? 10) });
const subscribers = new Set<WebSocket>();

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    return;
  }
  if (req.method !== 'POST' || req.url !== '/messages') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    void (async () => {
      try {
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { conversationId: string; body: string };
        const { rows } = await pool.query<{ id: string; created_at: Date }>(
          `INSERT INTO ${rawScratchSchema}.message (conversation_id, body) VALUES ($1, $2) RETURNING id, created_at`,
          [input.conversationId, input.body],
        );
        const row = rows[0]!;
        const message = { id: String(row.id), conversationId: input.conversationId, body: input.body, createdAt: row.created_at.toISOString() };
        const frame = JSON.stringify({ type: 'event', event: { id: String(row.id), type: 'message.created', payload: { message } } });
        for (const socket of subscribers) if (socket.readyState === socket.OPEN) socket.send(frame);
        const body = JSON.stringify({ message });
        res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      } catch (error) {
        const body = JSON.stringify({ error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } });
        res.writeHead(500, { 'content-type': 'application/json' }).end(body);
      }
    })();
  });
});

const wss = new WebSocketServer({ server, path: '/ws' });
wss.on('connection', (socket) => {
  subscribers.add(socket);
  socket.on('close', () => subscribers.delete(socket));
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`raw baseline listening on http://127.0.0.1:${port}`);
});

const shutdown = () => {
  for (const socket of subscribers) socket.terminate();
  wss.close();
  server.close();
  server.closeAllConnections();
  void pool.end().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
