// One marker per run instead of one per patch. The TypeScript SDK records a marker and upserts the
// TemporalChangeVersion search attribute (a visibility write on the server) for every patch a run
// checks, and a workflow keeps every patch it ever added: a routed widget conversation recorded 7
// markers and 7 of those upserts (bench/README.md). A workflow that declares a baseline records
// one patch, the baseline, at its very start; when it holds (every run started since), the patches
// in its list count as applied without a marker of their own. When it does not (a history
// recorded before the baseline existed, replaying), every check goes through Temporal's
// `patched()` as before, so old histories take exactly their old paths. Patches not in the list
// (added later) always go through `patched()`.
//
// Never add a patch to a baseline list after the list has shipped (histories recorded under the
// baseline ran without it); a new baseline needs a new name, and the workflow passes it to
// startBaseline before the older ones.
//
// The baseline lives in module state: the worker gives every workflow run its own module instances.
import { patched as temporalPatched } from '@temporalio/workflow';

export interface PatchBaseline {
  /** The patch id recorded at the start of every run (durable: never renamed). */
  name: string;
  /** Every patch the workflow checked when the baseline shipped (frozen: never added to). */
  applied: readonly string[];
}

/** The patches of the runtime both workflows share (automation-rules.ts, subject-runtime.ts, one-at-a-time.ts). */
const sharedRuntimePatches = ['rule-events', 'rule-events-watched', 'note-changes-between-writers', 'note-changes-before-rule-event', 'one-writer-at-a-time'];

/** The conversation workflow's patches up to 7 December 2026 (its entity and the shared runtime's included). */
export const conversationBaseline: PatchBaseline = {
  name: 'conversation-baseline-2026-12-07',
  applied: [
    // workflows/conversation.ts
    'call-missed-rules',
    'quiet-rule-actions',
    'bot-in-preparation',
    'quick-start',
    'model-classification',
    'self-service-bot',
    // workflows/conversation-entity.ts
    'automation-rules',
    'rule-signals-once',
    'quiet-automated-mail',
    'route-in-one-step',
    'bot-action-tools',
    'bot-action-no-idle',
    'bot-actions',
    'ordered-message-signals',
    'reply-takes-conversation',
    'resolver-takes-conversation',
    'sla-email',
    ...sharedRuntimePatches,
  ],
};

/**
 * The conversation workflow's patches up to 8 December 2026: the first baseline's and
 * 'first-run-in-one-step' (workflows/conversation.ts), which recorded a marker of its own in runs
 * started under the first baseline. Asked first; runs without its marker fall back to the first.
 */
export const conversationBaselineDec8: PatchBaseline = {
  name: 'conversation-baseline-2026-12-08',
  applied: [...conversationBaseline.applied, 'first-run-in-one-step'],
};

/** The ticket workflow's patches up to 7 December 2026 (its entity and the shared runtime's included). */
export const ticketBaseline: PatchBaseline = {
  name: 'ticket-baseline-2026-12-07',
  applied: [
    // workflows/ticket-entity.ts
    'customer-reply-once',
    'sla-email',
    ...sharedRuntimePatches,
  ],
};

/** Patches of this run that count as applied without a marker (empty: every check asks Temporal). */
let applied: ReadonlySet<string> = new Set();

/**
 * Call first in the workflow function, before any command, with the workflow's baselines newest
 * first: a new run records the newest one's marker only; a replayed run holds the one its history
 * recorded (the newer ones are asked first and, without their marker, record nothing).
 */
export function startBaseline(...baselines: PatchBaseline[]): void {
  applied = new Set(baselines.find((baseline) => temporalPatched(baseline.name))?.applied);
}

/** Temporal's `patched()`, except that a patch the run's baseline covers is applied without a marker. */
export function patched(patchId: string): boolean {
  return applied.has(patchId) || temporalPatched(patchId);
}
