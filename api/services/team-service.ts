// Teams as admins manage them: name, routing tier, lead and business hours. Every write is one
// transaction with its audit event. A team is deleted only when nothing live depends on it.
import type { Db, Tx } from '../../infra/db.js';
import type { AgentTier } from '../../domain/vocabulary.js';
import { badRequest, conflict, HttpError } from '../http-error.js';
import { recordAudit } from './audit-service.js';
import { openConversationStatuses, openTicketStatuses, refuseWhileInUse } from './dependents.js';
import { isForeignKeyViolation, isUniqueViolation } from './prisma-errors.js';
import { lockRowOrNotFound } from './row-lock.js';

const teamInclude = {
  lead: { select: { id: true, name: true, email: true } },
  businessHours: { select: { id: true, name: true, timeZone: true } },
  _count: { select: { members: true } },
} as const;

type TeamRow = Awaited<ReturnType<typeof readTeamRow>>;
const readTeamRow = (db: Db | Tx, id: string) => db.team.findUniqueOrThrow({ where: { id }, include: teamInclude });

/** `id, name, tier, leadId, timeZone` are what the console read first; the rest came with the admin pages. */
export function toTeamView(team: TeamRow) {
  return {
    id: team.id,
    name: team.name,
    tier: team.tier,
    leadId: team.leadId,
    lead: team.lead,
    businessHoursId: team.businessHoursId,
    businessHours: team.businessHours,
    timeZone: team.businessHours?.timeZone ?? null,
    memberCount: team._count.members,
    createdAt: team.createdAt.toISOString(),
  };
}
export type TeamView = ReturnType<typeof toTeamView>;

/** The stored fields, as the audit trail keeps them. */
const auditedTeam = (team: TeamRow) => ({ id: team.id, name: team.name, tier: team.tier, leadId: team.leadId, businessHoursId: team.businessHoursId });

export async function listTeams(db: Db): Promise<TeamView[]> {
  return (await db.team.findMany({ orderBy: { name: 'asc' }, include: teamInclude })).map(toTeamView);
}

export interface TeamInput {
  name: string;
  tier: AgentTier;
  leadId: string | null;
  businessHoursId: string | null;
}

/** Checks the rows a team points at; a concurrent delete of one is caught by its foreign key. */
async function checkLinks(tx: Tx, input: Partial<TeamInput>) {
  if (input.leadId) {
    const lead = await tx.user.findUnique({ where: { id: input.leadId }, select: { role: true } });
    if (!lead || (lead.role !== 'agent' && lead.role !== 'admin')) throw badRequest('unknown_lead', 'The lead must be an existing agent or admin.');
  }
  if (input.businessHoursId && !(await tx.businessHours.findUnique({ where: { id: input.businessHoursId }, select: { id: true } }))) {
    throw badRequest('unknown_business_hours', 'Those business hours do not exist.');
  }
  if (input.name !== undefined) await checkNameFree(tx, input.name);
}

async function checkNameFree(tx: Tx, name: string, exceptId?: string) {
  const taken = await tx.team.findFirst({
    where: { name: { equals: name, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (taken) throw nameTaken();
}

const nameTaken = () => conflict('team_name_taken', 'Another team has this name.');

/** Maps what the database refused after the checks passed (a concurrent write won the race). */
function refusedByDatabase(error: unknown): never {
  if (isUniqueViolation(error)) throw nameTaken();
  if (isForeignKeyViolation(error)) throw badRequest('unknown_reference', 'The lead or business hours were removed meanwhile.');
  throw error;
}

export async function createTeam(db: Db, adminId: string, input: TeamInput): Promise<TeamView> {
  try {
    return await db.$transaction(async (tx) => {
      await checkLinks(tx, input);
      const { id } = await tx.team.create({ data: input });
      const team = await readTeamRow(tx, id);
      await recordAudit(tx, { type: 'team.created', adminId, before: null, after: auditedTeam(team) });
      return toTeamView(team);
    });
  } catch (error) {
    if (error instanceof HttpError) throw error;
    refusedByDatabase(error);
  }
}

export async function updateTeam(db: Db, adminId: string, id: string, changes: Partial<TeamInput>): Promise<TeamView> {
  try {
    return await db.$transaction(async (tx) => {
      await lockRowOrNotFound(tx, 'Team', id, 'Team');
      const before = await readTeamRow(tx, id);
      await checkLinks(tx, { ...changes, name: undefined });
      if (changes.name !== undefined) await checkNameFree(tx, changes.name, id);
      await tx.team.update({ where: { id }, data: changes });
      const after = await readTeamRow(tx, id);
      await recordAudit(tx, {
        type: 'team.updated',
        adminId,
        before: auditedTeam(before),
        after: auditedTeam(after),
        details: { changed: Object.keys(changes) },
      });
      return toTeamView(after);
    });
  } catch (error) {
    if (error instanceof HttpError) throw error;
    refusedByDatabase(error);
  }
}

/**
 * Deletes a team nothing live depends on; otherwise 409 `team_in_use` naming what holds it:
 * members (move them first), open conversations and tickets (their routing and visibility go
 * through the team), SLA policies for the team (the foreign key would turn them into policies
 * for every team) and the team's canned responses (they would become visible to no agent).
 * Resolved and closed conversations and tickets lose their team (the foreign key sets it to
 * null); their events keep the team they were recorded with.
 */
export async function deleteTeam(db: Db, adminId: string, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    // Lock first: a member or conversation joining meanwhile waits for this transaction (its
    // foreign key check needs the row) and then fails, instead of slipping past the counts.
    await lockRowOrNotFound(tx, 'Team', id, 'Team');
    const [members, openConversations, openTickets, slaPolicies, cannedResponses] = await Promise.all([
      tx.user.count({ where: { teamId: id } }),
      tx.conversation.count({ where: { teamId: id, status: { in: openConversationStatuses } } }),
      tx.ticket.count({ where: { teamId: id, status: { in: openTicketStatuses } } }),
      tx.slaPolicy.count({ where: { teamId: id } }),
      tx.cannedResponse.count({ where: { teamId: id } }),
    ]);
    refuseWhileInUse('team_in_use', 'The team still has', { members, openConversations, openTickets, slaPolicies, cannedResponses });
    const before = await readTeamRow(tx, id);
    await tx.team.delete({ where: { id } });
    await recordAudit(tx, { type: 'team.deleted', adminId, before: auditedTeam(before), after: null });
  });
}
