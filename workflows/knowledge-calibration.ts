// `knowledge-calibration-<organizationId>`: refits the bot's confidence calibration on the
// organisation's own knowledge base after its articles change. Debounced: a change waits until no
// other has come for `debounceMs` (an admin editing ten articles gets one run, not ten), at most
// `maxDelayFactor` times that after the first; an admin's "recalibrate now" runs at once. A change
// during a run is calibrated by the next one. Runs for as long as the organisation exists,
// continuing as new every `runsPerRun` calibrations.
import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CalibrationActivities } from '../activities/calibration-activities.js';
import { calibrationActivity } from './activity-options.js';
import {
  knowledgeCalibrationStateQuery,
  knowledgeChangedSignal,
  type CalibrationTrigger,
  type KnowledgeCalibrationInput,
  type KnowledgeCalibrationState,
} from './knowledge-calibration.messages.js';

const activities = proxyActivities<CalibrationActivities>(calibrationActivity);

export const defaultDebounceMs = 60_000;
/** However busy the editing, a change is calibrated within this many debounce periods. */
const maxDelayFactor = 10;
const runsPerRun = 100;

export async function knowledgeCalibrationWorkflow({ organizationId, debounceMs = defaultDebounceMs, pending }: KnowledgeCalibrationInput): Promise<void> {
  const state: KnowledgeCalibrationState = { organizationId, runs: 0, pending: pending ?? null, running: false };
  let changes = 0;
  setHandler(knowledgeChangedSignal, ({ trigger }) => {
    changes += 1;
    // A manual request is not postponed by edits around it; otherwise the latest reason is kept.
    state.pending = state.pending === 'manual' ? 'manual' : trigger;
  });
  setHandler(knowledgeCalibrationStateQuery, () => state);

  while (state.runs < runsPerRun && !workflowInfo().continueAsNewSuggested) {
    await condition(() => state.pending !== null);
    // Debounce: wait for a quiet period after the last change (never for a manual request).
    for (let waits = 0; state.pending !== 'manual' && waits < maxDelayFactor; waits++) {
      const seen = changes;
      const changedAgain = await condition(() => changes !== seen || state.pending === 'manual', debounceMs);
      if (!changedAgain) break;
    }
    const trigger: CalibrationTrigger = state.pending!;
    state.pending = null;
    state.running = true;
    try {
      await activities.recalibrateKnowledgeBase({ trigger });
    } finally {
      state.running = false;
    }
    state.runs += 1;
  }
  await continueAsNew<typeof knowledgeCalibrationWorkflow>({ organizationId, debounceMs, ...(state.pending ? { pending: state.pending } : {}) });
}
