// The baseline (workflows/patches.ts): which patches record a marker, and a check that the
// conversation workflow's baseline list names every patch the workflow uses today.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** What the fake Temporal says each patch is (absent: patched, as in a new run) and the markers asked for. */
let recorded: Record<string, boolean> = {};
const asked: string[] = [];
vi.mock('@temporalio/workflow', () => ({ patched: (id: string) => (asked.push(id), recorded[id] ?? true) }));

const { conversationBaseline, patched, startBaseline } = await import('./patches.js');

/**
 * Patches the conversation workflow added after its baseline shipped: they record their own
 * markers. A new patch goes here, never into the baseline's list.
 */
const conversationPatchesAfterBaseline: string[] = [];

/** The files whose `patched()` checks run in a conversation workflow. */
const conversationSources = ['conversation.ts', 'conversation-entity.ts', 'automation-rules.ts', 'subject-runtime.ts', 'one-at-a-time.ts'];

/** Every patch id a source checks: `patched('id')` or `patched(name)` with `const name = 'id'` in the same file. */
function patchIds(source: string): string[] {
  const constants = new Map([...source.matchAll(/const (\w+) = '([^']+)'/g)].map(([, name, id]) => [name!, id!]));
  return [...source.matchAll(/patched\((?:'([^']+)'|(\w+))\)/g)].map(([call, literal, name]) => {
    const id = literal ?? constants.get(name!);
    if (!id) throw new Error(`${call}: not a string or a constant of the same file`);
    return id;
  });
}

describe('patch baseline', () => {
  beforeEach(() => {
    recorded = {};
    asked.length = 0;
  });

  it('names every patch the conversation workflow checks in the baseline or after it', () => {
    const used = new Set(conversationSources.flatMap((file) => patchIds(readFileSync(new URL(file, import.meta.url), 'utf8'))));
    expect(used.size).toBeGreaterThan(20);
    const known = new Set([...conversationBaseline.applied, ...conversationPatchesAfterBaseline]);
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

  it('asks Temporal for every patch when the history has no baseline marker', () => {
    recorded = { [conversationBaseline.name]: false, 'quick-start': false };
    startBaseline(conversationBaseline);
    expect([patched('route-in-one-step'), patched('quick-start')]).toEqual([true, false]);
    expect(asked).toEqual([conversationBaseline.name, 'route-in-one-step', 'quick-start']);
  });
});
