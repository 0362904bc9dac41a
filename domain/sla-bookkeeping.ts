// The SLA clocks of one conversation as a book: the plan, its running and paused clocks, and the
// warnings and breaches already recorded. Shared by the conversation workflow
// (workflows/conversation-sla.ts, whose state is such a book) and the what-if replay
// (rules/sla-replay.ts), so both start, stop, pause, resume and re-plan clocks the same way. Pure;
// each function changes the book it is given.
import { pauseClock, resumeClock, startClock, type SlaClock, type SlaMetric } from './sla-clock.js';
import type { SlaPlan } from './sla-plan.js';

export interface SlaBook {
  sla: SlaPlan | null;
  clocks: SlaClock[];
  /** The metrics whose warning or breach has been recorded since their clock started. */
  reported: Partial<Record<SlaMetric, 'warning' | 'breached'>>;
}

export const targetOf = (plan: SlaPlan, metric: SlaMetric): number =>
  metric === 'first_response' ? plan.firstResponseMinutes : metric === 'next_response' ? plan.nextResponseMinutes : plan.resolutionMinutes;

export const clockOf = (book: SlaBook, metric: SlaMetric): SlaClock | undefined => book.clocks.find((clock) => clock.metric === metric);

export function startMetric(book: SlaBook, metric: SlaMetric, at: Date): void {
  if (!book.sla) return;
  book.clocks = [...book.clocks.filter((clock) => clock.metric !== metric), startClock(metric, targetOf(book.sla, metric), at)];
  delete book.reported[metric];
}

/** The target was met (or no longer applies): its clock is dropped. */
export function stopMetric(book: SlaBook, metric: SlaMetric): void {
  book.clocks = book.clocks.filter((clock) => clock.metric !== metric);
  delete book.reported[metric];
}

export function pauseMetric(book: SlaBook, metric: SlaMetric, at: Date): void {
  const clock = clockOf(book, metric);
  if (clock && book.sla) replace(book, pauseClock(clock, at, book.sla.calendar));
}

export function resumeMetric(book: SlaBook, metric: SlaMetric, at: Date): void {
  const clock = clockOf(book, metric);
  if (clock) replace(book, resumeClock(clock, at));
}

function replace(book: SlaBook, updated: SlaClock): void {
  book.clocks = book.clocks.map((clock) => (clock.metric === updated.metric ? updated : clock));
}

/** A new policy (the priority changed): each clock keeps the business time it has used. */
export function applyPlan(book: SlaBook, plan: SlaPlan | null): void {
  book.sla = plan;
  book.clocks = plan ? book.clocks.map((clock) => ({ ...clock, targetMinutes: targetOf(plan, clock.metric) })) : [];
  if (!plan) book.reported = {};
}
