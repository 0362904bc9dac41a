// Which events a client has already applied, and where it resumes. The server names the resume
// position (`ready` and `cursor` frames: the last event id and the oldest transaction then
// running, realtime/README.md "Resuming"): an event can commit after one with a higher id, so "the
// largest id seen" is not a safe place to resume from. Resuming from the server's position may
// repeat events the client already has (the ones after it, and late ones below it); a memory of
// recent ids drops them.

/** Where to resume: `after=` and `xmin=` of the next connection. */
export interface ResumePosition {
  after: string;
  /** null: a position without one (resume strictly after `after`). */
  xmin: string | null;
}

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
  private resumeFrom: ResumePosition | null;

  constructor(
    start: ResumePosition | null = null,
    /** How many recent ids to remember; far more than a reconnect's repeats ever hold. */
    private readonly memory = 10_000,
  ) {
    this.resumeFrom = start;
  }

  /** Where the next connection resumes; null before the server named a position. */
  get position(): ResumePosition | null {
    return this.resumeFrom;
  }

  /** True the first time an id is offered; false for a repeat (among the ids remembered). */
  accept(id: string): boolean {
    if (this.seen.has(id)) return false;
    if (this.seen.size >= this.memory) this.seen.delete(this.seen.values().next().value as string);
    this.seen.add(id);
    return true;
  }

  /** The server's position (a `ready` or `cursor` frame); a `ready` without an id keeps the current one. */
  moveTo(after: string | null, xmin: string | null): void {
    if (after !== null) this.resumeFrom = { after, xmin };
  }
}
