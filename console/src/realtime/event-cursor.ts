// Which events a client has already applied, and where to resume. Event ids increase (they are
// a database sequence sent as strings), so the resume point is the largest id seen. Duplicates
// come from the overlap around a reconnect (the backlog sent after `after=` and live events that
// raced it); a bounded memory of recent ids drops them.

/** Compares two event ids: numeric strings by value (so "10" > "9"), anything else as text. */
export function compareEventIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export class EventCursor {
  private readonly seen = new Set<string>();
  private last: string | null;

  constructor(
    start: string | null = null,
    /** How many recent ids to remember; far more than a reconnect overlap ever holds. */
    private readonly memory = 2000,
  ) {
    this.last = start;
  }

  /** The id to pass as `after=` on the next connection. */
  get lastEventId(): string | null {
    return this.last;
  }

  /**
   * True the first time an id is offered; false for a repeat. Ids at or below the oldest
   * remembered one are treated as repeats too, since they precede the resume point.
   */
  accept(id: string): boolean {
    if (this.seen.has(id)) return false;
    if (this.seen.size >= this.memory) {
      const oldest = this.seen.values().next().value as string;
      if (compareEventIds(id, oldest) <= 0) return false;
      this.seen.delete(oldest);
    }
    this.seen.add(id);
    this.advance(id);
    return true;
  }

  /** Moves the resume point forward (never back), e.g. to the `lastEventId` of a ready frame. */
  advance(id: string | null): void {
    if (id !== null && (this.last === null || compareEventIds(id, this.last) > 0)) this.last = id;
  }
}
