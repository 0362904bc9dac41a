// At most N automatic replies (bot answers, acknowledgements, CSAT requests) to one sender per
// window: the last guard against two autoresponders answering each other forever when neither
// marks its mail (see automated-mail.ts for the marked ones). Pure: the caller keeps the send
// times per sender (senderKey) and records a send only after it decided to send.

export interface AutoReplyLimit {
  /** Automatic replies allowed per sender within the window. */
  max: number;
  windowMs: number;
}

export const defaultAutoReplyLimit: Readonly<AutoReplyLimit> = Object.freeze({ max: 5, windowMs: 60 * 60 * 1000 });

export type AutoReplyDecision = { allowed: true } | { allowed: false; nextAllowedAt: Date };

/** The key send times are kept under: the address lower-cased and trimmed. */
export function senderKey(address: string): string {
  return address.trim().toLowerCase();
}

/** The send times still inside the window ending at now (what to keep). */
export function recentSends(sentAt: readonly Date[], now: Date, limit: AutoReplyLimit): Date[] {
  const from = now.getTime() - limit.windowMs;
  return sentAt.filter((time) => time.getTime() > from && time.getTime() <= now.getTime());
}

/** Whether one more automatic reply may go to this sender now, given the earlier ones. */
export function autoReplyDecision(sentAt: readonly Date[], now: Date, limit: AutoReplyLimit = defaultAutoReplyLimit): AutoReplyDecision {
  if (limit.max <= 0) return { allowed: false, nextAllowedAt: new Date(now.getTime() + limit.windowMs) };
  const recent = recentSends(sentAt, now, limit).sort((a, b) => a.getTime() - b.getTime());
  if (recent.length < limit.max) return { allowed: true };
  // Allowed again once enough of the recent sends have left the window.
  const freeing = recent[recent.length - limit.max]!;
  return { allowed: false, nextAllowedAt: new Date(freeing.getTime() + limit.windowMs) };
}
