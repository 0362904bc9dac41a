// The agent workflow's contract (`agent-<userId>`): presence changes, so going offline re-routes
// the agent's conversations after a grace period and coming online offers the queue at once.
import { defineSignal } from '@temporalio/workflow';
import type { Presence } from '../domain/vocabulary.js';

export const agentWorkflowName = 'agentWorkflow';

export interface AgentWorkflowInput {
  userId: string;
}

export interface PresenceChangedInput {
  presence: Presence;
}
/** Sent by the API after it stored a presence change (signal-with-start). */
export const presenceChangedSignal = defineSignal<[PresenceChangedInput]>('presenceChanged');

export interface SeatsAddedInput {
  reason: string;
}
/** The agent can hold more conversations (capacity raised): offer the queue at once. */
export const seatsAddedSignal = defineSignal<[SeatsAddedInput]>('seatsAdded');
