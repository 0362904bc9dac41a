// Automation rules (docs/RULES.md): a definition is domain/rules/rule-schema.ts's
// ruleDefinitionSchema (POST /api/rules takes one as its body); these are the other bodies.
import { z } from 'zod';
import { ruleDefinitionSchema, ruleFields } from '../../domain/rules/rule-schema.js';

/** PATCH /api/rules/:id: any subset of the fields; the merged rule is checked again as a whole by the server. */
export const rulePatchBody = z
  .strictObject({
    name: ruleFields.name.optional(),
    enabled: z.boolean().optional(),
    scope: ruleFields.scope.optional(),
    trigger: ruleFields.trigger.optional(),
    conditions: ruleFields.conditions.optional(),
    actions: ruleFields.actions.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), { message: 'Change at least one field.' });

/** POST /api/rules/reorder: every rule id once, in the new order. */
export const reorderRulesBody = z.strictObject({
  ids: z
    .array(z.uuid())
    .max(10_000)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'must not repeat an id' }),
});

/** POST /api/rules/import: imported rules stay off unless a definition says `enabled: true` (the schema's default). */
export const importRulesBody = z.strictObject({ rules: z.array(ruleDefinitionSchema).min(1).max(200) });

/** POST /api/rules/dry-run */
export const dryRunBody = z.strictObject({ rule: ruleDefinitionSchema, days: z.int().min(1).max(90) });

/** GET /api/rules/:id/executions */
export const ruleExecutionsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });
