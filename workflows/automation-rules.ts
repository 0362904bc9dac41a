// Automation rules inside a workflow (conversation or ticket): the queue of events rules react
// to, matching (a local activity that reads the rules and the subject) and each matched action as
// its own activity. Three kinds of events reach the queue: what handlers push (a message
// arrived), what the runner derives from the subject's watched fields (status, assignee,
// priority changed — by a person, by routing or by a rule's action), and clock ticks for time
// rules: matching says when the next time rule is due, and the workflow sleeps on a Temporal
// timer until then instead of polling. Events caused by rule actions carry depth + 1, so rules
// that keep triggering each other stop at domain/rules' bound.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { patched } from './patches.js';
import type { RuleActivities, RuleRun, RuleSubjectRef } from '../activities/rule-activities.js';
import { eventsOfChange, type RuleEvent, type WatchedFields } from '../domain/rules/matcher.js';
import type { RuleClock } from '../domain/rules/rule-clock.js';
import type { RunnableAction } from '../domain/rules/rule-schema.js';
import { localDbActivity, ruleActionActivity } from './activity-options.js';

/** Matching reads the database: local, with bounded retries (rules never hold a subject up). */
const matching = proxyLocalActivities<Pick<RuleActivities, 'matchRules' | 'evaluateRules'>>({
  ...localDbActivity,
  retry: { ...localDbActivity.retry, maximumAttempts: 5 },
});
/** An action that keeps failing is recorded as failed; the subject goes on. */
const actions = proxyActivities<Pick<RuleActivities, 'recordRuleActionFailure'>>(ruleActionActivity);

export interface RuleRunnerOptions<Result> {
  subject: RuleSubjectRef;
  /** The subject's fields whose changes are rule events. */
  watched: () => WatchedFields;
  clock: () => RuleClock;
  /** Runs one action as an activity (of this subject's kind). */
  runAction: (input: { executionId: string; index: number; action: RunnableAction; rule: { id: string; version: number } }) => Promise<Result>;
  /** Mirrors what the action changed into the workflow's state. */
  mirror: (result: Result) => Promise<void>;
}

/** Runs started before derived events and time rules existed replay without them. */
export const ruleEventsPatch = 'rule-events';
export const ruleEventsApply = () => patched(ruleEventsPatch);
/** Runs started before the workflow skipped events no rule listens to replay without skipping. */
const skipUnwatched = () => patched('rule-events-watched');

export function ruleRunner<Result extends { tagAdded?: string }>(options: RuleRunnerOptions<Result>) {
  const queue: RuleEvent[] = [];
  let seen = options.watched();

  /**
   * Whether matching this event can do anything: most conversations have no rule on most events
   * (routing alone raises status_changed and assigned), and each matching is a local activity.
   * Until the first matching says what rules listen to, and while any rule is time-based (its
   * due instant may move with any change), every event is matched.
   */
  const worthMatching = (event: RuleEvent) => {
    const watching = options.clock().watching;
    if (!watching || watching.includes('time_elapsed') || !skipUnwatched()) return true;
    return watching.includes(event.on);
  };
  const enqueue = (...events: RuleEvent[]) => queue.push(...events.filter(worthMatching));

  /** Queues the events the watched fields' changes since the last look make. */
  const noteChanges = (depth: number) => {
    const now = options.watched();
    enqueue(...eventsOfChange(seen, now, depth));
    seen = now;
  };

  const runActions = async (runs: RuleRun[], depth: number) => {
    for (const run of runs) {
      for (const [index, action] of run.actions.entries()) {
        try {
          const result = await options.runAction({ executionId: run.executionId, index, action, rule: { id: run.ruleId, version: run.version } });
          await options.mirror(result);
          if (result.tagAdded && ruleEventsApply()) enqueue({ on: 'tag_added', tag: result.tagAdded, depth });
        } catch (error) {
          await actions.recordRuleActionFailure({ executionId: run.executionId, index, error: String(error) });
        }
      }
    }
  };

  /** Matches and runs the rules one event fires; one failing action does not stop the others. */
  const run = async (event: RuleEvent) => {
    const depth = (event.depth ?? 0) + 1;
    if (!ruleEventsApply()) {
      if (!('conversationId' in options.subject)) return;
      let runs;
      try {
        runs = await matching.evaluateRules({ conversationId: options.subject.conversationId, event });
      } catch {
        return;
      }
      await runActions(runs, depth);
      return;
    }
    const clock = options.clock();
    try {
      const match = await matching.matchRules({ subject: options.subject, event, dueAfter: clock.checkedUntil });
      clock.nextDueAt = match.nextDueAt;
      if (match.watching) clock.watching = match.watching;
      await runActions(match.runs, depth);
    } catch {
      return; // rules that cannot be read must not hold the subject up (retries are bounded)
    }
    noteChanges(depth);
  };

  return {
    run,
    /** Queues an event a handler saw, for the main loop (actions never race the handler). */
    push: (event: RuleEvent) => void enqueue(event),
    /** The watched fields as they are now count as seen (after the first preparation). */
    baseline: () => void (seen = options.watched()),
    /** Queues events for changes made outside rules (people, routing, timers): depth 0. */
    noteChanges: () => noteChanges(0),
    hasPending: () => queue.length > 0,
    /** Runs the rules of the oldest queued event. */
    runNext: async () => {
      const event = queue.shift();
      if (event) await run(event);
    },
    /** The earlier of the workflow's own next wake and the next time rule (epoch ms; null: never). */
    wakeAt: (own: number | null): number | null => {
      const next = options.clock().nextDueAt;
      const due = next === null ? null : Date.parse(next);
      return own === null ? due : due === null ? own : Math.min(own, due);
    },
    /** A time rule has come due: queue a tick covering (last tick, now]. */
    tick: (now: Date) => {
      const clock = options.clock();
      if (clock.nextDueAt === null || Date.parse(clock.nextDueAt) > now.getTime()) return;
      queue.push({ on: 'time_elapsed', from: clock.checkedUntil, to: now.toISOString() });
      clock.checkedUntil = now.toISOString();
      clock.nextDueAt = null;
    },
  };
}

export type RuleRunner = ReturnType<typeof ruleRunner>;
