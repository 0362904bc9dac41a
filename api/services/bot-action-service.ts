// The bot's HTTP actions (issue 20, item 6): admins create, change, delete and test them. A URL is
// checked by the outbound guard when saved (a private target is 400 unless OUTBOUND_ALLOWED_HOSTS
// allows it) and again on every call; the auth header's value is sealed at once and never
// returned. A test call answers what the bot would say and the picked fields, never the raw body.
// Each change is audited (bot_action.created/updated/deleted, the views before and after) in its
// own transaction.
import { randomUUID } from 'node:crypto';
import type { BotActionTestResult, BotActionView } from '../../contract/bot-actions.js';
import type { CreateBotActionInput, UpdateBotActionInput } from '../../contract/requests/bot-actions.js';
import { actionTemplateProblem, fillUrl, inputValid, type ActionFieldSpec, type ActionInputSpec } from '../../domain/bot-actions.js';
import { callBotAction, sealActionAuth, toBotActionView } from '../../infra/bot-actions/bot-actions.js';
import type { Db } from '../../infra/db.js';
import { outboundUrlProblem, type OutboundPolicy } from '../../infra/outbound/outbound-guard.js';
import type { SecretBox } from '../../infra/secrets/secret-box.js';
import { badRequest, conflict, notFound } from '../http-error.js';
import { recordAudit } from './audit-service.js';
import { isUniqueViolation } from './prisma-errors.js';

export interface BotActionServiceDeps {
  db: Db;
  box: SecretBox;
  outbound: OutboundPolicy;
}

interface Definition {
  method: string;
  urlTemplate: string;
  bodyTemplate: string | null;
  authHeaderName: string | null;
  hasAuth: boolean;
  inputs: ActionInputSpec[];
  responseFields: ActionFieldSpec[];
  answerTemplate: string;
}

/** 400 when the definition cannot work: its templates, its URL (filled with the examples) by the outbound guard, an auth value without a header. */
function checkDefinition(definition: Definition, policy: OutboundPolicy): void {
  const refuse = (path: string, message: string) => badRequest('invalid_input', 'The action cannot be saved as it is.', [{ path, message }]);
  const problem = actionTemplateProblem(definition);
  if (problem) throw refuse('urlTemplate', problem);
  const examples = Object.fromEntries(definition.inputs.map((input) => [input.name, input.example ?? '1']));
  const urlProblem = outboundUrlProblem(fillUrl(definition.urlTemplate, examples), policy);
  if (urlProblem) throw refuse('urlTemplate', urlProblem);
  if (definition.bodyTemplate && definition.method === 'GET') throw refuse('bodyTemplate', 'A GET request has no body.');
  if (definition.hasAuth && !definition.authHeaderName) throw refuse('authHeaderName', 'Name the header the value goes in.');
  const badExample = definition.inputs.find((input) => input.example !== undefined && !inputValid(input, input.example));
  if (badExample) throw refuse('inputs', `The example of ${badExample.name} does not fit its type or pattern.`);
}

const nameTaken = () => conflict('name_taken', 'Another action has that name.');

/** 400 when an article the action is to serve does not exist (the ids come back without duplicates). */
async function checkedArticleIds(db: Db, articleIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(articleIds)];
  const found = await db.knowledgeArticle.findMany({ where: { id: { in: unique } }, select: { id: true } });
  const missing = unique.findIndex((id) => !found.some((row) => row.id === id));
  if (missing >= 0) throw badRequest('invalid_input', 'The action cannot be saved as it is.', [{ path: `articleIds.${missing}`, message: 'No such article.' }]);
  return unique;
}

export async function listBotActions(db: Db): Promise<BotActionView[]> {
  return (await db.botAction.findMany({ orderBy: [{ name: 'asc' }] })).map(toBotActionView);
}

export async function getBotAction(db: Db, id: string): Promise<BotActionView> {
  const row = await db.botAction.findUnique({ where: { id } });
  if (!row) throw notFound('Action');
  return toBotActionView(row);
}

