// The skeleton the conversation and ticket workflows share (the "subject" is the conversation or
// the ticket): one writer at a time, a change counter that wakes the main loop, and the main
// loop itself — queued rule events first, then the subject's own queued work (routing), then
// sleep until something changes or a timer is due, run the timers, publish what changed, and
// continue as new before the history grows too long.
//
// The order of the steps is part of the recorded histories of both workflows: change it only
// behind `patched()` (see workflows/replay.integration-test.ts).
import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';
import type { RuleRunner } from './automation-rules.js';
import { oneAtATime } from './one-at-a-time.js';
import { patched } from './patches.js';

export interface MainLoop {
  rules: RuleRunner;
  /** Whether the changes to the watched fields become rule events (older runs replay without). */
  notesRuleChanges: () => boolean;
  closed: () => boolean;
  /** Writes the SLA state and search attributes when they changed; after every step. */
  publish: () => Promise<void>;
  /** Work the subject queues for the loop, done after the rules and before sleeping (routing). */
  work?: {
    pending: () => boolean;
    /** Called before the work waits for the writer: a new wish meanwhile asks again. */
    start: () => void;
    run: () => Promise<unknown>;
  };
  /** The subject's own next timer (epoch ms; null: none); time rules are added here. */
  nextWake: () => number | null;
  /** Runs what came due. */
  onTime: () => Promise<void>;
  continueAsNew: {
    maxHistoryEvents: () => number;
    /** A subject that must not continue as new now (a closed ticket completes instead). */
    unless?: () => boolean;
    start: () => Promise<never>;
  };
}

export interface SubjectRuntime {
  /** Runs the action once nothing else writes (and the subject is ready); see one-at-a-time.ts. */
  exclusive<T>(action: () => Promise<T>): Promise<T>;
  /** A handler changed something: the main loop re-plans its timers. */
  changed(): void;
  /** Runs the main loop until the subject is closed and every handler has finished. */
  run(loop: MainLoop): Promise<void>;
}

/** `ready()`: until it holds, writers wait (a ticket's handlers wait for its first state). */
export function subjectRuntime(ready: () => boolean = () => true): SubjectRuntime {
  /** Bumped after every writer and by handlers, so the main loop re-plans its timers after any change. */
  let changes = 0;
  const writer = oneAtATime(ready, () => (changes += 1));
  const exclusive = <T>(action: () => Promise<T>) => writer.run(action);

  const run = async ({ rules, notesRuleChanges, closed, publish, work, nextWake, onTime, continueAsNew }: MainLoop) => {
    const workPending = () => work?.pending() ?? false;
    await publish();
    while (!closed()) {
      // Changes are noted between writers only: mid-way through a handler (its status written, its
      // own rule event not yet queued) the derived event would jump the queue.
      if (notesRuleChanges() && !(writer.busy && patched('note-changes-between-writers'))) rules.noteChanges();
      if (rules.hasPending()) {
        await exclusive(async () => {
          // A person's change the loop skipped above (their update was the writer then) is theirs:
          // noted at depth 0 before the queued event runs, or that event's rules would claim it.
          if (notesRuleChanges() && patched('note-changes-before-rule-event')) rules.noteChanges();
          await rules.runNext();
        });
        await publish();
        continue;
      }
      if (work && workPending()) {
        work.start();
        await exclusive(work.run);
        await publish();
        continue;
      }
      const seen = changes;
      const wakeAt = rules.wakeAt(nextWake());
      const timeout = wakeAt === null ? undefined : Math.max(1, wakeAt - Date.now());
      await condition(() => changes !== seen || rules.hasPending() || workPending(), timeout);
      rules.tick(new Date());
      await exclusive(onTime);
      await publish();

      // Histories stay small: a long-lived subject starts a fresh run carrying its state.
      const due = workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > continueAsNew.maxHistoryEvents();
      if (!continueAsNew.unless?.() && due) {
        await condition(() => allHandlersFinished() && !writer.busy);
        await continueAsNew.start();
      }
    }
    // Let an update that was running when the subject closed (a merge) finish before the run completes.
    await condition(allHandlersFinished);
  };

  return { exclusive, changed: () => void (changes += 1), run };
}
