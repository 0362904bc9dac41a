// Read-only aggregates for the reports: self-service outcomes from the event log and the AI
// layer's cost from its call records. (The overview has its own module: services/report-overview.ts.)
import { selfServiceEvents } from '../../domain/self-service.js';
import type { Db } from '../../infra/db.js';

export interface Period {
  from: Date;
  to: Date;
}

/** How many of each self-service event, and how many conversations began, in the period. */
export async function findSelfServiceCounts(db: Db, period: Period): Promise<{ counts: Record<string, number>; conversations: number }> {
  const occurredAt = { gte: period.from, lt: period.to };
  const [groups, conversations] = await Promise.all([
    db.event.groupBy({ by: ['type'], where: { type: { in: Object.values(selfServiceEvents) }, occurredAt }, _count: { _all: true } }),
    db.conversation.count({ where: { createdAt: occurredAt } }),
  ]);
  return { counts: Object.fromEntries(groups.map((group) => [group.type, group._count._all])), conversations };
}

/** AI calls in the period per provider, model and operation: count, tokens, average latency. */
export async function findAiUsage(db: Db, period: Period) {
  const groups = await db.aiCall.groupBy({
    by: ['provider', 'model', 'operation'],
    where: { createdAt: { gte: period.from, lt: period.to } },
    _count: { _all: true },
    _sum: { promptTokens: true, completionTokens: true },
    _avg: { latencyMs: true },
    orderBy: [{ provider: 'asc' }, { model: 'asc' }, { operation: 'asc' }],
  });
  return groups.map((group) => ({
    provider: group.provider,
    model: group.model,
    operation: group.operation,
    calls: group._count._all,
    promptTokens: group._sum.promptTokens ?? 0,
    completionTokens: group._sum.completionTokens ?? 0,
    averageLatencyMs: Math.round(group._avg.latencyMs ?? 0),
  }));
}

/** The organisation's time zone (reports default to it), or null when none is stored. */
export async function findOrganizationTimeZone(db: Db): Promise<string | null> {
  const organization = await db.organization.findUnique({ where: { id: 1 }, select: { timeZone: true } });
  return organization?.timeZone ?? null;
}