export async function createBotAction(deps: BotActionServiceDeps, adminId: string, input: CreateBotActionInput): Promise<BotActionView> {
  const definition: Definition = {
    method: input.method,
    urlTemplate: input.urlTemplate,
    bodyTemplate: input.bodyTemplate ?? null,
    authHeaderName: input.authHeaderName ?? null,
    hasAuth: Boolean(input.authHeaderValue),
    inputs: input.inputs,
    responseFields: input.responseFields,
    answerTemplate: input.answerTemplate ?? '',
  };
  checkDefinition(definition, deps.outbound);
  const articleIds = await checkedArticleIds(deps.db, input.articleIds ?? []);
  const id = randomUUID();
  try {
    return await deps.db.$transaction(async (tx) => {
      const row = await tx.botAction.create({
        data: {
          id,
          name: input.name,
          description: input.description ?? '',
          method: input.method,
          urlTemplate: input.urlTemplate,
          bodyTemplate: definition.bodyTemplate,
          authHeaderName: definition.authHeaderName,
          sealedAuth: input.authHeaderValue ? sealActionAuth(deps.box, id, input.authHeaderValue) : null,
          inputs: input.inputs,
          responseFields: input.responseFields,
          answerTemplate: definition.answerTemplate,
          ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
          questions: input.questions,
          articleIds,
          enabled: input.enabled ?? true,
        },
      });
      const view = toBotActionView(row);
      await recordAudit(tx, { type: 'bot_action.created', adminId, before: null, after: view });
      return view;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

export async function updateBotAction(deps: BotActionServiceDeps, adminId: string, id: string, changes: UpdateBotActionInput): Promise<BotActionView> {
  const before = await deps.db.botAction.findUnique({ where: { id } });
  if (!before) throw notFound('Action');
  const current = toBotActionView(before);
  checkDefinition(
    {
      method: changes.method ?? current.method,
      urlTemplate: changes.urlTemplate ?? current.urlTemplate,
      bodyTemplate: changes.bodyTemplate === undefined ? current.bodyTemplate : changes.bodyTemplate,
      authHeaderName: changes.authHeaderName === undefined ? current.authHeaderName : changes.authHeaderName,
      hasAuth: changes.authHeaderValue === undefined ? current.hasAuth : changes.authHeaderValue !== null,
      inputs: changes.inputs ?? current.inputs,
      responseFields: changes.responseFields ?? current.responseFields,
      answerTemplate: changes.answerTemplate ?? current.answerTemplate,
    },
    deps.outbound,
  );
  const { authHeaderValue, articleIds, ...rest } = changes;
  const checkedIds = articleIds === undefined ? undefined : await checkedArticleIds(deps.db, articleIds);
  try {
    return await deps.db.$transaction(async (tx) => {
      const row = await tx.botAction.update({
        where: { id },
        data: {
          ...rest,
          ...(checkedIds === undefined ? {} : { articleIds: checkedIds }),
          ...(authHeaderValue === undefined ? {} : { sealedAuth: authHeaderValue === null ? null : sealActionAuth(deps.box, id, authHeaderValue) }),
        },
      });
      const after = toBotActionView(row);
      await recordAudit(tx, { type: 'bot_action.updated', adminId, before: current, after, details: { changed: Object.keys(changes) } });
      return after;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

export async function deleteBotAction(db: Db, adminId: string, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await tx.botAction.findUnique({ where: { id } });
    const { count } = await tx.botAction.deleteMany({ where: { id } });
    if (!row || count === 0) throw notFound('Action');
    await recordAudit(tx, { type: 'bot_action.deleted', adminId, before: toBotActionView(row), after: null });
  });
}

/** Calls the action with sample inputs (each checked like a customer's): what the bot would answer. */
export async function testBotAction(deps: BotActionServiceDeps, id: string, inputs: Record<string, string>): Promise<BotActionTestResult> {
  const row = await deps.db.botAction.findUnique({ where: { id } });
  if (!row) throw notFound('Action');
  const specs = row.inputs as unknown as ActionInputSpec[];
  const values: Record<string, string> = {};
  for (const spec of specs) {
    const value = inputs[spec.name] ?? spec.example;
    if (value === undefined || !inputValid(spec, value))
      throw badRequest('invalid_input', 'The sample inputs do not fit.', [{ path: `inputs.${spec.name}`, message: `Give a valid ${spec.description}.` }]);
    values[spec.name] = value;
  }
  const { transient: _transient, ...result } = await callBotAction(row, values, deps);
  return result;
}
