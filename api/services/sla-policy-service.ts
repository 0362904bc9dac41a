// SLA policies as admins manage them: response and resolution targets per priority (optionally
// per channel kind or team), in business hours, with a warning share and an escalation ladder.
// Every write is one transaction with its audit event. Conversations and tickets take a policy
// when their workflow plans its SLA (activities/*-activities.ts), so a change must be announced
// to the running ones: a change writes their workflows' signals to the outbox in its own
// transaction (workflow-gateway.ts), and announceSlaPolicyChange() delivers them after the commit.
import type { EscalationStep } from '../../workflows/conversation.messages.js';
import { conversationWorkflowId, ticketWorkflowId } from '../../domain/workflow-ids.js';
import type { SlaPolicyView } from '../../contract/views.js';
import type { Priority } from '../../domain/vocabulary.js';
import type { Db, Tx } from '../../infra/db.js';
import type { Prisma, SlaPolicy } from '../../prisma/generated/client.js';
import type { ApiDeps } from '../deps.js';
import { workflowGateway } from './workflow-gateway.js';
import { writeOutboxRows } from './workflow-outbox.js';
import { badRequest, conflict, HttpError } from '../http-error.js';
import { recordAudit } from './audit-service.js';
import { refuseWhileInUse } from './dependents.js';
import { isForeignKeyViolation, isUniqueViolation } from './prisma-errors.js';
import { lockRowOrNotFound } from './row-lock.js';

export function toSlaPolicyView(row: SlaPolicy): SlaPolicyView {
  return {
    id: row.id,
    name: row.name,
    priority: row.priority,
    channelKind: row.channelKind,
    teamId: row.teamId,
    businessHoursId: row.businessHoursId,
    firstResponseMinutes: row.firstResponseMinutes,
    nextResponseMinutes: row.nextResponseMinutes,
    resolutionMinutes: row.resolutionMinutes,
    warningPercent: row.warningPercent,
    escalation: row.escalation as unknown as EscalationStep[],
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What an admin writes: the view without the fields the database keeps. */
export type SlaPolicyInput = Omit<SlaPolicyView, 'id' | 'createdAt' | 'updatedAt'>;

/** The order the console lists them in: by priority (urgent first), then name. */
const priorityRank: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export async function listSlaPolicies(db: Db): Promise<SlaPolicyView[]> {
  const rows = await db.slaPolicy.findMany({ orderBy: { name: 'asc' } });
  return rows.sort((a, b) => priorityRank[a.priority] - priorityRank[b.priority] || a.name.localeCompare(b.name)).map(toSlaPolicyView);
}

const nameTaken = () => conflict('sla_policy_name_taken', 'Another SLA policy has this name.');

async function checkLinks(tx: Tx, input: Partial<SlaPolicyInput>, exceptId?: string) {
  if (input.teamId && !(await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true } })))
    throw badRequest('unknown_team', 'That team does not exist.');
  if (input.businessHoursId && !(await tx.businessHours.findUnique({ where: { id: input.businessHoursId }, select: { id: true } }))) {
    throw badRequest('unknown_business_hours', 'Those business hours do not exist.');
  }
  if (input.name !== undefined) {
    const taken = await tx.slaPolicy.findFirst({
      where: { name: { equals: input.name, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) },
      select: { id: true },
    });
    if (taken) throw nameTaken();
  }
}

/** Targets must nest: a first reply cannot be due after the whole conversation is. */
function checkTargets(policy: Pick<SlaPolicyInput, 'firstResponseMinutes' | 'nextResponseMinutes' | 'resolutionMinutes'>) {
  const problems: { path: string; message: string }[] = [];
  if (policy.firstResponseMinutes > policy.resolutionMinutes)
    problems.push({ path: 'firstResponseMinutes', message: 'must not be longer than resolutionMinutes' });
  if (policy.nextResponseMinutes > policy.resolutionMinutes)
    problems.push({ path: 'nextResponseMinutes', message: 'must not be longer than resolutionMinutes' });
  if (problems.length > 0) throw badRequest('invalid_input', 'The SLA targets do not fit together.', problems);
}

const data = (input: Partial<SlaPolicyInput>) => ({ ...input, escalation: input.escalation && (input.escalation as unknown as Prisma.InputJsonValue) });

function refusedByDatabase(error: unknown): never {
  if (error instanceof HttpError) throw error;
  if (isUniqueViolation(error)) throw nameTaken();
  if (isForeignKeyViolation(error)) throw badRequest('unknown_reference', 'The team or business hours were removed meanwhile.');
  throw error;
}

export async function createSlaPolicy(db: Db, adminId: string, input: SlaPolicyInput): Promise<SlaPolicyView> {
  checkTargets(input);
  try {
    return await db.$transaction(async (tx) => {
      await checkLinks(tx, input);
      const view = toSlaPolicyView(await tx.slaPolicy.create({ data: { ...input, escalation: input.escalation as unknown as Prisma.InputJsonValue } }));
      await recordAudit(tx, { type: 'sla_policy.created', adminId, before: null, after: view });
      return view;
    });
  } catch (error) {
    refusedByDatabase(error);
  }
}

