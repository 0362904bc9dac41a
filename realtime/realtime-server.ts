// The /ws endpoint: authenticate at the upgrade, replay what the client missed, then push live
// events it may see; relay typing indicators (typing-relay.ts); close the sockets of a session
// that ends (logout, expiry).
//
// Ending sessions across API processes: logout revokes the row and NOTIFYs
// `seamless_sessions_revoked` with the token's hash in the same transaction (infra/auth/sessions.ts);
// every process LISTENs on its event-stream connection and closes the sockets it holds for that
// session at once. NOTIFY alone can miss: a revocation while the LISTEN connection is down, one
// racing an upgrade in flight, or an expiry (nothing is sent when time runs out). So every
// heartbeat each process also re-reads the state of its sockets' sessions in one query and closes
// what is revoked or expired; a socket outlives its session by at most one heartbeat then.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventView } from '../domain/events.js';
import { canSee, type Scope, type Viewer } from '../domain/visibility.js';
import type { Authenticate } from '../infra/auth/principal.js';
import { sessionKeyOf, sessionStates, sessionTokenPrefix } from '../infra/auth/sessions.js';
import { isDatabaseUnavailable } from '../infra/database-errors.js';
import type { Db } from '../infra/db.js';
import { toEventView, type EventRow } from '../infra/event-log.js';
import { listenToEvents } from './event-stream.js';
import type { TypingMessage } from './typing.js';
import { createTypingRelay } from './typing-relay.js';

export const realtimePath = '/ws';
/** Close code (private range) for a socket whose session ended; the reason says how: `session revoked` or `session expired`. */
export const sessionEndedCloseCode = 4401;
const heartbeatMs = 30_000;
const backlogPageSize = 500;

export interface RealtimeOptions {
  server: Server;
  db: Db;
  databaseUrl: string;
  authenticate: Authenticate;
  log(message: string, error?: unknown): void;
}

export interface RealtimeServer {
  close(): Promise<void>;
}

interface Subscriber {
  /** For typing indicators: a socket is not told about its own typing. */
  id: string;
  /** When this socket last relayed "typing", per conversation (realtime/typing.ts). */
  lastTyping: Map<string, number>;
  socket: WebSocket;
  viewer: Viewer;
  /** The agent's or admin's session (its token's hash); null for visitors, whose tokens are stateless. */
  sessionKey: string | null;
  /** Highest event id delivered; catch-up reads the log after it. */
  lastEventId: bigint;
  /** While catching up, live events wait here so the client sees the log in order. */
  pending: EventRow[] | null;
  alive: boolean;
}

const scopeOf = (row: EventRow): Scope => ({
  customerId: row.customerId,
  teamId: row.teamId,
  assigneeId: row.assigneeId,
  internal: row.internal,
});

