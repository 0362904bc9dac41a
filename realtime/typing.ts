// Typing indicators: a client says it is (or stopped) typing in a conversation; the others who
// may see that conversation are told, in every API process. Nothing is stored: an indicator is
// only worth something now, so it travels as a PostgreSQL NOTIFY on its own channel (not the
// event log) and is lost, harmlessly, when nobody listens.
import { z } from 'zod';

export const typingChannel = 'seamless_typing';

/** A client's frame: `{ "type": "typing", "conversationId": "<uuid>", "typing": true }`. */
export const typingFrameSchema = z.strictObject({
  type: z.literal('typing'),
  conversationId: z.uuid(),
  typing: z.boolean(),
  /** An agent writing a private note: only agents are told. */
  private: z.boolean().optional(),
});
export type TypingFrame = z.infer<typeof typingFrameSchema>;

/** What the channel carries from the process that received the frame to every process. */
export interface TypingNotice {
  conversationId: string;
  customerId: string;
  teamId: string | null;
  assigneeId: string | null;
  /** Agents only (a private note), never the customer. */
  internal: boolean;
  from: 'customer' | 'agent';
  /** The agent's name; null for the customer. */
  name: string | null;
  typing: boolean;
  /** The sending socket, so it is not told about itself. */
  socketId: string;
}

/** What a client receives. */
export interface TypingMessage {
  type: 'typing';
  conversationId: string;
  from: 'customer' | 'agent';
  name: string | null;
  typing: boolean;
}

/** A "typing: true" is relayed at most this often per socket and conversation. */
export const typingRelayIntervalMs = 2_000;

/**
 * Whether this frame goes out now, given when the socket last relayed "typing" for the
 * conversation (undefined: it has not, or a "stopped" followed). A "stopped" goes out only after
 * a relayed "typing", so a flood of them costs one NOTIFY, not one each.
 */
export function shouldRelay(frame: TypingFrame, lastRelayedAt: number | undefined, now: number): boolean {
  if (!frame.typing) return lastRelayedAt !== undefined;
  return lastRelayedAt === undefined || now - lastRelayedAt >= typingRelayIntervalMs;
}
