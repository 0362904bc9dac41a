// Activities of the what-if job (workflows/what-if.ts): one batch of the run's conversations, in
// (createdAt, id) order after the run's cursor, loaded with their events and replayed against the
// candidate (domain/what-if.ts); the tally, the cursor and the progress are written in one update
// that only applies while the cursor is still the one the batch started from, so a batch retried
// after its commit (a worker that died before Temporal heard) adds nothing twice.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { parseBusinessCalendar, type BusinessCalendar } from '../domain/business-hours.js';
import type { RecordedEvent } from '../domain/rules/replay.js';
import type { PlanFor } from '../domain/rules/sla-replay.js';
import type { SlaPlan } from '../domain/sla-plan.js';
import type { Priority } from '../domain/vocabulary.js';
import {
  emptyTally,
  eventTypesRead,
  tallyBatch,
  whatIfResult,
  type AgentProfile,
  type WhatIfCandidate,
  type WhatIfKind,
  type WhatIfTally,
} from '../domain/what-if.js';
import type { WhatIfBody } from '../contract/requests/what-if.js';
import type { Db } from '../infra/db.js';
import type { BusinessHours, Prisma } from '../prisma/generated/client.js';
import type { WhatIfProgress } from '../workflows/what-if.messages.js';
import { defaultHours, slaPlanOf } from './sla-plans.js';

export interface WhatIfActivities {
  /** Replays the next batch (or, with none left, stores the result); says where the run stands. */
  replayWhatIfBatch(input: { runId: string; batchSize: number }): Promise<WhatIfProgress>;
  /** Marks a run that did not complete (cancelled by the admin, or failed), once. */
  finishWhatIf(input: { runId: string; status: 'cancelled' | 'failed'; error?: string }): Promise<void>;
}

type Hours = Pick<BusinessHours, 'id' | 'timeZone' | 'weekly' | 'holidays'>;
const calendarOf = (hours: Hours | null): BusinessCalendar | null =>
  hours ? parseBusinessCalendar({ timeZone: hours.timeZone, weekly: hours.weekly, holidays: hours.holidays }) : null;

/**
 * The SLA plan of each priority under the candidate: the enabled policy for the priority that
 * names no team or channel (the first by name; else any), the candidate policy in place of the one
 * it edits (or of that priority's when new), and the candidate hours in place of the ones they
 * edit. A policy without hours counts in the first junior team's (defaultHours without a team).
 */
async function slaPlansFor(db: Db, body: Extract<WhatIfBody, { kind: 'sla_policy' | 'business_hours' }>): Promise<PlanFor> {
  const policies = await db.slaPolicy.findMany({ where: { enabled: true }, include: { businessHours: true }, orderBy: { name: 'asc' } });
  const fallback = (await defaultHours(db, null, 'junior')) as Hours | null;
  const plans = new Map<Priority, SlaPlan>();
  const specificity = (policy: (typeof policies)[number]) => (policy.teamId ? 2 : 0) + (policy.channelKind ? 1 : 0);
  const chosen = [...policies].sort((a, b) => specificity(a) - specificity(b) || a.name.localeCompare(b.name));
  for (const policy of chosen) {
    if (plans.has(policy.priority)) continue;
    plans.set(policy.priority, slaPlanOf(policy, policy.businessHours ? null : fallback));
  }
  if (body.kind === 'sla_policy') {
    const { candidate } = body;
    const edited = candidate.policyId ? policies.find((policy) => policy.id === candidate.policyId) : undefined;
    const hours = candidate.businessHoursId ? await db.businessHours.findUnique({ where: { id: candidate.businessHoursId } }) : null;
    if (candidate.businessHoursId && !hours) throw ApplicationFailure.nonRetryable('The business hours of the candidate policy no longer exist.');
    // The policy edited keeps measuring its old priority's conversations only if the candidate keeps it.
    if (edited && edited.priority !== candidate.priority && plans.get(edited.priority)?.policyId === edited.id) plans.delete(edited.priority);
    plans.set(candidate.priority, {
      policyId: candidate.policyId ?? 'candidate',
      policyName: edited?.name ?? 'candidate',
      firstResponseMinutes: candidate.firstResponseMinutes,
      nextResponseMinutes: candidate.nextResponseMinutes,
      resolutionMinutes: candidate.resolutionMinutes,
      warningPercent: candidate.warningPercent,
      escalation: [],
      calendar: calendarOf((hours as Hours | null) ?? fallback),
    });
  } else {
    const { candidate } = body;
    const calendar = parseBusinessCalendar({ timeZone: candidate.timeZone, weekly: candidate.weekly, holidays: candidate.holidays });
    for (const policy of chosen) {
      const plan = plans.get(policy.priority);
      if (plan?.policyId !== policy.id) continue;
      const hoursId = policy.businessHours?.id ?? fallback?.id ?? null;
      if (candidate.businessHoursId === null || hoursId === candidate.businessHoursId) plans.set(policy.priority, { ...plan, calendar });
    }
  }
  return (priority) => plans.get(priority) ?? null;
}

async function candidateOf(db: Db, body: WhatIfBody): Promise<WhatIfCandidate> {
  switch (body.kind) {
    case 'sla_policy':
    case 'business_hours':
      return { kind: body.kind, planFor: await slaPlansFor(db, body) };
    case 'routing':
      return { kind: 'routing', ...body.candidate };
    case 'routing_profile':
      return { kind: 'routing_profile', profiles: await profilesWith(db, body.candidate.changes), changed: Object.keys(body.candidate.changes) };
    case 'bot_threshold':
      return { kind: 'bot_threshold', threshold: body.candidate.threshold };
  }
}

/** Every account's routing profile as saved (deactivated ones too: they may have taken conversations then), with the candidate's changes. */
async function profilesWith(db: Db, changes: Extract<WhatIfBody, { kind: 'routing_profile' }>['candidate']['changes']) {
  const users = await db.user.findMany({ select: { id: true, tier: true, teamId: true, skills: true, capacity: true } });
  return Object.fromEntries(users.map(({ id, ...profile }): [string, AgentProfile] => [id, { ...profile, ...changes[id] }]));
}

export function createWhatIfActivities({ db }: { db: Db }): WhatIfActivities {
  return {
    async replayWhatIfBatch({ runId, batchSize }) {
      const run = await db.whatIfRun.findUniqueOrThrow({ where: { id: runId } });
      if (run.status !== 'running') return { processed: run.processed, total: run.total, done: true };
      const period = { gte: run.periodStart, lt: run.periodEnd };
      const total = run.tally === null ? await db.conversation.count({ where: { createdAt: period } }) : run.total;
      const tally = (run.tally as WhatIfTally | null) ?? emptyTally(run.kind as WhatIfKind);
      // The (createdAt, id) index: the bound `gte: cursor` starts the index scan at the cursor, so a
      // batch reads its page's entries, not every one the earlier batches read.
      const after =
        run.cursorCreatedAt && run.cursorId
          ? {
              createdAt: { gte: run.cursorCreatedAt, lt: run.periodEnd },
              OR: [{ createdAt: { gt: run.cursorCreatedAt } }, { createdAt: run.cursorCreatedAt, id: { gt: run.cursorId } }],
            }
          : { createdAt: period };
      const conversations = await db.conversation.findMany({
        where: after,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: batchSize,
        select: { id: true, createdAt: true },
      });
      Context.current().heartbeat();
      const same = { id: runId, status: 'running' as const, cursorId: run.cursorId, cursorCreatedAt: run.cursorCreatedAt };
      if (conversations.length === 0) {
        const result = whatIfResult(tally);
        await db.whatIfRun.updateMany({
          where: same,
          data: {
            total,
            tally: tally as unknown as Prisma.InputJsonValue,
            result: result as unknown as Prisma.InputJsonValue,
            status: 'completed',
            finishedAt: new Date(),
          },
        });
        return { processed: run.processed, total, done: true };
      }
      const ids = conversations.map((conversation) => conversation.id);
      // Only the types the kind reads (an SLA run needs no views or tags, a bot run two types).
      const types = eventTypesRead(run.kind as WhatIfKind);
      const rows = await db.event.findMany({
        where: { conversationId: { in: ids }, occurredAt: { lt: run.periodEnd }, ...(types && { type: { in: [...types] } }) },
        orderBy: { id: 'asc' },
        select: { id: true, type: true, occurredAt: true, payload: true, conversationId: true },
      });
      const byConversation = new Map<string, RecordedEvent[]>(ids.map((id) => [id, []]));
      for (const row of rows) {
        byConversation.get(row.conversationId!)?.push({
          id: String(row.id),
          type: row.type,
          occurredAt: row.occurredAt.toISOString(),
          payload: (row.payload ?? {}) as Record<string, unknown>,
        });
      }
      const candidate = await candidateOf(db, { kind: run.kind, days: run.days, candidate: run.candidate } as unknown as WhatIfBody);
      tallyBatch(
        tally,
        ids.map((id) => ({ id, events: byConversation.get(id)! })),
        candidate,
        run.periodEnd,
      );
      Context.current().heartbeat();
      const last = conversations[conversations.length - 1]!;
      const processed = run.processed + conversations.length;
      await db.whatIfRun.updateMany({
        where: same,
        data: {
          total: Math.max(total, processed),
          processed,
          cursorId: last.id,
          cursorCreatedAt: last.createdAt,
          tally: tally as unknown as Prisma.InputJsonValue,
        },
      });
      return { processed, total: Math.max(total, processed), done: false };
    },

    async finishWhatIf({ runId, status, error }) {
      await db.whatIfRun.updateMany({ where: { id: runId, status: 'running' }, data: { status, error: error ?? null, finishedAt: new Date() } });
    },
  };
}
