// Typing indicators on the client (api/README.md: the "typing" frames). Outgoing: a burst of
// keystrokes says "typing" once every few seconds and "stopped" after a pause or on send.
// Incoming: who is typing where, forgotten after a while in case the "stopped" frame was lost
// (a closed tab sends none).
import type { TypingFrame } from './frames';

/** Say "typing" again at most this often while keys keep coming (the server relays one per 2 s). */
export const typingRepeatMs = 3_000;
/** No key for this long: "stopped". */
export const typingPauseMs = 4_000;
/** An indicator with no news for this long is dropped. */
export const typingStaleMs = 8_000;

export interface TypingSenderOptions {
  send(typing: boolean): void;
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export function createTypingSender(options: TypingSenderOptions) {
  let lastSent: number | null = null;
  let pause: unknown = null;
  const stop = () => {
    if (pause !== null) options.clearTimer(pause);
    pause = null;
    if (lastSent !== null) options.send(false);
    lastSent = null;
  };
  return {
    /** A key was pressed in the composer. */
    input() {
      const now = options.now();
      if (lastSent === null || now - lastSent >= typingRepeatMs) {
        options.send(true);
        lastSent = now;
      }
      if (pause !== null) options.clearTimer(pause);
      pause = options.setTimer(stop, typingPauseMs);
    },
    /** Sent, cleared, or left the conversation: "stopped" if "typing" was said. */
    stop,
  };
}

export interface Typist {
  from: 'customer' | 'agent';
  name: string | null;
  /** When the last "typing" arrived (ms). */
  at: number;
}

/** Who is typing in each conversation, from the frames received. */
export type TypingBoard = Readonly<Record<string, readonly Typist[]>>;

const sameTypist = (a: Pick<Typist, 'from' | 'name'>, b: Pick<Typist, 'from' | 'name'>) => a.from === b.from && a.name === b.name;

export function applyTypingFrame(board: TypingBoard, frame: TypingFrame, now: number): TypingBoard {
  const others = (board[frame.conversationId] ?? []).filter((typist) => !sameTypist(typist, frame));
  const typists = frame.typing ? [...others, { from: frame.from, name: frame.name, at: now }] : others;
  return { ...board, [frame.conversationId]: typists };
}

/** Those typing in a conversation now (stale ones left out). */
export function typistsIn(board: TypingBoard, conversationId: string, now: number): Typist[] {
  return (board[conversationId] ?? []).filter((typist) => now - typist.at < typingStaleMs);
}
