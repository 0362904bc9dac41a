// The WebSocket client shared by the console and the widget. It keeps one connection open,
// reconnects with backoff when it drops, resumes from the position the server last named
// (`after=…&xmin=…`) so nothing is missed, and hands each event to the app exactly once (the
// cursor drops repeats).
import type { EventView } from '../../../domain/events';
import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff';
import { EventCursor, type ResumePosition } from './event-cursor';
import type { ReceivedCallFrame } from '../../../contract/calls';
import { parseFrame, type BotStreamFrame, type TypingFrame } from './frames';

/** `live` once the server has sent `ready`, i.e. the backlog has been replayed. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** The part of the browser WebSocket this client uses, so tests can pass a fake. */
export interface SocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send?(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface RealtimeOptions {
  /** The address to connect to, given the position to resume from (null on the first connection). */
  url: (position: ResumePosition | null) => string;
  onEvent: (event: EventView) => void;
  /** Someone else is typing (not stored, never replayed). */
  onTyping?: (frame: TypingFrame) => void;
  /** A piece of the bot's answer while it is written (not stored, never replayed). */
  onBotStream?: (frame: BotStreamFrame) => void;
  /** A call's other party negotiates (offer, answer, ICE, mute, camera: contract/calls.ts); not stored. */
  onCall?: (frame: ReceivedCallFrame) => void;
  /** The backlog since `after` has been delivered; a good moment to refresh REST snapshots. */
  onReady?: (lastEventId: string | null) => void;
  /** `failures` counts connections in a row that closed before becoming live. */
  onState?: (state: ConnectionState, failures: number) => void;
  createSocket?: (url: string) => SocketLike;
  backoff?: BackoffOptions;
  random?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class RealtimeClient {
  readonly cursor = new EventCursor();
  private socket: SocketLike | null = null;
  private timer: unknown = null;
  private failures = 0;
  private running = false;
  /** The socket has sent `ready`: frames sent now reach the server in this connection. */
  private live = false;

  constructor(private readonly options: RealtimeOptions) {}

  get position(): ResumePosition | null {
    return this.cursor.position;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    this.cancelTimer();
    this.dropSocket();
    this.setState('stopped');
  }

  /** Skip the remaining backoff, e.g. when the browser reports it is back online. */
  reconnectNow(): void {
    if (!this.running) return;
    this.cancelTimer();
    this.dropSocket();
    this.connect();
  }

  /** Sends a frame when connected; dropped otherwise (typing indicators and call negotiation: a stale one is worthless, the peers renegotiate). */
  send(frame: unknown): void {
    if (this.live) this.socket?.send?.(JSON.stringify(frame));
  }

  private connect(): void {
    const create = this.options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    const socket = create(this.options.url(this.cursor.position));
    this.socket = socket;
    this.setState(this.failures === 0 && this.cursor.position === null ? 'connecting' : 'reconnecting');

    // Handlers check `this.socket === socket`: a replaced socket may still fire late callbacks.
    socket.onmessage = (message) => {
      if (this.socket !== socket) return;
      const frame = parseFrame(message.data);
      if (!frame) return;
      if (frame.type === 'event') {
        if (this.cursor.accept(frame.event.id)) this.deliver(frame.event);
        return;
      }
      if (frame.type === 'typing') {
        this.options.onTyping?.(frame);
        return;
      }
      if (frame.type === 'bot_stream') {
        this.options.onBotStream?.(frame);
        return;
      }
      if (frame.type === 'cursor') {
        this.cursor.moveTo(frame.after, frame.xmin);
        return;
      }
      if (frame.type !== 'ready') {
        this.options.onCall?.(frame);
        return;
      }
      this.live = true;
      this.cursor.moveTo(frame.lastEventId, frame.xmin);
      this.failures = 0;
      this.setState('live');
      this.options.onReady?.(frame.lastEventId);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.live = false;
      if (this.running) this.scheduleReconnect();
    };
    // A failed handshake (e.g. a 401) fires error then close; close does the work.
    socket.onerror = () => {};
  }

  private deliver(event: EventView): void {
    try {
      this.options.onEvent(event);
    } catch (error) {
      // One faulty handler must not stop the stream for every other screen.
      console.error('realtime event handler failed', error);
    }
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.failures, this.options.backoff ?? defaultBackoff, this.options.random);
    this.failures += 1;
    this.setState('reconnecting');
    const setTimer = this.options.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms));
    this.timer = setTimer(() => {
      this.timer = null;
      if (this.running) this.connect();
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    (this.options.clearTimer ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>)))(this.timer);
    this.timer = null;
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.live = false;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    socket.close(1000, 'client closing');
  }

  private setState(state: ConnectionState): void {
    this.options.onState?.(state, this.failures);
  }
}
