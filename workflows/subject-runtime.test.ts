// The shared main loop without Temporal: the workflow API is replaced by plain promises so a test
// can hold a writer open at the exact moment the loop looks for changes. The workflows around it
// are covered by conversation/ticket integration tests and replay.integration-test.ts.
import { describe, expect, it, vi } from 'vitest';
import type { RuleEvent } from '../domain/rules/matcher.js';
import type { RuleClock } from '../domain/rules/rule-clock.js';

const matched: RuleEvent[] = [];

vi.mock('@temporalio/workflow', () => ({
  patched: () => true,
  // Polls the predicate on the real event loop: enough for a test that ends by closing the subject.
  condition: async (ready: () => boolean) => {
    while (!ready()) await new Promise((resolve) => setImmediate(resolve));
    return true;
  },
  allHandlersFinished: () => true,
  workflowInfo: () => ({ continueAsNewSuggested: false, historyLength: 0 }),
  proxyActivities: () => ({ recordRuleActionFailure: async () => {} }),
  proxyLocalActivities: () => ({
    matchRules: async ({ event }: { event: RuleEvent }) => {
      matched.push(event);
      return { runs: [], nextDueAt: null };
    },
  }),
}));

const { ruleRunner } = await import('./automation-rules.js');
const { subjectRuntime } = await import('./subject-runtime.js');

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('subject runtime', () => {
  it("files a person's change at depth 0 even when their update is the writer while the loop looks", async () => {
    matched.length = 0;
    const subject = { status: 'new', closed: false };
    const clock: RuleClock = { checkedUntil: new Date(0).toISOString(), nextDueAt: null };
    const rules = ruleRunner({
      subject: { ticketId: 't-1' },
      watched: () => ({ status: subject.status, assigneeId: null, priority: 'normal' }),
      clock: () => clock,
      runAction: async () => ({}),
      mirror: async () => {},
    });
    const runtime = subjectRuntime();

    // The loop's first publish is slow; meanwhile a person's update takes the writer, writes the
    // status and queues its own event, and is still busy when the loop comes to look.
    const publishing = gate();
    const updateFinishing = gate();
    let publishes = 0;
    const loop = runtime.run({
      rules,
      notesRuleChanges: () => true,
      closed: () => subject.closed,
      publish: async () => {
        if ((publishes += 1) === 1) await publishing.opened;
      },
      nextWake: () => null,
      onTime: async () => {},
      continueAsNew: { maxHistoryEvents: () => Number.MAX_SAFE_INTEGER, start: async () => new Promise<never>(() => {}) },
    });
    const update = runtime.exclusive(async () => {
      subject.status = 'open';
      rules.push({ on: 'ticket_updated' });
      await updateFinishing.opened;
    });
    publishing.open();
    await new Promise((resolve) => setImmediate(resolve));
    updateFinishing.open();
    await update;

    await vi.waitFor(() => expect(matched).toEqual([{ on: 'ticket_updated' }, { on: 'status_changed', to: 'open', depth: 0 }]));
    subject.closed = true;
    runtime.changed();
    await loop;
  });
});
