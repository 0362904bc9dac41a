// The bot's answer while the model writes it (realtime `bot_stream` frames, never stored): the
// widget shows the text growing, then the stored message replaces it. Pure, so it is unit-tested.
import type { BotStreamFrame } from '../realtime/frames';

/** The preview of one conversation: its stream, the text so far, the next piece expected, and pieces that came early. */
export interface BotPreview {
  streamId: string;
  text: string;
  next: number;
  early: Record<number, string>;
}

/** Previews by conversation id. */
export type BotPreviews = Readonly<Record<string, BotPreview>>;

/**
 * The previews after a frame: a new stream starts over (a retried attempt), pieces are added in
 * their order (one that comes early waits for those before it), and an end removes the preview —
 * the stored message, when there is one, arrived as an event just before.
 */
export function applyBotStreamFrame(previews: BotPreviews, frame: BotStreamFrame): BotPreviews {
  const { [frame.conversationId]: current, ...others } = previews;
  if (frame.done) return current?.streamId === frame.streamId ? others : previews;
  const preview =
    current?.streamId === frame.streamId ? { ...current, early: { ...current.early } } : { streamId: frame.streamId, text: '', next: 0, early: {} };
  if (frame.seq < preview.next) return previews;
  preview.early[frame.seq] = frame.text ?? '';
  while (preview.early[preview.next] !== undefined) {
    preview.text += preview.early[preview.next];
    delete preview.early[preview.next];
    preview.next += 1;
  }
  return { ...others, [frame.conversationId]: preview };
}

/** A message of the bot arrived in the conversation: the preview it replaces goes. */
export function withoutPreview(previews: BotPreviews, conversationId: string): BotPreviews {
  if (!(conversationId in previews)) return previews;
  const { [conversationId]: _, ...others } = previews;
  return others;
}
