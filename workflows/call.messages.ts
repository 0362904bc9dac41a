// The call workflow's contract (`call-<callId>`, domain/workflow-ids.ts): one workflow per voice or
// video call (issue 24), started through the API's outbox (kind `start_call`) with the Call row.
// It owns the ring timeout; the API signals what the parties did (kind `call_changed`). Names here
// are stored in workflow histories: add, never rename.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const callWorkflowName = 'callWorkflow';

export interface CallWorkflowInput {
  callId: string;
  /** How long the call rings before it is missed (the channel's `callRingSeconds`). */
  ringTimeoutMs: number;
}

export type CallChange = 'answered' | 'transferred' | 'ended';
export interface CallChangedInput {
  change: CallChange;
}
/** A party answered, the agent transferred it (it rings the colleague, the timeout starts again), or it ended (declined, hung up). */
export const callChangedSignal = defineSignal<[CallChangedInput]>('callChanged');

export interface CallWorkflowState {
  callId: string;
  ringing: boolean;
  ended: boolean;
  /** Rings so far: the first, then one per transfer. */
  rings: number;
  missed: boolean;
}
export const callStateQuery = defineQuery<CallWorkflowState>('state');

/** What became of the call. */
export type CallOutcome = { outcome: 'missed' } | { outcome: 'ended' };
