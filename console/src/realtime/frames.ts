// Parsing what the server sends over the WebSocket (api/README.md, "WebSocket frames").
// Anything malformed is dropped rather than thrown: one bad frame must not kill the connection.
import type { EventView } from '../../../domain/events';

/** Someone else is (or stopped) typing in a conversation this socket may see. */
export interface TypingFrame {
  type: 'typing';
  conversationId: string;
  from: 'customer' | 'agent';
  name: string | null;
  typing: boolean;
}

export type ServerFrame = { type: 'event'; event: EventView } | { type: 'ready'; lastEventId: string | null } | TypingFrame;

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
    return { type: 'ready', lastEventId: typeof f.lastEventId === 'string' ? f.lastEventId : null };
  }
  if (f.type === 'event' && isEventView(f.event)) return { type: 'event', event: f.event };
  if (f.type === 'typing' && typeof f.conversationId === 'string' && (f.from === 'customer' || f.from === 'agent') && typeof f.typing === 'boolean') {
    return { type: 'typing', conversationId: f.conversationId, from: f.from, name: typeof f.name === 'string' ? f.name : null, typing: f.typing };
  }
  return null;
}

function isEventView(value: unknown): value is EventView {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return typeof e.id === 'string' && typeof e.type === 'string' && typeof e.payload === 'object' && e.payload !== null;
}

/**
 * The WebSocket address for a page at `location`: same host, ws or wss to match http or https.
 * `after` asks the server for the events missed since the last one seen.
 */
export function socketUrl(location: { protocol: string; host: string }, token: string, after: string | null): string {
  const params = new URLSearchParams({ token });
  if (after !== null) params.set('after', after);
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws?${params}`;
}
