// An agent's WebSocket for the bench: records when each `message.created` (by the marker in the
// message body) and each `conversation.assigned` first arrives. The receive time is taken before
// the frame is parsed. Works against the product's /ws and the raw baseline's bare ws server,
// which sends the same frame shape.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export interface ReceivedMessage {
  at: number;
  messageId: string;
  /** The event's id in the log (0 for the raw baseline, whose frames carry none). */
  eventId: number;
  /** Its place among the bench messages this socket received (0, 1, 2, …): the arrival order. */
  ordinal: number;
}

export interface ReceivedAssignment {
  at: number;
  assigneeId: string | null;
}

interface EventFrame {
  type: 'event';
  event: { id?: string; type: string; payload: Record<string, unknown> };
}

/** The body of every bench message ends with `[<runTag>:<seq>]`. */
export function markerOf(body: unknown, runTag: string): string | null {
  if (typeof body !== 'string' || !body.endsWith(']')) return null;
  const open = body.lastIndexOf('[');
  if (open < 0) return null;
  const marker = body.slice(open + 1, -1);
  return marker.startsWith(`${runTag}:`) ? marker : null;
}

export class AgentSocket {
  /** First arrival per message marker. */
  readonly messages = new Map<string, ReceivedMessage>();
  /** First `conversation.assigned` per conversation id. */
  readonly assignments = new Map<string, ReceivedAssignment>();
  frames = 0;
  /** Bench messages received again after their first arrival (should be 0). */
  duplicates = 0;
  unexpectedClose: string | null = null;
  private closing = false;

  private constructor(
    readonly label: string,
    /** The agent's user id (null for raw-baseline subscribers). */
    readonly userId: string | null,
    private readonly ws: WebSocket,
    private readonly runTag: string,
  ) {}

  /** Opens the socket and resolves once the server says `ready` (product) or the socket is open (raw). */
  static open(url: string, options: { label: string; userId: string | null; runTag: string; waitForReady: boolean; timeoutMs?: number }): Promise<AgentSocket> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const socket = new AgentSocket(options.label, options.userId, ws, options.runTag);
    return new Promise<AgentSocket>((resolve, reject) => {
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`WebSocket ${options.label} not ready within ${options.timeoutMs ?? 15_000} ms`));
      }, options.timeoutMs ?? 15_000);
      const done = () => {
        clearTimeout(timer);
        resolve(socket);
      };
      ws.on('message', (data) => {
        const at = performance.now();
        socket.frames += 1;
        const frame = JSON.parse(String(data)) as EventFrame | { type: 'ready' };
        if (frame.type === 'ready') return done();
        socket.record(frame, at);
      });
      ws.once('open', () => {
        if (!options.waitForReady) done();
      });
      ws.once('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        reject(new Error(`WebSocket ${options.label} refused with HTTP ${res.statusCode}`));
      });
      ws.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      ws.on('close', (code, reason) => {
        if (!socket.closing) socket.unexpectedClose = `closed by the server: ${code} ${reason.toString()}`;
      });
    });
  }

  private record(frame: EventFrame, at: number): void {
    if (frame.type !== 'event') return;
    const { type, payload } = frame.event;
    if (type === 'message.created') {
      const message = payload.message as { id: string; body: string } | undefined;
      const marker = markerOf(message?.body, this.runTag);
      if (!marker) return;
      if (this.messages.has(marker)) this.duplicates += 1;
      else this.messages.set(marker, { at, messageId: message!.id, eventId: Number(frame.event.id ?? 0), ordinal: this.messages.size });
    } else if (type === 'conversation.assigned') {
      const conversation = payload.conversation as { id: string; assigneeId: string | null } | undefined;
      if (conversation && !this.assignments.has(conversation.id)) this.assignments.set(conversation.id, { at, assigneeId: conversation.assigneeId });
    }
  }

  close(): Promise<void> {
    this.closing = true;
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      const force = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 2000);
      this.ws.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      this.ws.close();
    });
  }
}
