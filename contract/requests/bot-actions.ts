// The bot's HTTP actions as admins create and change them (issue 20, item 6; contract/bot-actions.ts).
import { z } from 'zod';
import { botActionField, botActionInput, botActionMethods } from '../bot-actions.js';

/** A header name as HTTP allows it (token characters). */
const headerName = z
  .string()
  .trim()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'Not a header name.');

const fields = {
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(1000),
  method: z.enum(botActionMethods),
  urlTemplate: z.string().trim().min(1).max(2000),
  bodyTemplate: z.string().trim().min(1).max(10_000).nullable(),
  authHeaderName: headerName.nullable(),
  /** Write-only: the header's value, sealed when stored; null removes it. */
  authHeaderValue: z.string().min(1).max(2000).nullable(),
  inputs: z.array(botActionInput).max(10),
  responseFields: z.array(botActionField).max(20),
  answerTemplate: z.string().trim().max(2000),
  timeoutMs: z.int().min(500).max(30_000),
  /** Example questions of the intent: a customer's message close to one starts the action. */
  questions: z.array(z.string().trim().min(1).max(300)).max(50),
  /** Knowledge articles the action serves: when the bot's best article is one (or its translation), it runs the action instead. */
  articleIds: z.array(z.uuid()).max(50),
  enabled: z.boolean(),
};

const definition = z.strictObject(fields);

/** POST /api/bot-actions */
export const createBotActionBody = definition.partial({
  description: true,
  bodyTemplate: true,
  authHeaderName: true,
  authHeaderValue: true,
  answerTemplate: true,
  timeoutMs: true,
  articleIds: true,
  enabled: true,
});
export type CreateBotActionInput = z.infer<typeof createBotActionBody>;

/** PATCH /api/bot-actions/:id — only what is sent changes; the auth value stays unless sent. */
export const updateBotActionBody = definition.partial();
export type UpdateBotActionInput = z.infer<typeof updateBotActionBody>;

/** POST /api/bot-actions/:id/test — sample inputs by name. */
export const testBotActionBody = z.strictObject({
  inputs: z.record(z.string().max(100), z.string().max(200)).default({}),
});