export async function attachRealtime(options: RealtimeOptions): Promise<RealtimeServer> {
  const { db, log } = options;
  const subscribers = new Set<Subscriber>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  type Frame = { type: 'event'; event: EventView } | { type: 'ready'; lastEventId: string | null } | TypingMessage | { type: 'error'; code: string; message: string };
  const send = (subscriber: Subscriber, frame: Frame) => {
    if (subscriber.socket.readyState === subscriber.socket.OPEN) subscriber.socket.send(JSON.stringify(frame));
  };

  /** Sends the row if the subscriber may see it; `frame` serialises it (once per event, shared by all). */
  const deliver = (subscriber: Subscriber, row: EventRow, frame: () => string = () => JSON.stringify({ type: 'event', event: toEventView(row) })) => {
    const id = BigInt(row.id);
    if (!canSee(subscriber.viewer, scopeOf(row))) return;
    if (subscriber.socket.readyState === subscriber.socket.OPEN) subscriber.socket.send(frame());
    if (id > subscriber.lastEventId) subscriber.lastEventId = id;
  };

  /** Sends every visible event after lastEventId from the log, then the live ones that arrived meanwhile. */
  const catchUp = async (subscriber: Subscriber) => {
    subscriber.pending ??= [];
    const sent = new Set<string>();
    const where = subscriber.viewer.kind === 'customer' ? { customerId: subscriber.viewer.customerId, internal: false } : {};
    for (;;) {
      const page = await db.event.findMany({
        where: { ...where, id: { gt: subscriber.lastEventId } },
        orderBy: { id: 'asc' },
        take: backlogPageSize,
      });
      for (const row of page) {
        deliver(subscriber, row);
        sent.add(String(row.id));
      }
      if (page.length < backlogPageSize) break;
    }
    const waiting = subscriber.pending;
    subscriber.pending = null;
    for (const row of waiting) if (!sent.has(String(row.id))) deliver(subscriber, row);
    send(subscriber, { type: 'ready', lastEventId: subscriber.lastEventId > 0n ? String(subscriber.lastEventId) : null });
  };

  const relayTyping = createTypingRelay(db, log);

  const stream = await listenToEvents({
    databaseUrl: options.databaseUrl,
    db,
    log,
    onEvent(row) {
      let serialised: string | undefined;
      const frame = () => (serialised ??= JSON.stringify({ type: 'event', event: toEventView(row) }));
      for (const subscriber of subscribers) {
        if (subscriber.pending) subscriber.pending.push(row);
        else deliver(subscriber, row, frame);
      }
    },
    onTyping(notice) {
      const message: TypingMessage = { type: 'typing', conversationId: notice.conversationId, from: notice.from, name: notice.name, typing: notice.typing };
      for (const subscriber of subscribers) {
        if (subscriber.id !== notice.socketId && canSee(subscriber.viewer, { customerId: notice.customerId, teamId: notice.teamId, assigneeId: notice.assigneeId, internal: notice.internal })) send(subscriber, message);
      }
    },
    onSessionRevoked(sessionKey) {
      for (const subscriber of subscribers) if (subscriber.sessionKey === sessionKey) subscriber.socket.close(sessionEndedCloseCode, 'session revoked');
    },
    onGap() {
      for (const subscriber of subscribers) void catchUp(subscriber).catch((error) => log('catch-up after a gap failed', error));
      // Revocations announced while the connection was down were missed too.
      void checkSessions();
    },
  });

  let checking = false;
  /** Closes the sockets of sessions that were revoked or expired (the fallback behind NOTIFY). */
  const checkSessions = async () => {
    const keys = [...new Set([...subscribers].flatMap((subscriber) => (subscriber.sessionKey ? [subscriber.sessionKey] : [])))];
    if (checking || keys.length === 0) return;
    checking = true;
    try {
      const states = await sessionStates(db, keys);
      for (const subscriber of subscribers) {
        const state = subscriber.sessionKey ? states.get(subscriber.sessionKey) : undefined;
        if (state === 'revoked' || state === 'expired') subscriber.socket.close(sessionEndedCloseCode, `session ${state}`);
      }
    } catch (error) {
      log('could not check the sessions of open sockets', error);
    } finally {
      checking = false;
    }
  };

  const refuse = (socket: Duplex, status: number, reason: string) => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ error: { code: reason.toLowerCase().replace(/ /g, '_'), message: reason } })}`);
  };

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== realtimePath) return; // another upgrade handler (e.g. Vite's) owns it
    const token = url.searchParams.get('token');
    const after = url.searchParams.get('after');
    if (after !== null && !/^\d{1,19}$/.test(after)) return refuse(socket, 400, 'Bad Request');
    // A database that cannot be reached is not a bad token: that is a 503 (below), so clients keep their token and retry.
    const viewer = token ? await options.authenticate(token).catch((error: unknown) => (isDatabaseUnavailable(error) ? Promise.reject(error) : null)) : null;
    if (!viewer) return refuse(socket, 401, 'Unauthorized');
    // No event stream for API keys yet: which events each scope covers is not decided.
    if (viewer.kind === 'integration') return refuse(socket, 403, 'Forbidden');
    const sessionKey = token!.startsWith(sessionTokenPrefix) ? sessionKeyOf(token!) : null;
    const startAfter = after !== null ? BigInt(after) : await latestEventId(db);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const subscriber: Subscriber = { id: randomUUID(), lastTyping: new Map(), socket: ws, viewer, sessionKey, lastEventId: startAfter, pending: [], alive: true };
      subscribers.add(subscriber);
      // The one thing a client sends: typing indicators.
      ws.on('message', (data) => void relayTyping({ ...subscriber, reply: (frame) => send(subscriber, frame) }, String(data)).catch((error) => log('typing relay failed', error)));
      ws.on('pong', () => (subscriber.alive = true));
      ws.on('close', () => subscribers.delete(subscriber));
      ws.on('error', (error) => log('websocket error', error));
      void catchUp(subscriber).catch((error) => {
        log('websocket catch-up failed', error);
        ws.close(1011, 'catch-up failed');
      });
    });
  };
  const upgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void onUpgrade(req, socket, head).catch((error) => {
    if (isDatabaseUnavailable(error) && socket.writable) return refuse(socket, 503, 'Service Unavailable');
    log('websocket upgrade failed', error);
    socket.destroy();
  });
  options.server.on('upgrade', upgradeListener);

  // Dead connections (no pong within a heartbeat) are dropped; ended sessions are closed.
  const heartbeat = setInterval(() => {
    void checkSessions();
    for (const subscriber of subscribers) {
      if (!subscriber.alive) {
        subscriber.socket.terminate();
        continue;
      }
      subscriber.alive = false;
      subscriber.socket.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  return {
    async close() {
      clearInterval(heartbeat);
      options.server.off('upgrade', upgradeListener);
      for (const subscriber of subscribers) subscriber.socket.close(1001, 'server shutting down');
      wss.close();
      await stream.close();
    },
  };
}

async function latestEventId(db: Db): Promise<bigint> {
  const latest = await db.event.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
  return latest?.id ?? 0n;
}
