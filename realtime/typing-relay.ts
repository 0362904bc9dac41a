// Relays a client's typing frame: checks the sender may see the conversation (the same rule as
// events, domain/visibility.ts), throttles it, and NOTIFYs every API process; each process tells
// its sockets that may see it (realtime-server.ts). Answers a bad frame with an error frame.
import { canSee, type Viewer } from '../domain/visibility.js';
import type { Db } from '../infra/db.js';
import { shouldRelay, typingChannel, typingFrameSchema, type TypingNotice } from './typing.js';

/** A conversation's visibility and an agent's name change rarely: looked up once a while. */
const cacheMs = 10_000;

export interface TypingSender {
  id: string;
  viewer: Viewer;
  /** When this socket last relayed "typing: true", per conversation. */
  lastTyping: Map<string, number>;
  reply(frame: { type: 'error'; code: string; message: string }): void;
}

export function createTypingRelay(db: Db, log: (message: string, error?: unknown) => void) {
  const conversations = new Map<string, { at: number; scope: { customerId: string; teamId: string | null; assigneeId: string | null } | null }>();
  const names = new Map<string, { at: number; name: string | null }>();

  const cached = async <T>(cache: Map<string, { at: number } & T>, key: string, load: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < cacheMs) return hit;
    const value = await load();
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { at: Date.now(), ...value });
    return value;
  };

  const scopeOf = (conversationId: string) =>
    cached(conversations, conversationId, async () => ({
      scope: await db.conversation.findUnique({ where: { id: conversationId }, select: { customerId: true, teamId: true, assigneeId: true } }),
    }));
  const nameOf = (userId: string) =>
    cached(names, userId, async () => ({ name: (await db.user.findUnique({ where: { id: userId }, select: { name: true } }))?.name ?? null }));

  return async function relay(sender: TypingSender, data: string): Promise<void> {
    let parsed;
    try {
      parsed = typingFrameSchema.safeParse(JSON.parse(data));
    } catch {
      parsed = null;
    }
    if (!parsed?.success)
      return sender.reply({ type: 'error', code: 'invalid_frame', message: 'Expected {"type":"typing","conversationId":"<uuid>","typing":true|false}.' });
    const frame = parsed.data;
    const { viewer } = sender;
    if (viewer.kind === 'integration') return;
    const internal = viewer.kind === 'user' && frame.private === true;
    const { scope } = await scopeOf(frame.conversationId);
    // Unknown and not-yours answer alike: a conversation's existence is not revealed.
    if (!scope || !canSee(viewer, { ...scope, internal: false })) return sender.reply({ type: 'error', code: 'not_found', message: 'No such conversation.' });
    const now = Date.now();
    if (!shouldRelay(frame, sender.lastTyping.get(frame.conversationId), now)) return;
    if (frame.typing) sender.lastTyping.set(frame.conversationId, now);
    else sender.lastTyping.delete(frame.conversationId);
    const notice: TypingNotice = {
      conversationId: frame.conversationId,
      ...scope,
      internal,
      from: viewer.kind === 'user' ? 'agent' : 'customer',
      name: viewer.kind === 'user' ? (await nameOf(viewer.userId)).name : null,
      typing: frame.typing,
      socketId: sender.id,
    };
    try {
      await db.$executeRaw`SELECT pg_notify(${typingChannel}, ${JSON.stringify(notice)})`;
    } catch (error) {
      log('could not relay a typing indicator', error);
    }
  };
}
