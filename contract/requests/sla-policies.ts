// SLA policies as admins write them: targets per priority (and optionally channel or team), the
// warning share, the escalation ladder, the calendar.
import { z } from 'zod';
import { channelKinds, priorities } from '../../domain/vocabulary.js';
import { escalation, name, optionalId, targetMinutes, warningPercent } from './admin-fields.js';

const fields = {
  name,
  priority: z.enum(priorities),
  channelKind: z.enum(channelKinds).nullable(),
  teamId: optionalId,
  businessHoursId: optionalId,
  firstResponseMinutes: targetMinutes,
  nextResponseMinutes: targetMinutes,
  resolutionMinutes: targetMinutes,
  warningPercent,
  escalation,
  enabled: z.boolean(),
};

/** POST /api/sla-policies */
export const createSlaPolicyBody = z.strictObject({
  ...fields,
  channelKind: fields.channelKind.default(null),
  teamId: fields.teamId.default(null),
  businessHoursId: fields.businessHoursId.default(null),
  warningPercent: warningPercent.default(80),
  escalation: escalation.default([]),
  enabled: fields.enabled.default(true),
});
export type CreateSlaPolicyInput = z.input<typeof createSlaPolicyBody>;

/** PATCH /api/sla-policies/:id */
export const updateSlaPolicyBody = z
  .strictObject({
    name: name.optional(),
    priority: fields.priority.optional(),
    channelKind: fields.channelKind.optional(),
    teamId: optionalId,
    businessHoursId: optionalId,
    firstResponseMinutes: targetMinutes.optional(),
    nextResponseMinutes: targetMinutes.optional(),
    resolutionMinutes: targetMinutes.optional(),
    warningPercent: warningPercent.optional(),
    escalation: escalation.optional(),
    enabled: fields.enabled.optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), { message: 'Change at least one field.' });
