// The reports' JSON answers (each also exists as CSV, described by its media type in routes.ts).
import { z } from 'zod';
import { reportBuckets, type OverviewReport } from '../../../domain/report-overview.js';
import type { AgentsReport, BusiestHoursReport, ResolutionReport } from '../../../domain/report-insights.js';
import type { LiveOperations } from '../../../domain/live-operations.js';
import type { AiCostReport } from '../../../domain/report-ai-cost.js';
import { presences } from '../../../domain/vocabulary.js';
import type { CallReport } from '../../calls.js';
import { id, named, tied, timestamp } from './support.js';

/** Rates are fractions (0.25 is a quarter), null when nothing was measured. */
const rate = z.number().nullable();
const period = { from: timestamp, to: timestamp };
const zonedPeriod = { ...period, timeZone: z.string() };

export const selfServiceReportSchema = named(
  'SelfServiceReport',
  z.strictObject({
    ...period,
    conversations: z.int(),
    answered: z.int(),
    declined: z.int(),
    helpful: z.int(),
    notHelpful: z.int(),
    handedOff: z.int(),
    assumedResolved: z.int(),
    deflectionRate: z.number(),
    answerRate: z.number(),
    handOffRate: z.number(),
    helpfulRate: rate,
  }),
);

export const aiUsageReportSchema = named(
  'AiUsageReport',
  z.strictObject({
    ...period,
    calls: z.array(
      z.strictObject({
        provider: z.string(),
        model: z.string(),
        operation: z.string(),
        calls: z.int(),
        promptTokens: z.int(),
        completionTokens: z.int(),
        averageLatencyMs: z.number(),
      }),
    ),
  }),
);

const durations = z.strictObject({ count: z.int(), median: z.number().nullable(), p90: z.number().nullable() });
const overviewFigures = {
  created: z.int(),
  resolved: z.int(),
  firstResponse: durations,
  resolution: durations,
  sla: z.strictObject({ measured: z.int(), breached: z.int(), complianceRate: rate }),
  selfService: z.strictObject({ answered: z.int(), resolved: z.int(), deflectionRate: rate }),
  csat: z.strictObject({ count: z.int(), average: z.number().nullable(), satisfied: z.int(), satisfiedRate: rate }),
};

export const overviewReportSchema = tied<OverviewReport>()(
  'OverviewReport',
  z.strictObject({
    ...zonedPeriod,
    bucket: z.enum(reportBuckets),
    buckets: z.array(z.strictObject({ ...overviewFigures, start: timestamp, date: z.string() })),
    total: z.strictObject(overviewFigures),
  }),
);

export const resolutionReportSchema = tied<ResolutionReport>()(
  'ResolutionReport',
  z.strictObject({
    ...zonedPeriod,
    firstContactRate: rate,
    aiResolutionRate: rate,
    aiResolutionRateOfAnswered: rate,
    reopenDays: z.int(),
    resolved: z.int(),
    personHandled: z.int(),
    firstContact: z.int(),
    botAnswered: z.int(),
    aiResolved: z.int(),
  }),
);

export const agentsReportSchema = tied<AgentsReport>()(
  'AgentsReport',
  z.strictObject({
    ...zonedPeriod,
    agents: z.array(
      z.strictObject({
        userId: id,
        name: z.string(),
        handled: z.int(),
        resolved: z.int(),
        resolutionMedian: z.number().nullable(),
        firstResponses: z.int(),
        firstResponseMedian: z.number().nullable(),
        csatCount: z.int(),
        csatAverage: z.number().nullable(),
        csatSatisfiedRate: rate,
      }),
    ),
  }),
);

export const busiestHoursReportSchema = tied<BusiestHoursReport>()(
  'BusiestHoursReport',
  z.strictObject({ ...zonedPeriod, cells: z.array(z.array(z.int())), total: z.int(), max: z.int() }),
);

const liveConversation = z.strictObject({ id, number: z.int(), since: timestamp.nullable() });

export const liveOperationsSchema = tied<LiveOperations>()(
  'LiveOperations',
  z.strictObject({
    at: timestamp,
    scope: z.union([
      z.strictObject({ kind: z.literal('all') }),
      z.strictObject({ kind: z.literal('teams'), teams: z.array(z.strictObject({ id, name: z.string() })) }),
    ]),
    waiting: z.strictObject({ count: z.int(), longestSince: timestamp.nullable(), oldest: z.array(liveConversation) }),
    agents: z.array(z.strictObject({ id, name: z.string(), presence: z.enum(presences), load: z.int(), capacity: z.int() })),
    sla: z.strictObject({ atRisk: z.int(), breached: z.int(), atRiskConversations: z.array(liveConversation) }),
    botToday: z.strictObject({
      since: timestamp,
      timeZone: z.string(),
      answered: z.int(),
      resolved: z.int(),
      handedOff: z.int(),
      deflectionRate: rate,
    }),
  }),
);

const callFigures = {
  offered: z.int(),
  answered: z.int(),
  missed: z.int(),
  averageDurationSeconds: z.number().nullable(),
  averageWaitSeconds: z.number().nullable(),
};

export const callReportSchema = tied<CallReport>()(
  'CallReport',
  z.strictObject({
    ...zonedPeriod,
    days: z.array(z.strictObject({ ...callFigures, date: z.string() })),
    agents: z.array(z.strictObject({ ...callFigures, agentId: id, name: z.string() })),
    total: z.strictObject(callFigures),
  }),
);

const aiCostFigures = { calls: z.int(), promptTokens: z.int(), completionTokens: z.int(), cost: z.number(), unpricedCalls: z.int() };
const aiCostPurpose = { operation: z.string(), provider: z.string(), model: z.string(), averageLatencyMs: z.int() };

export const aiCostReportSchema = tied<AiCostReport>()(
  'AiCostReport',
  z.strictObject({
    ...zonedPeriod,
    days: z.array(z.strictObject({ date: z.string(), ...aiCostFigures })),
    purposes: z.array(z.strictObject({ ...aiCostPurpose, ...aiCostFigures })),
    rows: z.array(z.strictObject({ date: z.string(), ...aiCostPurpose, ...aiCostFigures })),
    total: z.strictObject(aiCostFigures),
  }),
);
