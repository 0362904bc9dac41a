// What-if on past traffic (issue 22 part 2): POST /api/what-if starts a job that replays the last
// `days` days of recorded conversations against a candidate setting (domain/what-if.ts). The
// candidate is the form the admin is editing, unsaved: an SLA policy's targets, business hours,
// routing seats, agents' routing profiles (tier, team, skills, seats), or the bot's confidence
// threshold.
import { z } from 'zod';
import { priorities } from '../../domain/vocabulary.js';
import { holidays, optionalId, targetMinutes, warningPercent, weekly } from './admin-fields.js';
import { agentProfileChanges } from './users.js';

/** The most days a job replays. */
export const whatIfMaxDays = 90;

const days = z.int().min(1).max(whatIfMaxDays).default(30);

/**
 * Business hours as the form holds them. The zone is checked by the caller's `timeZone` schema
 * (the API's knows luxon's zones, see business-hours.ts); here any non-empty name.
 */
export function createWhatIfBody(timeZone: z.ZodType<string, string> = z.string().min(1).max(100)) {
  return z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('sla_policy'),
      days,
      candidate: z.strictObject({
        /** The policy being edited (null: a new one). */
        policyId: optionalId.default(null),
        priority: z.enum(priorities),
        businessHoursId: optionalId.default(null),
        firstResponseMinutes: targetMinutes,
        nextResponseMinutes: targetMinutes,
        resolutionMinutes: targetMinutes,
        warningPercent: warningPercent.default(80),
      }),
    }),
    z.strictObject({
      kind: z.literal('business_hours'),
      days,
      candidate: z.strictObject({
        /** The business hours being edited (null: try them as every policy's hours). */
        businessHoursId: optionalId.default(null),
        timeZone,
        weekly,
        holidays: holidays.default([]),
      }),
    }),
    z.strictObject({
      kind: z.literal('routing'),
      days,
      candidate: z.strictObject({
        /** Conversations each agent may hold at once, unless named in `capacities`. */
        defaultCapacity: z.int().min(0).max(100),
        capacities: z.record(z.uuid(), z.int().min(0).max(100)).default({}),
      }),
    }),
    z.strictObject({
      kind: z.literal('routing_profile'),
      days,
      candidate: z.strictObject({
        /** Agents' profile changes by agent id; everyone else routes with their profile as saved. */
        changes: z
          .record(z.uuid(), agentProfileChanges)
          .refine((changes) => Object.keys(changes).length > 0 && Object.keys(changes).length <= 100, { message: 'Change 1 to 100 agents.' }),
      }),
    }),
    z.strictObject({
      kind: z.literal('bot_threshold'),
      days,
      candidate: z.strictObject({ threshold: z.number().min(0).max(1) }),
    }),
  ]);
}

export type WhatIfBody = z.output<ReturnType<typeof createWhatIfBody>>;
