// A WebSocket client for tests: keeps every frame and waits for the one a test expects.
import WebSocket from 'ws';
import type { EventView } from '../../domain/events.js';

export type Frame =
  | { type: 'event'; event: EventView }
  | { type: 'ready'; lastEventId: string | null; xmin: string }
  | { type: 'cursor'; after: string; xmin: string }
  | { type: 'typing'; conversationId: string; from: 'customer' | 'agent'; name: string | null; typing: boolean }
  | { type: 'bot_stream'; conversationId: string; streamId: string; seq: number; text?: string; done?: 'stored' | 'withdrawn' }
  | { type: 'error'; code: string; message: string };

export interface TestSocket {
  frames: Frame[];
  /** Events received so far, in arrival order. */
  events(): EventView[];
  /** Where a client resumes: the position of the latest `ready` or `cursor` frame. */
  position(): { after: string; xmin: string } | null;
  /** Resolves with the first frame (already received or arriving) that matches; rejects after timeoutMs. */
  waitFor(match: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  waitForEvent(match: (event: EventView) => boolean, timeoutMs?: number): Promise<EventView>;
  /** Sends a frame to the server (JSON unless a string is given as is). */
  send(frame: unknown): void;
  /** Resolves when the connection closes (by either side), with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** Opens /ws; resolves once the server has sent `ready` (the backlog is delivered). */
export async function openSocket(baseUrl: string, token: string, after?: string, xmin?: string): Promise<TestSocket> {
  const url = new URL('/ws', baseUrl.replace(/^http/, 'ws'));
  url.searchParams.set('token', token);
  if (after) url.searchParams.set('after', after);
  if (xmin) url.searchParams.set('xmin', xmin);
  const ws = new WebSocket(url);
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    for (const wake of waiters) wake();
  });

  const waitFor = (match: (frame: Frame) => boolean, timeoutMs = 15_000) =>
    new Promise<Frame>((resolve, reject) => {
      const check = () => {
        const found = frames.find(match);
        if (!found) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching WebSocket frame within ${timeoutMs} ms; got ${JSON.stringify(frames.map(describe))}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(wake);
      };
      const wake = () => void check();
      waiters.add(wake);
      check();
    });

  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
  await waitFor((frame) => frame.type === 'ready');

  return {
    frames,
    events: () => frames.flatMap((frame) => (frame.type === 'event' ? [frame.event] : [])),
    position() {
      const latest = frames.findLast((frame) => frame.type === 'cursor' || (frame.type === 'ready' && frame.lastEventId !== null));
      if (latest?.type === 'cursor') return { after: latest.after, xmin: latest.xmin };
      if (latest?.type === 'ready') return { after: latest.lastEventId!, xmin: latest.xmin };
      return null;
    },
    waitFor,
    async waitForEvent(match, timeoutMs) {
      const frame = await waitFor((candidate) => candidate.type === 'event' && match(candidate.event), timeoutMs);
      return (frame as Extract<Frame, { type: 'event' }>).event;
    },
    closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

const describe = (frame: Frame) => (frame.type === 'event' ? `${frame.event.type}#${frame.event.id}` : frame.type);

/** Tries to open /ws and reports the HTTP status of a refused upgrade (or 101 when accepted). */
export function upgradeStatus(baseUrl: string, query: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws${query}`);
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}
