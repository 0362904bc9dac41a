// The bot's HTTP actions (issue 20, item 6) as admins define them and the API sends them. The
// auth header's value is write-only: a view says only whether one is set.
import { z } from 'zod';
import { patternProblem } from '../domain/rules/pattern.js';

export const botActionMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type BotActionMethod = (typeof botActionMethods)[number];

/** An input name: what `{{name}}` placeholders say. */
const inputName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'Use letters, digits and _ (starting with a letter), at most 40.');

/** One input the bot collects from the customer before calling. */
export const botActionInput = z.strictObject({
  name: inputName,
  type: z.enum(['string', 'number']),
  /** Found in the customer's message and checked whole (RE2, case-insensitive; domain/rules/pattern.ts). */
  pattern: z
    .string()
    .max(200)
    .refine((pattern) => patternProblem(pattern) === null, { message: 'Not a pattern the bot can use (no lookarounds or backreferences).' })
    .optional(),
  /** What it is, for people and for a model's function calling ("order number"). */
  description: z.string().trim().min(1).max(200),
  example: z.string().trim().max(200).optional(),
  /** What the bot asks, per language; a question built from the description otherwise. */
  question: z.string().trim().min(1).max(300).optional(),
  questionZh: z.string().trim().min(1).max(300).optional(),
});
export type BotActionInput = z.infer<typeof botActionInput>;

/** A part of the response someone may see: a JSON pointer (/a/0/b) or a dotted path (a.0.b, a[0].b). */
export const botActionField = z.strictObject({
  name: inputName,
  path: z.string().trim().min(1).max(200),
  label: z.string().trim().min(1).max(100),
});
export type BotActionField = z.infer<typeof botActionField>;

export interface BotActionView {
  id: string;
  name: string;
  description: string;
  method: BotActionMethod;
  urlTemplate: string;
  bodyTemplate: string | null;
  authHeaderName: string | null;
  /** Whether an auth header value is set (the value itself is never sent). */
  hasAuth: boolean;
  inputs: BotActionInput[];
  responseFields: BotActionField[];
  answerTemplate: string;
  timeoutMs: number;
  questions: string[];
  /** Knowledge articles the action serves: the bot's best article one of them (or a translation) starts the action. */
  articleIds: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A test call's outcome (POST /api/bot-actions/:id/test): what the bot would answer, never the raw response. */
export interface BotActionTestResult {
  ok: boolean;
  /** The HTTP status; null when the service was not reached (refused, timed out). */
  status: number | null;
  latencyMs: number;
  /** The response fields picked, by name (only the configured ones). */
  fields: Record<string, string>;
  /** The answer the bot would give; null when the call failed. */
  answer: string | null;
  /** Why it failed, in words an admin can act on. */
  error: string | null;
}

/** BotActionView as the route registry describes it (contract/api/routes.ts), every field named. */
export const botActionViewSchema = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  method: z.enum(botActionMethods),
  urlTemplate: z.string(),
  bodyTemplate: z.string().nullable(),
  authHeaderName: z.string().nullable(),
  hasAuth: z.boolean(),
  inputs: z.array(botActionInput),
  responseFields: z.array(botActionField),
  answerTemplate: z.string(),
  timeoutMs: z.int(),
  questions: z.array(z.string()),
  articleIds: z.array(z.uuid()),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodType<BotActionView>;

/** BotActionTestResult as the route registry describes it. */
export const botActionTestResultSchema = z.strictObject({
  ok: z.boolean(),
  status: z.int().nullable(),
  latencyMs: z.number(),
  fields: z.record(z.string(), z.string()),
  answer: z.string().nullable(),
  error: z.string().nullable(),
}) satisfies z.ZodType<BotActionTestResult>;
