// What-if jobs (issue 22 part 2): an admin replays the last N days against a candidate setting.
// The row is written first, then its `what-if-<id>` workflow started (no outbox: nothing else
// changes with it, and a start Temporal refuses marks the row failed and answers 503); cancel marks
// the row cancelled and cancels the workflow, which stops between batches.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { WhatIfBody } from '../../contract/requests/what-if.js';
import type { WhatIfRunView } from '../../contract/what-if.js';
import type { WhatIfResult } from '../../domain/what-if.js';
import type { WhatIfRun } from '../../prisma/generated/client.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { whatIfWorkflowId, whatIfWorkflowName, type WhatIfWorkflowInput } from '../../workflows/what-if.messages.js';
import type { ApiDeps } from '../deps.js';
import { conflict, HttpError, notFound } from '../http-error.js';
import { temporalIsAway } from './workflow-relay.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue'>;

const dayMs = 86_400_000;

export function whatIfRunView(run: WhatIfRun): WhatIfRunView {
  return {
    id: run.id,
    kind: run.kind as WhatIfRunView['kind'],
    days: run.days,
    candidate: run.candidate as Record<string, unknown>,
    periodStart: run.periodStart.toISOString(),
    periodEnd: run.periodEnd.toISOString(),
    status: run.status,
    processed: run.processed,
    total: run.total,
    result: (run.result as WhatIfResult | null) ?? null,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

export async function startWhatIf(deps: Deps, adminId: string, body: WhatIfBody, now = new Date()): Promise<WhatIfRunView> {
  const run = await deps.db.whatIfRun.create({
    data: {
      kind: body.kind,
      days: body.days,
      candidate: body.candidate as Prisma.InputJsonValue,
      periodStart: new Date(now.getTime() - body.days * dayMs),
      periodEnd: now,
      createdById: adminId,
    },
  });
  try {
    await deps.temporal.workflow.start(whatIfWorkflowName, {
      taskQueue: deps.taskQueue,
      workflowId: whatIfWorkflowId(run.id),
      args: [{ runId: run.id } satisfies WhatIfWorkflowInput],
    });
  } catch (error) {
    await deps.db.whatIfRun.update({ where: { id: run.id }, data: { status: 'failed', error: 'The job could not be started.', finishedAt: new Date() } });
    if (temporalIsAway(error))
      throw new HttpError(503, 'workflow_unavailable', 'Workflows are unreachable right now; the job did not start. Try again shortly.');
    throw error;
  }
  return whatIfRunView(run);
}

export async function getWhatIf(deps: Deps, id: string): Promise<WhatIfRunView> {
  const run = await deps.db.whatIfRun.findUnique({ where: { id } });
  if (!run) throw notFound('What-if job');
  return whatIfRunView(run);
}

/** Stops a running job: 409 `what_if_finished` once it has completed, failed or been cancelled. */
export async function cancelWhatIf(deps: Deps, id: string): Promise<WhatIfRunView> {
  const run = await deps.db.whatIfRun.findUnique({ where: { id } });
  if (!run) throw notFound('What-if job');
  const { count } = await deps.db.whatIfRun.updateMany({ where: { id, status: 'running' }, data: { status: 'cancelled', finishedAt: new Date() } });
  if (count === 0) throw conflict('what_if_finished', `This job has already ${run.status === 'running' ? 'completed' : run.status}.`);
  try {
    await deps.temporal.workflow.getHandle(whatIfWorkflowId(id)).cancel();
  } catch (error) {
    // Ended already (its last batch raced the cancel): the row says cancelled, nothing runs.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  return whatIfRunView(await deps.db.whatIfRun.findUniqueOrThrow({ where: { id } }));
}
