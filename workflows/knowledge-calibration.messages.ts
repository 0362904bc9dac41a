// The knowledge calibration workflow's contract (`knowledge-calibration-<organizationId>`,
// workflows/knowledge-calibration.ts): refits the bot's confidence calibration on the
// organisation's own knowledge base (infra/ai/knowledge-base-calibration.ts) after its articles
// change, debounced. The API signals it (signal-with-start through the workflow outbox) on every
// article created, changed or deleted, and when an admin asks for a recalibration now.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const knowledgeCalibrationWorkflowName = 'knowledgeCalibrationWorkflow';

/** Why a calibration runs: articles changed or customers' verdicts accumulated (debounced), or an admin asked (at once). */
export type CalibrationTrigger = 'article_changed' | 'feedback' | 'manual';

export interface KnowledgeCalibrationInput {
  organizationId: number;
  /** Quiet time after the last change before a run (default 60 s). */
  debounceMs?: number;
  /** A change not yet calibrated, carried across continue-as-new. */
  pending?: CalibrationTrigger;
}

export interface KnowledgeChangedInput {
  trigger: CalibrationTrigger;
}
/** Articles changed (`article_changed`: wait for a quiet moment) or an admin asked (`manual`: now). */
export const knowledgeChangedSignal = defineSignal<[KnowledgeChangedInput]>('knowledgeChanged');

export interface KnowledgeCalibrationState {
  organizationId: number;
  /** Calibrations run in this run of the workflow. */
  runs: number;
  /** A change waits to be calibrated. */
  pending: CalibrationTrigger | null;
  /** A calibration is running. */
  running: boolean;
}
/** For Temporal UI / CLI and tests. */
export const knowledgeCalibrationStateQuery = defineQuery<KnowledgeCalibrationState>('state');
