// An SLA policy as the workflows use it (a plan: targets, warning share, escalation ladder and
// the business calendar its clock counts in). Shared by conversations, tickets and the rule
// action that applies a named policy.
import { parseBusinessCalendar } from '../domain/business-hours.js';
import type { RoutingTier } from '../domain/vocabulary.js';
import type { Db, Tx } from '../infra/db.js';
import type { BusinessHours, SlaPolicy } from '../prisma/generated/client.js';
import type { EscalationStep, SlaPlan } from '../domain/sla-plan.js';

type Hours = Pick<BusinessHours, 'timeZone' | 'weekly' | 'holidays'>;

/** The hours a policy without its own counts in: the team's, else the first team of the tier. */
export async function defaultHours(db: Db | Tx, team: { businessHours: Hours | null } | null, tier: RoutingTier): Promise<Hours | null> {
  if (team) return team.businessHours;
  const tierTeam = await db.team.findFirst({
    where: { tier: tier === 'expert' ? 'expert' : 'junior' },
    include: { businessHours: true },
    orderBy: { name: 'asc' },
  });
  return tierTeam?.businessHours ?? null;
}

export function slaPlanOf(policy: SlaPolicy & { businessHours: Hours | null }, fallback: Hours | null): SlaPlan {
  const hours = policy.businessHours ?? fallback;
  return {
    policyId: policy.id,
    policyName: policy.name,
    firstResponseMinutes: policy.firstResponseMinutes,
    nextResponseMinutes: policy.nextResponseMinutes,
    resolutionMinutes: policy.resolutionMinutes,
    warningPercent: policy.warningPercent,
    escalation: policy.escalation as EscalationStep[],
    calendar: hours ? parseBusinessCalendar({ timeZone: hours.timeZone, weekly: hours.weekly, holidays: hours.holidays }) : null,
  };
}
