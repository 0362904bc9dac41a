// The SLA clocks of one conversation as a book: the plan, its running and paused clocks, and the
// warnings and breaches already recorded. Shared by the conversation workflow
// (workflows/conversation-sla.ts, whose state is such a book) and the what-if replay
// (rules/sla-replay.ts), so both start, stop, pause, resume and re-plan clocks the same way. Pure;
// each function changes the book it is given.
import { clockDueAt, clockStatus, pauseClock, resumeClock, startClock, worstStatus, type SlaClock, type SlaMetric } from './sla-clock.js';
import type { SlaPlan } from './sla-plan.js';
import type { SlaState, WaitingOn } from './vocabulary.js';

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

/** The book's SLA state: the worst of its clocks ('none' without a policy). */
export function slaStateOf(book: SlaBook, at: Date): SlaState {
  if (!book.sla || book.clocks.length === 0) return book.sla ? 'ok' : 'none';
  const { calendar, warningPercent } = book.sla;
  return worstStatus(book.clocks.map((clock) => clockStatus(clock, at, warningPercent, calendar)));
}

/** Due dates to show agents: when each running clock breaches (null while paused or absent). */
export function dueDatesOf(book: SlaBook): Record<SlaMetric, string | null> {
  const dueOf = (metric: SlaMetric) => {
    const clock = clockOf(book, metric);
    return clock && book.sla ? (clockDueAt(clock, 1, book.sla.calendar)?.toISOString() ?? null) : null;
  };
  return { first_response: dueOf('first_response'), next_response: dueOf('next_response'), resolution: dueOf('resolution') };
}

/**
 * A conversation's clocks as its first run starts them from the stored conversation: its plan,
 * first response (unless answered) and resolution from its creation, resolution paused while it
 * waits on the customer. The workflow and the activity that saves them in its first step agree.
 */
export function startConversationClocks(
  book: SlaBook,
  conversation: { sla: SlaPlan | null; createdAt: string; firstResponseAt: string | null; waitingOn: WaitingOn | null },
  now: Date,
): void {
  applyPlan(book, conversation.sla);
  const createdAt = new Date(conversation.createdAt);
  if (conversation.firstResponseAt === null) startMetric(book, 'first_response', createdAt);
  startMetric(book, 'resolution', createdAt);
  if (conversation.waitingOn === 'customer') pauseMetric(book, 'resolution', now);
}
