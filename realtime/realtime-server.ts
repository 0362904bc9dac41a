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
//
// Who a socket's user is can change while it is open (an admin moves them to another team):
// such a change NOTIFYs `seamless_viewers_changed` with the user's id in its transaction
// (infra/viewer-changes.ts), and each process re-authenticates that user's sockets; the heartbeat
// re-reads every connected user's role and team as the fallback, like sessions.
//
// Events are judged per socket by domain/event-audience.ts: live ones by the scope they were
// written with (their subject's scope at that commit), the backlog by their subject's scope now
// (infra/event-log.ts visibleEvents). Customers get the cut-down payloads.
//
// Resuming: a client reconnects with `after=<id>&xmin=<transaction>` from its last `ready` or
// `cursor` frame and gets every event it may have missed, including one that committed late with
// a lower id than one it already had (infra/event-log.ts ResumePosition); it drops repeats by id.
// Positions move on after a barrier (event-stream.ts), at most once a second while events flow.
//
// Abuse bounds (connection-limits.ts): every upgrade on another path is answered 404 and closed;
// upgrades still authenticating, sockets per token and per address, and frames per socket are capped.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { canSeeEvent } from '../domain/event-audience.js';
import { canSee, type Viewer } from '../domain/visibility.js';
import type { Authenticate } from '../infra/auth/principal.js';
import { twoFactorSetupRequired } from '../infra/auth/two-factor-required.js';
import { sessionKeyOf, sessionStates, sessionTokenPrefix } from '../infra/auth/sessions.js';
import { isDatabaseUnavailable } from '../infra/database-errors.js';
import type { Db } from '../infra/db.js';
import { eventFanOutLag, websocketConnections, websocketEventsSent } from '../infra/metrics/metrics.js';
import { currentScopeOf, eventViewFor, oldestRunningTransaction, readEventPage, toEventView, visibleEvents, type EventRow } from '../infra/event-log.js';
import { ConnectionLimits, defaultConnectionLimits, type ConnectionLimitOptions } from './connection-limits.js';
import { listenToEvents } from './event-stream.js';
import type { BotStreamFrame } from '../infra/bot-stream.js';
import type { TypingMessage } from './typing.js';
import { createTypingRelay } from './typing-relay.js';
import { isCallFrameType, type ReceivedCallFrame } from '../contract/calls.js';
import { createCallRelay, isRecipient, noticeAssembler } from './call-relay.js';

export const realtimePath = '/ws';
/** Close code (private range) for a socket whose session ended; the reason says how: `session revoked` or `session expired`. */
export const sessionEndedCloseCode = 4401;
/** Close code for a socket that kept sending frames faster than its limit. */
export const rateLimitedCloseCode = 4429;
/** An admin's socket when the organisation now requires two-factor sign-in of them and they have not set it up (REST answers 403 two_factor_required). */
export const twoFactorRequiredCloseCode = 4403;
/** Frames dropped in a row before the socket is closed. */
const droppedFramesBeforeClose = 100;
const heartbeatMs = 30_000;
const backlogPageSize = 500;
/** How often, at most, clients' resume positions move on while events flow. */
const barrierMs = 1_000;

export interface RealtimeOptions {
  server: Server;
  db: Db;
  databaseUrl: string;
  authenticate: Authenticate;
  /** The client's address as the REST API sees it (behind a trusted proxy, the forwarded one). */
  clientIp?(req: IncomingMessage): string;
  limits?: Partial<ConnectionLimitOptions>;
  log(message: string, error?: unknown): void;
}

export interface RealtimeServer {
  /** Whether live events reach this process now (its LISTEN connection is up). */
  listening(): boolean;
  close(): Promise<void>;
}

interface Subscriber {
  /** For typing indicators: a socket is not told about its own typing. */
  id: string;
  /** When this socket last relayed "typing", per conversation (realtime/typing.ts). */
  lastTyping: Map<string, number>;
  socket: WebSocket;
  /** The connection under `socket`, corked while a turn's events are written (corkForTurn). */
  connection: Duplex;
  viewer: Viewer;
  /** Kept to re-authenticate the socket when its user changes (team, role). */
  token: string;
  /** The agent's or admin's session (its token's hash); null for visitors, whose tokens are stateless. */
  sessionKey: string | null;
  /** Highest event id delivered; with cursorXmin, where this socket's client resumes (infra/event-log.ts ResumePosition). */
  lastEventId: bigint;
  /** Every event of a transaction older than this, with an id up to lastEventId, was delivered (or not visible); null before the first catch-up. */
  cursorXmin: bigint | null;
  /** The position last sent in a cursor frame, so an unchanged one is not sent again. */
  sentCursor: string;
  /**
   * Events delivered whose transaction is not older than cursorXmin (id → txid): a catch-up from
   * this socket's position would read them again. Pruned as the position moves on, so it holds
   * about a second of events.
   */
  unsettled: Map<string, bigint>;
  /** While catching up (or reading the user again), live events wait here so the client sees the log in order, judged as it is now. */
  pending: EventRow[] | null;
  alive: boolean;
}

