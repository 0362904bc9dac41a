// Where a subject's time rules stand. Kept in the conversation or ticket workflow's state (so it
// survives continue-as-new) and therefore part of their contracts: plain JSON, add fields only.

export interface RuleClock {
  /** Time rules due up to this instant have been matched. */
  checkedUntil: string;
  /** When the next one is due, as the last matching saw it; null: none. */
  nextDueAt: string | null;
  /** The triggers enabled rules listened to at the last matching; events of others are not matched. */
  watching?: string[];
}

/**
 * Whether an event is matched, given the triggers enabled rules listen to (`watching`; unknown:
 * every event is). A time rule's due instant may move with any event, so it listens to all.
 */
export const listensTo = (watching: readonly string[] | undefined, on: string): boolean =>
  !watching || watching.includes(on) || watching.includes('time_elapsed');
