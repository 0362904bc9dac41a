// What-if jobs (issue 22 part 2): an admin (or a team lead, for their teams' settings) replays the
// last N days against a candidate setting.
// The row is written first, then its `what-if-<id>` workflow started (no outbox: nothing else
// changes with it, and a start Temporal refuses marks the row failed and answers 503); cancel marks
// the row cancelled and cancels the workflow, which stops between batches.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { WhatIfBody } from '../../contract/requests/what-if.js';
import type { WhatIfRunView } from '../../contract/what-if.js';
import { agentTiers } from '../../domain/vocabulary.js';
import type { WhatIfResult } from '../../domain/what-if.js';
import type { WhatIfRun } from '../../prisma/generated/client.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { whatIfWorkflowId, whatIfWorkflowName, type WhatIfWorkflowInput } from '../../workflows/what-if.messages.js';
import type { ApiDeps } from '../deps.js';
import { conflict, forbidden, HttpError, notFound } from '../http-error.js';
import { temporalIsAway } from './workflow-relay.js';

type Deps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue'>;

const dayMs = 86_400_000;

/**
 * The API reads a run without its tally: the batches rewrite it and it grows with the replay
 * (megabytes for the routing kinds), and the console polls the run while it goes.
 */
export const withoutTally = { tally: true } as const;
type RunRow = Omit<WhatIfRun, 'tally'>;

export function whatIfRunView(run: RunRow): WhatIfRunView {
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

type Caller = { userId: string; role: string };

/** The teams a user leads (a lead may try settings of those teams only). */
const ledTeamIds = async (db: Deps['db'], userId: string) =>
  (await db.team.findMany({ where: { leadId: userId }, select: { id: true } })).map((team) => team.id);

/**
 * Admins may try any setting. A team lead may try only what concerns nothing but the teams they
 * lead: their members' routing profiles (moved, if at all, only between those teams) and business
 * hours no other team and no other team's SLA policy uses. Everyone else: 403.
 */
async function checkMayStart(db: Deps['db'], caller: Caller, body: WhatIfBody): Promise<void> {
  if (caller.role === 'admin') return;
  const led = await ledTeamIds(db, caller.userId);
  if (led.length === 0) throw forbidden('Only admins and team leads may do this.');
  const ours = (teamId: string | null | undefined) => typeof teamId === 'string' && led.includes(teamId);
  let concernsOnlyTheirs = false;
  if (body.kind === 'routing_profile') {
    const ids = Object.keys(body.candidate.changes);
    const agents = await db.user.findMany({ where: { id: { in: ids } }, select: { teamId: true } });
    concernsOnlyTheirs =
      agents.length === ids.length &&
      agents.every((agent) => ours(agent.teamId)) &&
      Object.values(body.candidate.changes).every((change) => change.teamId === undefined || ours(change.teamId));
  } else if (body.kind === 'business_hours' && body.candidate.businessHoursId) {
    const hoursId = body.candidate.businessHoursId;
    const teams = await db.team.findMany({ where: { businessHoursId: hoursId }, select: { id: true } });
    // Policies without hours of their own count in the first team of a tier's hours (activities/sla-plans.ts defaultHours).
    const firstOfTier = await Promise.all(
      agentTiers.map((tier) => db.team.findFirst({ where: { tier }, orderBy: { name: 'asc' }, select: { businessHoursId: true } })),
    );
    const fallback = firstOfTier.some((team) => team?.businessHoursId === hoursId);
    const policies = await db.slaPolicy.findMany({
      where: { OR: [{ businessHoursId: hoursId }, ...(fallback ? [{ businessHoursId: null }] : [])] },
      select: { teamId: true },
    });
    concernsOnlyTheirs = teams.length > 0 && teams.every((team) => ours(team.id)) && policies.every((policy) => ours(policy.teamId));
  }
  if (!concernsOnlyTheirs) throw forbidden("A team lead may try only their own teams' agents and business hours.");
}

/** Admins read and cancel any job; a team lead only the jobs they started. */
async function visibleRun(db: Deps['db'], caller: Caller, id: string): Promise<RunRow> {
  if (caller.role !== 'admin' && (await ledTeamIds(db, caller.userId)).length === 0) throw forbidden('Only admins and team leads may do this.');
  const run = await db.whatIfRun.findUnique({ where: { id }, omit: withoutTally });
  if (!run) throw notFound('What-if job');
  if (caller.role !== 'admin' && run.createdById !== caller.userId) throw forbidden('A team lead may follow only the jobs they started.');
  return run;
}

export async function startWhatIf(deps: Deps, caller: Caller, body: WhatIfBody, now = new Date()): Promise<WhatIfRunView> {
  await checkMayStart(deps.db, caller, body);
  const run = await deps.db.whatIfRun.create({
    data: {
      kind: body.kind,
      days: body.days,
      candidate: body.candidate as Prisma.InputJsonValue,
      periodStart: new Date(now.getTime() - body.days * dayMs),
      periodEnd: now,
      createdById: caller.userId,
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

export async function getWhatIf(deps: Deps, caller: Caller, id: string): Promise<WhatIfRunView> {
  return whatIfRunView(await visibleRun(deps.db, caller, id));
}

/** Stops a running job: 409 `what_if_finished` once it has completed, failed or been cancelled. */
export async function cancelWhatIf(deps: Deps, caller: Caller, id: string): Promise<WhatIfRunView> {
  const run = await visibleRun(deps.db, caller, id);
  const { count } = await deps.db.whatIfRun.updateMany({ where: { id, status: 'running' }, data: { status: 'cancelled', finishedAt: new Date() } });
  if (count === 0) throw conflict('what_if_finished', `This job has already ${run.status === 'running' ? 'completed' : run.status}.`);
  try {
    await deps.temporal.workflow.getHandle(whatIfWorkflowId(id)).cancel();
  } catch (error) {
    // Ended already (its last batch raced the cancel): the row says cancelled, nothing runs.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  return whatIfRunView(await deps.db.whatIfRun.findUniqueOrThrow({ where: { id }, omit: withoutTally }));
}