export async function attachRealtime(options: RealtimeOptions): Promise<RealtimeServer> {
  const { db, log } = options;
  const subscribers = new Set<Subscriber>();
  /** Events were pushed since the last barrier: resume positions can move on. */
  let eventsSinceBarrier = false;
  const limits = new ConnectionLimits({ ...defaultConnectionLimits, ...options.limits });
  const clientIp = options.clientIp ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  type Frame =
    | { type: 'ready'; lastEventId: string | null; xmin: string }
    | { type: 'cursor'; after: string; xmin: string }
    | TypingMessage
    | ReceivedCallFrame
    | BotStreamFrame
    | { type: 'error'; code: string; message: string; callId?: string };
  const send = (subscriber: Subscriber, frame: Frame) => {
    if (subscriber.socket.readyState === subscriber.socket.OPEN) subscriber.socket.send(JSON.stringify(frame));
  };

  /** An event frame as this kind of viewer gets it; staff frames are serialised once per event and shared. */
  const eventFrame = (viewer: Viewer, row: EventRow) => JSON.stringify({ type: 'event', event: eventViewFor(viewer, row) });

  /**
   * ws writes every frame on its own, a system call each; one NOTIFY brings a writer round's events
   * (several per agent), so a socket's frames are held back while they are handed out and leave in
   * one write right after (a microtask, not the end of the event loop's turn, so that they do not
   * wait behind every request read in that turn).
   */
  const corked = new Set<Duplex>();
  const uncorkAll = () => {
    for (const connection of corked) connection.uncork();
    corked.clear();
  };
  const corkForTurn = (connection: Duplex) => {
    if (corked.has(connection)) return;
    if (corked.size === 0) queueMicrotask(uncorkAll);
    connection.cork();
    corked.add(connection);
  };

  /** Sends the row (already judged visible); `frame` serialises it. */
  const push = (subscriber: Subscriber, row: EventRow, frame: string) => {
    if (subscriber.socket.readyState === subscriber.socket.OPEN) {
      corkForTurn(subscriber.connection);
      subscriber.socket.send(frame);
      websocketEventsSent.inc();
    }
    const id = BigInt(row.id);
    if (id > subscriber.lastEventId) subscriber.lastEventId = id;
    // Every read of the log carries the transaction id (NOTIFY payloads and readEventPage).
    if (row.txid == null) return;
    const txid = BigInt(row.txid);
    if (subscriber.cursorXmin === null || txid >= subscriber.cursorXmin) subscriber.unsettled.set(String(row.id), txid);
  };

  /** Forgets the delivered events every catch-up from the socket's position now skips. */
  const settle = (subscriber: Subscriber) => {
    const { cursorXmin } = subscriber;
    if (cursorXmin === null) return;
    for (const [id, txid] of subscriber.unsettled) if (txid < cursorXmin) subscriber.unsettled.delete(id);
  };

  /** A live event: judged by the scope it was written with, which is its subject's at that commit. */
  const deliverLive = (subscriber: Subscriber, row: EventRow, staffFrame: () => string) => {
    if (!canSeeEvent(subscriber.viewer, currentScopeOf(row, row))) return;
    push(subscriber, row, subscriber.viewer.kind === 'customer' ? eventFrame(subscriber.viewer, row) : staffFrame());
  };

  /**
   * Sends every visible event from the subscriber's position out of the log — the late ones of
   * its position (ids up to lastEventId from transactions since cursorXmin), then those after
   * lastEventId — then the live ones that arrived meanwhile. The position it ends with takes the
   * oldest transaction running before the first read: every older one is in what was read.
   */
  const catchUp = async (subscriber: Subscriber) => {
    subscriber.pending ??= [];
    const sent = new Set<string>();
    const { viewer } = subscriber;
    const xmin = await oldestRunningTransaction(db);
    // A customer's own events are few among all: narrow in SQL first, then judge each.
    const customerId = viewer.kind === 'customer' ? viewer.customerId : undefined;
    const after = subscriber.lastEventId;
    const ranges = [...(subscriber.cursorXmin === null ? [] : [{ idAbove: 0n, idAtMost: after, txidFrom: subscriber.cursorXmin }]), { idAbove: after }];
    for (const range of ranges) {
      for (;;) {
        const page = await readEventPage(db, { ...range, customerId, limit: backlogPageSize });
        for (const row of await visibleEvents(db, viewer, page)) {
          sent.add(String(row.id));
          // After a gap a live socket reads its unsettled events again: it has them already.
          if (subscriber.unsettled.has(String(row.id))) continue;
          push(subscriber, row, eventFrame(viewer, row));
        }
        if (page.length < backlogPageSize) break;
        range.idAbove = BigInt(page[page.length - 1]!.id);
      }
    }
    const waiting = subscriber.pending ?? [];
    subscriber.pending = null;
    for (const row of waiting) if (!sent.has(String(row.id))) deliverLive(subscriber, row, () => eventFrame(viewer, row));
    if (subscriber.cursorXmin === null || xmin > subscriber.cursorXmin) subscriber.cursorXmin = xmin;
    settle(subscriber);
    subscriber.sentCursor = cursorOf(subscriber);
    send(subscriber, { type: 'ready', lastEventId: subscriber.lastEventId > 0n ? String(subscriber.lastEventId) : null, xmin: String(subscriber.cursorXmin) });
  };

  const cursorOf = (subscriber: Subscriber) => `${subscriber.lastEventId}:${subscriber.cursorXmin}`;

  /** After a barrier: every live subscriber may resume from its last event with this xmin; tells those whose position moved. */
  const advanceCursors = (xmin: bigint) => {
    for (const subscriber of subscribers) {
      if (subscriber.pending || subscriber.cursorXmin === null) continue;
      if (xmin > subscriber.cursorXmin) subscriber.cursorXmin = xmin;
      settle(subscriber);
      const cursor = cursorOf(subscriber);
      if (cursor === subscriber.sentCursor) continue;
      subscriber.sentCursor = cursor;
      send(subscriber, { type: 'cursor', after: String(subscriber.lastEventId), xmin: String(subscriber.cursorXmin) });
    }
  };

  /**
   * Reads the user's role and team again (or closes the socket when the token no longer stands, or
   * when the user is an admin now held back until they set up two-factor sign-in).
   */
  const reauthenticate = async (subscriber: Subscriber) => {
    // Live events wait while the user is read again, as during a catch-up: judged by the old role
    // or team, an agent just moved to another team would miss the new team's events of that moment.
    const held = subscriber.pending ? null : (subscriber.pending = []);
    try {
      const viewer = await options.authenticate(subscriber.token);
      if (!viewer) return subscriber.socket.close(sessionEndedCloseCode, 'session revoked');
      if (viewer.kind === 'user' && viewer.role === 'admin' && (await twoFactorSetupRequired(db, viewer.userId)))
        return subscriber.socket.close(twoFactorRequiredCloseCode, 'two-factor sign-in required');
      subscriber.viewer = viewer;
    } finally {
      // A catch-up that began meanwhile took the held events over (and delivers them when it ends).
      if (held && subscriber.pending === held) {
        subscriber.pending = null;
        for (const row of held) deliverLive(subscriber, row, () => eventFrame(subscriber.viewer, row));
      }
    }
  };

  const relayTyping = createTypingRelay(db, log);
  const relayCall = createCallRelay(db, log);
  const assembleCallNotice = noticeAssembler();

  const stream = await listenToEvents({
    databaseUrl: options.databaseUrl,
    db,
    log,
    onEvent(row) {
      eventFanOutLag.observe(Math.max(0, Date.now() - new Date(row.occurredAt).getTime()) / 1000);
      let serialised: string | undefined;
      const staffFrame = () => (serialised ??= JSON.stringify({ type: 'event', event: toEventView(row) }));
      eventsSinceBarrier = true;
      for (const subscriber of subscribers) {
        if (subscriber.pending) subscriber.pending.push(row);
        else deliverLive(subscriber, row, staffFrame);
      }
    },
    onTyping(notice) {
      const message: TypingMessage = { type: 'typing', conversationId: notice.conversationId, from: notice.from, name: notice.name, typing: notice.typing };
      for (const subscriber of subscribers) {
        if (
          subscriber.id !== notice.socketId &&
          canSee(subscriber.viewer, { customerId: notice.customerId, teamId: notice.teamId, assigneeId: notice.assigneeId, internal: notice.internal })
        )
          send(subscriber, message);
      }
    },
    // The bot's answer as it is written: to whoever may see the conversation's public messages.
    onBotStream({ customerId, teamId, assigneeId, ...frame }) {
      for (const subscriber of subscribers)
        if (canSee(subscriber.viewer, { customerId, teamId, assigneeId, internal: false })) send(subscriber, { type: 'bot_stream', ...frame });
    },
    onCall(payload) {
      const notice = assembleCallNotice(payload);
      if (!notice) return;
      for (const subscriber of subscribers) if (isRecipient(subscriber.viewer, notice.to)) send(subscriber, notice.frame);
    },
    onSessionRevoked(sessionKey) {
      for (const subscriber of subscribers) if (subscriber.sessionKey === sessionKey) subscriber.socket.close(sessionEndedCloseCode, 'session revoked');
    },
    onViewerChanged(userId) {
      for (const subscriber of subscribers) {
        if (subscriber.viewer.kind === 'user' && subscriber.viewer.userId === userId)
          void reauthenticate(subscriber).catch((error) => log('could not re-read a socket user', error));
      }
    },
    onBarrier: advanceCursors,
    onGap() {
      for (const subscriber of subscribers) void catchUp(subscriber).catch((error) => log('catch-up after a gap failed', error));
      // Revocations announced while the connection was down were missed too.
      void checkSessions();
    },
  });

  let checking = false;
  /**
   * Closes the sockets of sessions that were revoked or expired, and re-reads the role and team of
   * every connected user (the fallback behind the NOTIFYs), in two queries.
   */
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
      const userIds = [...new Set([...subscribers].flatMap(({ viewer }) => (viewer.kind === 'user' ? [viewer.userId] : [])))];
      const users = new Map(
        (await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, role: true, teamId: true } })).map((user) => [user.id, user]),
      );
      for (const subscriber of subscribers) {
        if (subscriber.viewer.kind !== 'user') continue;
        const user = users.get(subscriber.viewer.userId);
        if (!user) subscriber.socket.close(sessionEndedCloseCode, 'session revoked');
        else subscriber.viewer = { ...subscriber.viewer, role: user.role, teamId: user.teamId };
      }
    } catch (error) {
      log('could not check the sessions of open sockets', error);
    } finally {
      checking = false;
    }
  };

  /** Answers an upgrade it will not serve and closes the connection (an unanswered one would hold its descriptor). */
  const refuse = (socket: Duplex, status: number, code?: string) => {
    const reason = STATUS_CODES[status] ?? 'Error';
    const body = JSON.stringify({ error: { code: code ?? reason.toLowerCase().replace(/ /g, '_'), message: reason } });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      () => socket.destroy(),
    );
  };

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer, ip: string) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== realtimePath) return refuse(socket, 404);
    const token = url.searchParams.get('token');
    const after = url.searchParams.get('after');
    const xmin = url.searchParams.get('xmin');
    if (after !== null && !/^\d{1,19}$/.test(after)) return refuse(socket, 400);
    if (xmin !== null && (after === null || !/^\d{1,20}$/.test(xmin))) return refuse(socket, 400);
    // A database that cannot be reached is not a bad token: that is a 503 (below), so clients keep their token and retry.
    const viewer = token ? await options.authenticate(token).catch((error: unknown) => (isDatabaseUnavailable(error) ? Promise.reject(error) : null)) : null;
    if (!viewer) return refuse(socket, 401);
    // No event stream for API keys yet: which events each scope covers is not decided.
    if (viewer.kind === 'integration') return refuse(socket, 403);
    // An admin held back until they set up two-factor sign-in gets no events either (as REST: 403).
    if (viewer.kind === 'user' && viewer.role === 'admin' && (await twoFactorSetupRequired(db, viewer.userId)))
      return refuse(socket, 403, 'two_factor_required');
    const sessionKey = token!.startsWith(sessionTokenPrefix) ? sessionKeyOf(token!) : null;
    // A visitor's sockets count together whichever of their tokens opened them.
    const tokenKey = sessionKey ?? (viewer.kind === 'customer' ? `customer:${viewer.customerId}` : token!);
    if (limits.openSocket(tokenKey, ip)) return refuse(socket, 429, 'too_many_sockets');
    // A new client starts at the end of the log: from the transactions running now on, so an
    // event that commits late below the last id still reaches it.
    let position: { after: bigint; xmin: bigint | null };
    try {
      position =
        after !== null
          ? { after: BigInt(after), xmin: xmin !== null ? BigInt(xmin) : null }
          : { xmin: await oldestRunningTransaction(db), after: await latestEventId(db) };
    } catch (error) {
      limits.closeSocket(tokenKey, ip);
      throw error;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const subscriber: Subscriber = {
        id: randomUUID(),
        lastTyping: new Map(),
        socket: ws,
        connection: socket,
        viewer,
        token: token!,
        sessionKey,
        lastEventId: position.after,
        cursorXmin: position.xmin,
        sentCursor: '',
        unsettled: new Map(),
        pending: [],
        alive: true,
      };
      subscribers.add(subscriber);
      const connections = websocketConnections.labels({ viewer: viewer.kind });
      connections.inc();
      const frames = limits.frameBucket();
      let dropped = 0;
      let relaying = Promise.resolve();
      // The one thing a client sends: typing indicators, each kind of frame within the socket's rate.
      ws.on('message', (data) => {
        if (!frames.take(Date.now())) {
          if (++dropped === 1) send(subscriber, { type: 'error', code: 'rate_limited', message: 'Too many frames: slow down.' });
          if (dropped >= droppedFramesBeforeClose) ws.close(rateLimitedCloseCode, 'rate limited');
          return;
        }
        dropped = 0;
        // One frame after the other: a "typing" then "stopped" must not go out the other way round.
        const text = String(data);
        // Call frames (realtime/call-relay.ts) by their type; everything else is judged as typing.
        const message = callFrameOf(text);
        relaying = relaying
          .then(() =>
            message !== undefined
              ? relayCall({ viewer: subscriber.viewer, reply: (frame) => send(subscriber, frame) }, message)
              : relayTyping({ ...subscriber, reply: (frame) => send(subscriber, frame) }, text),
          )
          .catch((error) => log('frame relay failed', error));
      });
      ws.on('pong', () => (subscriber.alive = true));
      ws.on('close', () => {
        subscribers.delete(subscriber);
        connections.dec();
        limits.closeSocket(tokenKey, ip);
      });
      ws.on('error', (error) => log('websocket error', error));
      void catchUp(subscriber).catch((error) => {
        log('websocket catch-up failed', error);
        ws.close(1011, 'catch-up failed');
      });
    });
  };
  const upgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const ip = clientIp(req);
    if (limits.beginUpgrade(ip)) return refuse(socket, 429, 'too_many_pending_upgrades');
    void onUpgrade(req, socket, head, ip)
      .catch((error) => {
        if (isDatabaseUnavailable(error) && socket.writable) return refuse(socket, 503);
        log('websocket upgrade failed', error);
        socket.destroy();
      })
      .finally(() => limits.endUpgrade(ip));
  };
  options.server.on('upgrade', upgradeListener);

  // While events flow, a barrier a second lets the clients' resume positions move on (advanceCursors).
  const barriers = setInterval(() => {
    if (!eventsSinceBarrier || subscribers.size === 0) return;
    eventsSinceBarrier = false;
    void stream.requestBarrier().catch((error) => log('could not send a barrier', error));
  }, barrierMs);
  barriers.unref();

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
    listening: () => stream.listening(),
    async close() {
      clearInterval(heartbeat);
      clearInterval(barriers);
      options.server.off('upgrade', upgradeListener);
      for (const subscriber of subscribers) subscriber.socket.close(1001, 'server shutting down');
      wss.close();
      await stream.close();
    },
  };
}

/** The parsed frame when it is a call frame (its type starts with `call.`); undefined for anything else. */
function callFrameOf(text: string): unknown {
  if (!text.includes('"call.')) return undefined;
  try {
    const message: unknown = JSON.parse(text);
    return typeof message === 'object' && message !== null && isCallFrameType((message as { type?: unknown }).type) ? message : undefined;
  } catch {
    return undefined;
  }
}

async function latestEventId(db: Db): Promise<bigint> {
  const latest = await db.event.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
  return latest?.id ?? 0n;
}