/** Applies the change (switching it off too); the merged targets are checked together. */
export async function updateSlaPolicy(db: Db, adminId: string, id: string, changes: Partial<SlaPolicyInput>): Promise<SlaPolicyView> {
  try {
    return await db.$transaction(async (tx) => {
      await lockRowOrNotFound(tx, 'SlaPolicy', id, 'SLA policy');
      const before = toSlaPolicyView(await tx.slaPolicy.findUniqueOrThrow({ where: { id } }));
      checkTargets({ ...before, ...changes });
      await checkLinks(tx, changes, id);
      const after = toSlaPolicyView(await tx.slaPolicy.update({ where: { id }, data: data(changes) }));
      await recordAudit(tx, { type: 'sla_policy.updated', adminId, before, after, details: { changed: Object.keys(changes) } });
      await promiseReplans(tx, id);
      return after;
    });
  } catch (error) {
    refusedByDatabase(error);
  }
}

/**
 * Deletes a policy no conversation or ticket was ever measured against; otherwise 409
 * `sla_policy_in_use`, advising to disable it. This is what Zendesk admins expect of an SLA
 * policy: past tickets keep showing the targets they were held to (deleting would null their
 * slaPolicyId through the foreign key and lose that for reports and the audit), while a disabled
 * policy stops applying to new work — and, once the lead's re-plan signal is wired, to running
 * work — at once.
 */
export async function deleteSlaPolicy(db: Db, adminId: string, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    // Lock first: a workflow recording this policy meanwhile waits (its foreign key check needs
    // the row), then fails and retries its activity, which plans with the remaining policies.
    await lockRowOrNotFound(tx, 'SlaPolicy', id, 'SLA policy');
    const [conversations, tickets] = await Promise.all([
      tx.conversation.count({ where: { slaPolicyId: id } }),
      tx.ticket.count({ where: { slaPolicyId: id } }),
    ]);
    refuseWhileInUse(
      'sla_policy_in_use',
      'This SLA policy was applied to',
      { conversations, tickets },
      'Disable it instead (PATCH enabled: false) to keep their record.',
    );
    const row = await tx.slaPolicy.delete({ where: { id } });
    await recordAudit(tx, { type: 'sla_policy.deleted', adminId, before: toSlaPolicyView(row), after: null });
  });
}

/** Conversations whose workflow still runs (closed ones are finished). */
const runningConversation = { status: { not: 'closed' } } as const;
/** Tickets whose workflow still runs (closed ones are finished; solved ones may reopen). */
const runningTicket = { status: { not: 'closed' } } as const;

/** The conversations and tickets measured against the policy whose workflows still run, oldest first. */
async function runningWith(db: Db | Tx, policyId: string): Promise<{ conversationIds: string[]; ticketIds: string[] }> {
  const [conversations, tickets] = await Promise.all([
    db.conversation.findMany({ where: { slaPolicyId: policyId, ...runningConversation }, select: { id: true }, orderBy: { createdAt: 'asc' } }),
    db.ticket.findMany({ where: { slaPolicyId: policyId, ...runningTicket }, select: { id: true }, orderBy: { createdAt: 'asc' } }),
  ]);
  return { conversationIds: conversations.map((row) => row.id), ticketIds: tickets.map((row) => row.id) };
}

/**
 * In the transaction of a policy's change: the outbox rows that tell each running conversation
 * and ticket with that policy to plan again (each workflow re-reads its policy, keeping the time
 * already used; one that has ended meanwhile has nothing to plan). Resolved conversations and
 * solved tickets are included: their workflows still run and would use the old plan if reopened.
 *
 * Not covered yet: a new or newly enabled policy that is more specific than the one a running
 * conversation holds (or one without any policy) — re-planning those means every running
 * conversation and ticket of the policy's priority.
 */
async function promiseReplans(tx: Tx, policyId: string): Promise<{ conversationIds: string[]; ticketIds: string[] }> {
  const running = await runningWith(tx, policyId);
  await writeOutboxRows(
    tx,
    [
      ...running.conversationIds.map((conversationId) => ({ kind: 'conversation_sla_policy_changed' as const, conversationId })),
      ...running.ticketIds.map((ticketId) => ({ kind: 'ticket_sla_policy_changed' as const, ticketId })),
    ],
    null,
  );
  return running;
}

type AnnounceDeps = Pick<ApiDeps, 'db' | 'temporal' | 'taskQueue' | 'log' | 'relay'>;

/**
 * Announces a policy changed elsewhere (targets, hours, ladder, switched off) to the
 * conversations and tickets that run with it: writes their rows and delivers them; returns their
 * ids. updateSlaPolicy() writes them itself, in its transaction.
 */
export async function slaPolicyChanged(deps: AnnounceDeps, policyId: string): Promise<{ conversationIds: string[]; ticketIds: string[] }> {
  const running = await deps.db.$transaction((tx) => promiseReplans(tx, policyId));
  await deliverReplans(deps, running);
  return running;
}

/** Hands the re-plans of running workflows to Temporal; a large policy's are left to the relay's loop. */
const deliverReplans = (deps: AnnounceDeps, running: { conversationIds: string[]; ticketIds: string[] }) =>
  workflowGateway(deps).deliverWaiting([...running.conversationIds.map(conversationWorkflowId), ...running.ticketIds.map(ticketWorkflowId)]);

/**
 * After updateSlaPolicy() committed: delivers the re-plans it wrote. The change stands even if
 * this fails; the rows wait in the outbox and the relay delivers them.
 */
export async function announceSlaPolicyChange(deps: AnnounceDeps, policyId: string): Promise<void> {
  try {
    await deliverReplans(deps, await runningWith(deps.db, policyId));
  } catch (error) {
    deps.log(`could not deliver the change of SLA policy ${policyId} now; the workflow relay will`, error);
  }
}
