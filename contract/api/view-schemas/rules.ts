// Automation rules (docs/RULES.md): a rule as stored, its versions, its executions and a dry run.
// Trigger, conditions and actions are described by the schemas the rule is written with.
import { z } from 'zod';
import { actionSchema, conditionSchema, ruleScopes, triggerSchema, type RunnableAction, type TriggerKind } from '../../../domain/rules/rule-schema.js';
import type { DryRunResultView, RuleExecutionView, RuleVersionView, RuleView } from '../../views.js';
import { id, tied, timestamp } from './support.js';

const definition = {
  name: z.string(),
  enabled: z.boolean(),
  scope: z.enum(ruleScopes),
  trigger: triggerSchema,
  conditions: conditionSchema,
  actions: z.array(actionSchema),
};

export const ruleViewSchema = tied<RuleView>()(
  'Rule',
  z.strictObject({ ...definition, id, position: z.int(), version: z.int(), createdAt: timestamp, updatedAt: timestamp }),
);

export const ruleVersionViewSchema = tied<RuleVersionView>()(
  'RuleVersion',
  z.strictObject({ ...definition, version: z.int(), editorId: id.nullable(), createdAt: timestamp }),
);

/** GET /api/rules/export: every rule as POST /api/rules/import takes it back. */
export const ruleExportSchema = z.array(z.strictObject(definition));

export const ruleExecutionViewSchema = tied<RuleExecutionView>()(
  'RuleExecution',
  z.strictObject({
    id,
    ruleId: id,
    version: z.int(),
    trigger: z.string(),
    conversationId: id.nullable(),
    conversationNumber: z.int().nullable(),
    ticketId: id.nullable(),
    ticketNumber: z.int().nullable(),
    matched: z.boolean(),
    actions: z.array(z.strictObject({ type: z.string(), status: z.enum(['done', 'failed', 'skipped', 'pending']), note: z.string().optional() })),
    depth: z.int(),
    createdAt: timestamp,
  }),
);

/** Every action but `stop` (control flow, never run): the document lists all of actionSchema's. */
const runnableActionSchema = actionSchema as unknown as z.ZodType<RunnableAction>;

export const dryRunResultSchema = tied<DryRunResultView>()(
  'DryRunResult',
  z.strictObject({
    from: timestamp,
    to: timestamp,
    scanned: z.strictObject({ conversations: z.int(), tickets: z.int(), events: z.int() }),
    matched: z.strictObject({ conversations: z.int(), tickets: z.int(), matches: z.int() }),
    truncated: z.boolean(),
    results: z.array(
      z.strictObject({
        subject: z.enum(['conversation', 'ticket']),
        id,
        number: z.int(),
        matches: z.array(
          z.strictObject({
            eventId: z.string(),
            eventType: z.string(),
            trigger: z.enum(triggerSchema.options.map((option) => option.shape.on.value) as [TriggerKind, ...TriggerKind[]]),
            at: timestamp,
            actions: z.array(runnableActionSchema),
          }),
        ),
      }),
    ),
  }),
);
