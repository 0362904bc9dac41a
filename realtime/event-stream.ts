// Listens for event-log NOTIFYs on one PostgreSQL connection and hands each event to a
// callback; reconnects with backoff when the connection drops and then reports a gap, so
// subscribers can catch up from the log. The same connection hears session revocations, changes
// of who a user is (role, team), typing indicators and the bot's streamed answers.
import pg from 'pg';
import { sessionRevokedChannel } from '../infra/auth/sessions.js';
import type { Db } from '../infra/db.js';
import { botStreamChannel, type BotStreamNotice } from '../infra/bot-stream.js';
import { readEventPage, type EventRow } from '../infra/event-log.js';
import { viewerChangedChannel } from '../infra/viewer-changes.js';
import { typingChannel, type TypingNotice } from './typing.js';
import { callChannel } from './call-relay.js';

export const eventChannel = 'seamless_events';
/** Barriers (see requestBarrier): their payload is the oldest transaction running when they were sent. */
export const barrierChannel = 'seamless_barrier';

export interface EventStreamOptions {
  databaseUrl: string;
  db: Db;
  onEvent(row: EventRow): void;
  /** A session was revoked (logout) in some API process: `sessionKey` is its token's hash. */
  onSessionRevoked(sessionKey: string): void;
  /** A user's role or team changed (infra/viewer-changes.ts): their sockets must be judged anew. */
  onViewerChanged(userId: string): void;
  /** Someone is typing (realtime/typing.ts); never stored, so a gap simply loses it. */
  onTyping(notice: TypingNotice): void;
  /** A piece of a call frame for a party (realtime/call-relay.ts); never stored, like typing. */
  onCall?(payload: string): void;
  /** A piece of the bot's answer as the model writes it (infra/bot-stream.ts); never stored either. */
  onBotStream?(notice: BotStreamNotice): void;
  /** The connection was lost and is back: events (and revocations) may have been missed meanwhile. */
  onGap(): void;
  /**
   * Every event of a transaction older than `xmin` has been handed to onEvent: a barrier
   * (requestBarrier) took `xmin` and then committed its NOTIFY, and notifications arrive in commit
   * order, each handled after the one before.
   */
  onBarrier?(xmin: bigint): void;
  log(message: string, error?: unknown): void;
}

/** An event as a NOTIFY payload carries it: the row, or only its id when the row is too large. */
type AnnouncedEvent = EventRow & { truncated?: boolean };

export interface EventStream {
  /** Sends a barrier: onBarrier follows once every event committed before it has been handled. */
  requestBarrier(): Promise<void>;
  /** Whether the LISTEN connection is up now (false while it reconnects): readiness reports it. */
  listening(): boolean;
  close(): Promise<void>;
}

export async function listenToEvents(options: EventStreamOptions): Promise<EventStream> {
  let client: pg.Client | null = null;
  let closed = false;
  let retryDelayMs = 250;

  // Notifications are handled one after the other, in the order they arrive (commit order), even
  // when one needs a read (a large event): a barrier must not overtake an event before it.
  let handling = Promise.resolve();
  const enqueue = (message: pg.Notification) => {
    handling = handling.then(() => handleNotification(message)).catch((error: unknown) => options.log('could not handle a notification', error));
  };

  const handleNotification = async (message: pg.Notification) => {
    if (message.channel === barrierChannel && message.payload) return options.onBarrier?.(BigInt(message.payload));
    if (message.channel === sessionRevokedChannel && message.payload) return options.onSessionRevoked(message.payload);
    if (message.channel === typingChannel && message.payload) return options.onTyping(JSON.parse(message.payload) as TypingNotice);
    if (message.channel === callChannel && message.payload) return options.onCall?.(message.payload);
    if (message.channel === botStreamChannel && message.payload) return options.onBotStream?.(JSON.parse(message.payload) as BotStreamNotice);
    if (message.channel === viewerChangedChannel && message.payload) return options.onViewerChanged(message.payload);
    if (message.channel !== eventChannel || !message.payload) return;
    try {
      // A statement's events in insertion order (the Event_notify trigger); a single object is the
      // row trigger's payload before migration 20261207234500_event_notify_per_statement.
      const decoded = JSON.parse(message.payload) as AnnouncedEvent | AnnouncedEvent[];
      for (const announced of Array.isArray(decoded) ? decoded : [decoded]) {
        // Large events are announced by id only (NOTIFY payloads are limited): read them back.
        const id = BigInt(announced.id);
        const row = announced.truncated ? (await readEventPage(options.db, { idAbove: id - 1n, idAtMost: id, limit: 1 }))[0] : announced;
        if (row) options.onEvent(row);
      }
    } catch (error) {
      // Handled as a lost connection: subscribers catch up from the log, so the event is not skipped.
      options.log('could not read an event notification; catching up from the log', error);
      options.onGap();
    }
  };

  const connect = async (): Promise<void> => {
    // TCP keep-alive: a connection that silently died (no FIN, e.g. a network cut) is noticed too.
    const next = new pg.Client({ connectionString: options.databaseUrl, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    next.on('notification', enqueue);
    next.on('error', (error) => {
      options.log('event stream connection lost; reconnecting', error);
      void reconnect();
    });
    // A connection can also end without an error event; only the current one triggers a reconnect.
    next.on('end', () => {
      if (closed || client !== next) return;
      options.log('event stream connection ended; reconnecting');
      void reconnect();
    });
    await next.connect();
    await next.query(`LISTEN ${eventChannel}`);
    await next.query(`LISTEN ${sessionRevokedChannel}`);
    await next.query(`LISTEN ${typingChannel}`);
    await next.query(`LISTEN ${callChannel}`);
    await next.query(`LISTEN ${botStreamChannel}`);
    await next.query(`LISTEN ${viewerChangedChannel}`);
    await next.query(`LISTEN ${barrierChannel}`);
    client = next;
    retryDelayMs = 250;
  };

  const reconnect = async (): Promise<void> => {
    const lost = client;
    client = null;
    lost?.removeAllListeners('error');
    lost?.on('error', () => {});
    void lost?.end().catch(() => {});
    while (!closed && !client) {
      try {
        await connect();
        options.onGap();
      } catch (error) {
        options.log(`event stream reconnect failed; next try in ${retryDelayMs} ms`, error);
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
        retryDelayMs = Math.min(retryDelayMs * 2, 5000);
      }
    }
  };

  await connect();
  return {
    async requestBarrier() {
      // One statement: its snapshot (and so xmin) is taken before its NOTIFY commits.
      await options.db.$executeRaw`SELECT pg_notify(${barrierChannel}, pg_snapshot_xmin(pg_current_snapshot())::text)`;
    },
    listening: () => client !== null && !closed,
    async close() {
      closed = true;
      await client?.end();
    },
  };
}
