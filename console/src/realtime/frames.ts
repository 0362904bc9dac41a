// Parsing what the server sends over the WebSocket (api/README.md, "WebSocket frames").
// Anything malformed is dropped rather than thrown: one bad frame must not kill the connection.
import { callFrameSchema, type ReceivedCallFrame } from '../../../contract/calls';
import type { EventView } from '../../../domain/events';
import type { ResumePosition } from './event-cursor';

/** Someone else is (or stopped) typing in a conversation this socket may see. */
export interface TypingFrame {
  type: 'typing';
  conversationId: string;
  from: 'customer' | 'agent';
  name: string | null;
  typing: boolean;
}

/** A piece of the bot's answer while the model writes it (never stored); `done` ends the preview. */
export interface BotStreamFrame {
  type: 'bot_stream';
  conversationId: string;
  /** One answer attempt: a retried one streams under a new id. */
  streamId: string;
  seq: number;
  text?: string;
  /** `stored`: the message is stored (and sent as an event); `withdrawn`: no answer came of it. */
  done?: 'stored' | 'withdrawn';
}

export type ServerFrame =
  | { type: 'event'; event: EventView }
  /** The backlog is delivered; resume from `lastEventId` and `xmin` (realtime/README.md, "Resuming"). */
  | { type: 'ready'; lastEventId: string | null; xmin: string | null }
  /** The resume position moved on. */
  | { type: 'cursor'; after: string; xmin: string }
  | TypingFrame
  | BotStreamFrame
  /** The other party of a call negotiates (contract/calls.ts). */
  | ReceivedCallFrame;

const digits = (value: unknown): value is string => typeof value === 'string' && /^\d{1,20}$/.test(value);

export function parseFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null;
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof frame !== 'object' || frame === null) return null;
  const f = frame as Record<string, unknown>;
  if (f.type === 'ready') {
    return { type: 'ready', lastEventId: digits(f.lastEventId) ? f.lastEventId : null, xmin: digits(f.xmin) ? f.xmin : null };
  }
  if (f.type === 'cursor' && digits(f.after) && digits(f.xmin)) return { type: 'cursor', after: f.after, xmin: f.xmin };
  if (typeof f.type === 'string' && f.type.startsWith('call.')) return callFrameOf(f);
  if (f.type === 'event' && isEventView(f.event)) return { type: 'event', event: f.event };
  if (f.type === 'typing' && typeof f.conversationId === 'string' && (f.from === 'customer' || f.from === 'agent') && typeof f.typing === 'boolean') {
    return { type: 'typing', conversationId: f.conversationId, from: f.from, name: typeof f.name === 'string' ? f.name : null, typing: f.typing };
  }
  if (
    f.type === 'bot_stream' &&
    typeof f.conversationId === 'string' &&
    typeof f.streamId === 'string' &&
    Number.isInteger(f.seq) &&
    (typeof f.text === 'string' || f.done === 'stored' || f.done === 'withdrawn')
  ) {
    const base = { type: 'bot_stream' as const, conversationId: f.conversationId, streamId: f.streamId, seq: f.seq as number };
    return typeof f.text === 'string' ? { ...base, text: f.text } : { ...base, done: f.done as 'stored' | 'withdrawn' };
  }
  return null;
}

/** A call frame from the other party: one of contract/calls.ts's, with who sent it. */
function callFrameOf(f: Record<string, unknown>): ReceivedCallFrame | null {
  const { from, ...frame } = f;
  if (from !== 'customer' && from !== 'agent') return null;
  const parsed = callFrameSchema.safeParse(frame);
  return parsed.success ? { ...parsed.data, from } : null;
}

function isEventView(value: unknown): value is EventView {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return typeof e.id === 'string' && typeof e.type === 'string' && typeof e.payload === 'object' && e.payload !== null;
}

/**
 * The WebSocket address for a page at `location`: same host, ws or wss to match http or https.
 * `position` asks the server for the events missed since the position it last named.
 */
export function socketUrl(location: { protocol: string; host: string }, token: string, position: ResumePosition | null): string {
  const params = new URLSearchParams({ token });
  if (position !== null) params.set('after', position.after);
  if (position?.xmin != null) params.set('xmin', position.xmin);
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws?${params}`;
}
