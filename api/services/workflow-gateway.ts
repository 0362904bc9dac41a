// The one way the API reaches a workflow: start it, signal it, or run an update on it, for
// conversations, tickets, agents and whatever comes next, with one policy.
//
// - Starts and signals whose intent must not be lost (workflow-intents.ts) are written to the
//   workflow outbox in the caller's transaction, next to the change they are about, then
//   delivered by the relay right after the commit (the request waits up to its deadline, not at
//   all while Temporal is known to be away). An already-started workflow is a success; while
//   Temporal is away the rows wait and go, each workflow's in order, once it answers. A replayed
//   request delivers what its first attempt left waiting (`deliverWaiting`), and a replayed start
//   writes its row again if none waits (`ensureStarted`).
// - Updates ask the workflow itself and answer at once: Temporal away is 503
//   `workflow_unavailable` (nothing changed, retry), a business refusal 400/409 with its reason,
//   a workflow that has ended the caller's "closed" answer.
//
//   const outbox = workflowGateway(deps).outbox();
//   await db.$transaction(async (tx) => { …the change…; await outbox.write(tx, [{ kind: 'start_ticket', ticketId }]); });
//   await outbox.deliver();
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Db, Tx } from '../../infra/db.js';
import type { ApiDeps } from '../deps.js';
import { conflict, HttpError } from '../http-error.js';
import { workflowIdOf, type WorkflowIntent } from './workflow-intents.js';
import { writeOutboxRows, type OutboxRow } from './workflow-outbox.js';
import { temporalIsAway, type LeaseClaim, type Written } from './workflow-relay.js';

export type { WorkflowIntent } from './workflow-intents.js';

export type GatewayDeps = Pick<ApiDeps, 'db' | 'temporal' | 'relay'>;

export type Refusals = Record<string, { status: number; code: string }>;

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

/** The starts and signals one request writes in its transaction, delivered after the commit. */
export interface OutboxWrites {
  /**
   * The lease the writing statement asks for (null while Temporal is away: nobody waits then).
   * A statement that writes its own row (message-store.ts) passes it, then reports with `wrote`.
   */
  readonly claim: LeaseClaim | null;
  /** Writes the intents' rows in the caller's transaction, in order, taking their workflows' leases. */
  write(tx: Tx, intents: readonly WorkflowIntent[]): Promise<void>;
  /**
   * A row the caller's own statement wrote for `workflowId`; `acquired`: whether it took the
   * lease with `claim` (false: it rang the holder, who delivers it), absent when it did not ask.
   * `rows`: with the lease taken, every row the workflow has (a new workflow's start), as the
   * statement returned them, so the delivery need not read them again.
   */
  wrote(workflowId: string, acquired?: boolean, rows?: OutboxRow[]): void;
  /**
   * After the commit: delivers the rows written (a rolled-back transaction wrote none: do not
   * call it then). Resolves when they are delivered or the request's deadline passed; never throws.
   */
  deliver(): Promise<void>;
}

export interface WorkflowGateway {
  outbox(): OutboxWrites;
  /** A replayed request: delivers whatever its first attempt left waiting for these workflows. */
  deliverWaiting(workflowIds: readonly string[]): Promise<void>;
  /**
   * A replayed request that started a workflow: writes the start again unless one waits (its
   * first attempt may predate the outbox, or have been refused), then delivers. Call only for a
   * subject that is not closed: a closed one's workflow has ended, perhaps beyond Temporal's
   * retention, and must not start again.
   */
  ensureStarted(intent: Extract<WorkflowIntent, { kind: `start_${string}` }>): Promise<void>;
  /** Runs an update on the workflow; throws HttpError for the answers above. */
  update<State, Input>(target: UpdateTarget<State, Input>): Promise<void>;
}

export function workflowGateway(deps: GatewayDeps): WorkflowGateway {
  const deliver = (written: Written[]) => deps.relay?.deliverNow(written) ?? Promise.resolve();
  return {
    outbox() {
      const claim = deps.relay?.claim() ?? null;
      const written = new Map<string, Written>();
      const note = (workflowId: string, acquired?: boolean, rows?: OutboxRow[]) => {
        // Once taken, a workflow's lease stays this request's (its later rows rang it).
        if (written.get(workflowId)?.taken?.acquired) return;
        const taken = claim && acquired !== undefined ? { claim, acquired } : undefined;
        written.set(workflowId, { workflowId, taken, ...(taken?.acquired && rows ? { rows } : {}) });
      };
      return {
        claim,
        async write(tx, intents) {
          for (const row of await writeOutboxRows(tx, intents, claim)) note(row.workflowId, row.acquired);
        },
        wrote: note,
        deliver: () => deliver([...written.values()]),
      };
    },

    deliverWaiting: (workflowIds) => deliver([...new Set(workflowIds)].map((workflowId) => ({ workflowId }))),

    async ensureStarted(intent) {
      await writeStartUnlessWaiting(deps.db, intent);
      await deliver([{ workflowId: workflowIdOf(intent) }]);
    },

    update: (target) => runWorkflowUpdate(deps.temporal, target),
  };
}

/** One statement: the start's row, unless a row of the same kind already waits for the workflow. */
async function writeStartUnlessWaiting(db: Db, intent: WorkflowIntent): Promise<void> {
  const { kind, ...payload } = intent;
  const workflowId = workflowIdOf(intent);
  await db.$executeRaw`
    INSERT INTO "WorkflowOutbox" (kind, "workflowId", payload)
    SELECT ${kind}, ${workflowId}, ${JSON.stringify(payload)}::jsonb
    WHERE NOT EXISTS (SELECT 1 FROM "WorkflowOutbox" WHERE "workflowId" = ${workflowId} AND kind = ${kind})`;
}

function refusalOf(error: unknown, refusals: Refusals): ApplicationFailure | null {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type && cause.type in refusals) return cause;
  }
  return null;
}

/**
 * Runs a lifecycle update (the only way the API changes a conversation's or a ticket's lifecycle).
 * Business refusals (ApplicationFailures with a stable type, thrown by a validator or by an
 * activity the handler ran) become 400/409 with their reason.
 */
export async function runWorkflowUpdate<State, Input>(temporal: Client, target: UpdateTarget<State, Input>): Promise<void> {
  try {
    await temporal.workflow
      .getHandle(target.workflowId)
      .executeUpdate(target.update, { args: [target.input], ...(target.updateId ? { updateId: target.updateId } : {}) });
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
