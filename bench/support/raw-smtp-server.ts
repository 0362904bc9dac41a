// The email bench's raw baseline, run as its own process (like the API): a bare SMTP listener
// (smtp-server) that parses each mail with mailparser, INSERTs the raw bytes and the text into a
// scratch table of the same PostgreSQL (pg Pool, no ORM, no threading, no customer lookup, no
// workflow) and broadcasts the text over a bare `ws` server in the product's frame shape, before
// it answers 250. What "receive, parse, store, then push" costs with nothing else on the path.
//
// env: BENCH_RAW_DATABASE_URL (required), BENCH_RAW_POOL_SIZE (10). Prints its ports when listening.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { WebSocketServer, type WebSocket } from 'ws';

/** Created (and dropped) by bench/email.ts. */
const scratchSchema = 'bench_scratch';

const databaseUrl = process.env.BENCH_RAW_DATABASE_URL;
if (!databaseUrl) throw new Error('BENCH_RAW_DATABASE_URL is required');
const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.BENCH_RAW_POOL_SIZE ?? 10) });
const subscribers = new Set<WebSocket>();

const smtp = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  logger: false,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (error) => callback(error));
    stream.on('end', () => {
      void (async () => {
        try {
          const raw = Buffer.concat(chunks);
          const mail = await simpleParser(raw);
          const body = (mail.text ?? '').trim();
          const { rows } = await pool.query<{ id: string; created_at: Date }>(
            `INSERT INTO ${scratchSchema}.email (message_id, raw, body) VALUES ($1, $2, $3) RETURNING id, created_at`,
            [mail.messageId ?? null, raw, body],
          );
          const row = rows[0]!;
          const message = { id: String(row.id), body, createdAt: row.created_at.toISOString() };
          const frame = JSON.stringify({ type: 'event', event: { id: String(row.id), type: 'message.created', payload: { message } } });
          for (const socket of subscribers) if (socket.readyState === socket.OPEN) socket.send(frame);
          callback();
        } catch (error) {
          callback(error instanceof Error ? error : new Error(String(error)));
        }
      })();
    });
  },
});

const web = http.createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: web, path: '/ws' });
wss.on('connection', (socket) => {
  subscribers.add(socket);
  socket.on('close', () => subscribers.delete(socket));
});

smtp.listen(0, '127.0.0.1', () => {
  web.listen(0, '127.0.0.1', () => {
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    const webPort = (web.address() as AddressInfo).port;
    console.log(`raw smtp baseline listening on smtp://127.0.0.1:${smtpPort} ws://127.0.0.1:${webPort}/ws`);
  });
});

const shutdown = () => {
  for (const socket of subscribers) socket.terminate();
  wss.close();
  web.close();
  web.closeAllConnections();
  smtp.close(() => void pool.end().finally(() => process.exit(0)));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
