// The bot's answer as it is written, for the people watching the conversation: pieces of text
// NOTIFYd on their own channel while the model streams (activities/ai-activities.ts), relayed by
// every API process to the sockets that may see the conversation (realtime/). Like typing
// indicators, nothing of it is stored: the stored bot message is what counts, and it replaces the
// preview. A stream that never ends (the worker died) leaves only a preview that the next message,
// a `done` or a reload clears.
import type { Db } from './db.js';

export const botStreamChannel = 'seamless_bot_stream';

/** How the preview ends: `stored` (the message is stored, already sent) or `withdrawn` (no answer from it). */
export type BotStreamEnd = 'stored' | 'withdrawn';

/** What the channel carries: the conversation's scope (who may see it) and one piece or the end. */
export interface BotStreamNotice {
  conversationId: string;
  customerId: string;
  teamId: string | null;
  assigneeId: string | null;
  /** One answer attempt (a retried activity streams under a new id). */
  streamId: string;
  /** 0, 1, 2, … within the stream. */
  seq: number;
  /** The next piece of text; absent on the end. */
  text?: string;
  done?: BotStreamEnd;
}

/** What a client receives (realtime-server.ts). */
export type BotStreamFrame = { type: 'bot_stream' } & Omit<BotStreamNotice, 'customerId' | 'teamId' | 'assigneeId'>;

/** NOTIFY payloads are limited to 8000 bytes: pieces go out in parts of at most this many characters. */
const partCharacters = 1500;

export interface BotStreamPublisher {
  /** Queues a piece; sent in order, coalesced while the previous NOTIFY is on its way (never awaited by the model's stream). */
  delta(text: string): void;
  /** Sends what is queued, then the end, if anything was sent. */
  end(outcome: BotStreamEnd): Promise<void>;
}

/** A publisher for one answer attempt in a conversation. Failures are logged and dropped: a preview is a convenience. */
export function createBotStreamPublisher(
  db: Db,
  scope: { conversationId: string; customerId: string; teamId: string | null; assigneeId: string | null },
  streamId: string,
  log: (message: string, error?: unknown) => void,
): BotStreamPublisher {
  let seq = 0;
  let queued = '';
  let pumping: Promise<void> | null = null;
  const notify = async (part: { text: string } | { done: BotStreamEnd }) => {
    const notice: BotStreamNotice = { ...scope, streamId, seq: seq++, ...part };
    try {
      await db.$executeRaw`SELECT pg_notify(${botStreamChannel}, ${JSON.stringify(notice)})`;
    } catch (error) {
      log('could not send a piece of the streamed answer', error);
    }
  };
  const pump = async () => {
    while (queued) {
      const text = queued.slice(0, partCharacters);
      queued = queued.slice(text.length);
      await notify({ text });
    }
    pumping = null;
  };
  return {
    delta(text) {
      if (!text) return;
      queued += text;
      pumping ??= pump();
    },
    async end(outcome) {
      while (pumping) await pumping;
      if (seq > 0) await notify({ done: outcome });
    },
  };
}
