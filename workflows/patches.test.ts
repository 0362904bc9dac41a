// The baseline (workflows/patches.ts): which patches record a marker, and a check that the
// conversation workflow's baseline list names every patch the workflow uses today.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** What the fake Temporal says each patch is (absent: patched, as in a new run) and the markers asked for. */
let recorded: Record<string, boolean> = {};
const asked: string[] = [];
vi.mock('@temporalio/workflow', () => ({ patched: (id: string) => (asked.push(id), recorded[id] ?? true) }));

const { conversationBaseline, conversationBaselineDec8, patched, startBaseline, ticketBaseline } = await import('./patches.js');

/**
 * Each workflow with a baseline: the files whose `patched()` checks run in it, and the patches it
 * added after its baseline shipped (they record their own markers). A new patch goes into `after`,
 * never into the baseline's list.
 */
const workflows = [
  {
    baseline: conversationBaseline,
    sources: ['conversation.ts', 'conversation-entity.ts', 'automation-rules.ts', 'subject-runtime.ts', 'one-at-a-time.ts'],
    after: ['first-run-in-one-step'],
  },
  {
    baseline: conversationBaselineDec8,
    sources: ['conversation.ts', 'conversation-entity.ts', 'automation-rules.ts', 'subject-runtime.ts', 'one-at-a-time.ts'],
    after: [] as string[],
  },
  {
    baseline: ticketBaseline,
    sources: ['ticket.ts', 'ticket-entity.ts', 'automation-rules.ts', 'subject-runtime.ts', 'one-at-a-time.ts'],
    after: [] as string[],
  },
];

/** Every patch id the sources check: `patched('id')`, or `patched(name)` with `const name = 'id'` in one of them. */
function patchIds(files: string[]): Set<string> {
  const sources = files.map((file) => readFileSync(new URL(file, import.meta.url), 'utf8'));
  const constants = new Map(sources.flatMap((source) => [...source.matchAll(/const (\w+) = '([^']+)'/g)].map(([, name, id]) => [name!, id!] as const)));
  const calls = sources.flatMap((source) => [...source.matchAll(/patched\((?:'([^']+)'|(\w+))\)/g)]);
  return new Set(
    calls.map(([call, literal, name]) => {
      const id = literal ?? constants.get(name!);
      if (!id) throw new Error(`${call}: not a string or a constant of the workflow's files`);
      return id;
    }),
  );
}

describe('patch baseline', () => {
  beforeEach(() => {
    recorded = {};
    asked.length = 0;
  });

  it.each(workflows)("names every patch $baseline.name's workflow checks in the baseline or after it", ({ baseline, sources, after }) => {
    const used = patchIds(sources);
    expect(used.size).toBeGreaterThan(5);
    const known = new Set([...baseline.applied, ...after]);
    expect([...used].filter((id) => !known.has(id))).toEqual([]);
  });

  it('applies the listed patches without markers when the baseline holds', () => {
    startBaseline(conversationBaseline);
    expect([patched('route-in-one-step'), patched('quick-start')]).toEqual([true, true]);
    expect(asked).toEqual([conversationBaseline.name]);
    // A patch added after the baseline still records its own marker.
    recorded['later-patch'] = false;
    expect(patched('later-patch')).toBe(false);
    expect(asked).toEqual([conversationBaseline.name, 'later-patch']);
  });

  it('records only the newest baseline in a new run, and falls back to an older one a history recorded', () => {
    startBaseline(conversationBaselineDec8, conversationBaseline);
    expect(patched('first-run-in-one-step')).toBe(true);
    expect(asked).toEqual([conversationBaselineDec8.name]);

    asked.length = 0;
    recorded = { [conversationBaselineDec8.name]: false, 'first-run-in-one-step': false };
    startBaseline(conversationBaselineDec8, conversationBaseline);
    expect([patched('quick-start'), patched('first-run-in-one-step')]).toEqual([true, false]);
    expect(asked).toEqual([conversationBaselineDec8.name, conversationBaseline.name, 'first-run-in-one-step']);
  });

  it('asks Temporal for every patch when the history has no baseline marker', () => {
    recorded = { [conversationBaseline.name]: false, 'quick-start': false };
    startBaseline(conversationBaseline);
    expect([patched('route-in-one-step'), patched('quick-start')]).toEqual([true, false]);
    expect(asked).toEqual([conversationBaseline.name, 'route-in-one-step', 'quick-start']);
  });
});
