// Running a workflow update from the API: the only way it changes a conversation's or a ticket's
// lifecycle. Business refusals (ApplicationFailures with a stable type, thrown by a validator or
// by an activity the handler ran) become 400/409 with their reason.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type SignalDefinition, type UpdateDefinition } from '@temporalio/common';
import { conflict, HttpError } from '../http-error.js';
import { temporalIsAway } from './workflow-relay.js';

export type Refusals = Record<string, { status: number; code: string }>;

function refusalOf(error: unknown, refusals: Refusals): ApplicationFailure | null {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type && cause.type in refusals) return cause;
  }
  return null;
}

export interface UpdateTarget<State, Input> {
  workflowId: string;
  update: UpdateDefinition<State, [Input]>;
  input: Input;
  refusals: Refusals;
  /** The answer when the workflow has completed (the conversation or ticket is closed). */
  closed: { code: string; message: string };
  /** Temporal runs an update once per id: callers sending the same id share the first call's outcome. */
  updateId?: string;
}

export async function runWorkflowUpdate<State, Input>(temporal: Client, target: UpdateTarget<State, Input>): Promise<void> {
  try {
    await temporal.workflow.getHandle(target.workflowId).executeUpdate(target.update, { args: [target.input], ...(target.updateId ? { updateId: target.updateId } : {}) });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw conflict(target.closed.code, target.closed.message);
    const refusal = refusalOf(error, target.refusals);
    if (refusal) {
      const { status, code } = target.refusals[refusal.type!]!;
      throw new HttpError(status, code, refusal.message);
    }
    // A completed workflow refuses updates without a business failure.
    if (error instanceof WorkflowUpdateFailedError) throw conflict(target.closed.code, target.closed.message);
    // Temporal down or unreachable: nothing changed, the caller may retry (messages still go
    // through, by the outbox; a lifecycle change needs the workflow itself).
    if (temporalIsAway(error)) throw new HttpError(503, 'workflow_unavailable', 'Workflows are unreachable right now; nothing was changed. Try again shortly.');
    throw error;
  }
}

/**
 * Tells a workflow about something the API has already stored. Nothing is lost when it cannot be
 * told (the workflow has ended, or Temporal is away): the change stands, the log says what the
 * workflow missed.
 */
export async function signalStored<Args extends unknown[]>(
  deps: { temporal: Client; log(message: string, error?: unknown): void },
  workflowId: string,
  signal: SignalDefinition<Args>,
  args: Args,
  missed: string,
): Promise<void> {
  try {
    await deps.temporal.workflow.getHandle(workflowId).signal(signal, ...args);
  } catch (error) {
    deps.log(`${workflowId} did not hear ${missed}`, error);
  }
}
