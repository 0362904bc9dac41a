// The bot's HTTP actions in a conversation (issue 20, item 6). A customer's first message close to
// an action's example questions starts it (startBotAction, called by the bot's answer in
// ai-activities.ts): the inputs found in the message are kept, the first missing one is asked for
// in the customer's language. Each later message fills the input asked for (fillBotAction), and
// once all are there the workflow calls the action (callBotAction, its own activity with a timeout
// and retries): the answer comes from the picked response fields through the template. The call
// and its outcome (status, latency, the picked fields, never the response or the secret) are
// events agents see in the journey; a failed call leaves an apology and the workflow hands off.
//
// With a model (runs with the workflow's `bot-action-tools` patch pass `tools`), function calling
// drives it instead: the enabled actions are the model's tools; it calls one, asks for a missing
// input itself, or neither. Its arguments are checked like a customer's message (validateToolArguments,
// RE2 patterns) before anything is called; whatever does not check out — no choice, an unknown
// tool, a refused argument, a model error — falls back to slot filling, so a value the checks did
// not pass is never sent. After the call, the picked fields (only they) go back to the model for
// the answer, which is verified against them; else the template answers.
import { Context, log } from '@temporalio/activity';
import {
  actionCallAttempts,
  actionFailedApology,
  actionIdOfTool,
  actionTool,
  actionToolName,
  extractInput,
  inputQuestion,
  inputValid,
  validateToolArguments,
  type ActionInputSpec,
  type ActionLanguage,
} from '../domain/bot-actions.js';
import { detectLanguage } from '../domain/classification.js';
import { asksForPerson } from '../domain/person-request.js';
import { callBotAction as callAction, matchBotAction } from '../infra/bot-actions/bot-actions.js';
import type { AiApi, AiUsage, TranscriptMessage } from '../infra/ai/ai-api.js';
import { recordedAiCall } from '../infra/ai/record-ai-call.js';
import type { Db, Tx } from '../infra/db.js';
import { outboundPolicyOf } from '../infra/outbound/outbound-guard.js';
import type { SecretBox } from '../infra/secrets/secret-box.js';
import { customerLanguage, inCustomerLanguage, type CustomerLanguage } from '../infra/customer-language.js';
import { addSystemMessage, changeConversation } from './conversation-writes.js';
import { alreadyRecorded, operationId } from './operations.js';

/** An action waiting for the customer: the values given so far and the input asked for. */
export interface PendingBotAction {
  actionId: string;
  values: Record<string, string>;
  awaiting: string;
  /** Answers to the current question that did not fit; one more and a person takes over. */
  misses: number;
}

/** What a step of the action decided. */
export type BotActionStep =
  | { kind: 'asked'; pending: PendingBotAction }
  /** `byModel`: the model's tool call chose the action and its values (checked). */
  | { kind: 'ready'; actionId: string; values: Record<string, string>; byModel?: boolean }
  /** The customer asked for a person, or did not give a valid value twice, or the action is gone. */
  | { kind: 'gave_up' };

export interface BotActionActivities {
  /** The customer answered the question of a pending action: the next question, or ready to call. Safe to retry. */
  fillBotAction(input: { conversationId: string; pending: PendingBotAction; tools?: boolean }): Promise<BotActionStep>;
  /**
   * Calls the action and answers the customer from its response; a failed call (after the retries
   * the activity's options allow, actionCallAttempts) leaves an apology and returns ok false for the
   * workflow to hand off. Throws, to be retried, on a timeout, a network error or a 5xx/429.
   */
  callBotAction(input: {
    conversationId: string;
    actionId: string;
    values: Record<string, string>;
    tools?: boolean;
    byModel?: boolean;
  }): Promise<{ ok: boolean }>;
}

export interface BotActionDeps {
  db: Db;
  /** Opens the auth header's value (infra/bot-actions/bot-actions.ts). */
  webhookSecrets: SecretBox;
  outboundAllowedHosts?: readonly string[];
  /** The AI layer: with a model (chooseAction, actionReply, verify), function calling drives the actions. */
  ai?: AiApi;
}

const languageOf = (text: string): ActionLanguage => (detectLanguage(text) === 'zh-CN' ? 'zh-CN' : 'en');

/** The conversation's language for the bot: its first customer message's, in its Chinese script (infra/customer-language.ts). */
async function conversationLanguage(db: Db | Tx, conversationId: string): Promise<CustomerLanguage> {
  const { customer, messages } = await db.conversation.findUniqueOrThrow({
    where: { id: conversationId },
    select: {
      customer: { select: { locale: true } },
      messages: { where: { authorKind: 'customer' }, orderBy: { createdAt: 'asc' }, take: 1, select: { body: true } },
    },
  });
  return customerLanguage(messages[0]?.body ?? '', customer.locale);
}

/** What choosing and starting an action reads of its row. */
const actionColumns = { id: true, name: true, description: true, questions: true, inputs: true } as const;

/** The first input without a value, or null when all have one. */
const missingInput = (inputs: readonly ActionInputSpec[], values: Readonly<Record<string, string>>) =>
  inputs.find((input) => values[input.name] === undefined) ?? null;

/**
 * Asks the customer for an input (a public bot message, the conversation with the bot waiting on
 * the customer) and records it with the action now pending; once per activity call (`operation`).
 * The event keeps `pending` so a retry of the call that asked hands the workflow the same action
 * (pendingAskedBy).
 */
async function ask(
  db: Db,
  conversationId: string,
  action: { id: string; name: string },
  input: ActionInputSpec,
  language: CustomerLanguage,
  pending: PendingBotAction,
  options: { again?: boolean; operation: string; question?: string; articleId?: string },
): Promise<{ kind: 'asked'; pending: PendingBotAction }> {
  await db.$transaction(async (tx) => {
    if (await alreadyRecorded(tx, { conversationId }, options.operation)) return;
    await addSystemMessage(tx, conversationId, {
      authorKind: 'bot',
      body: options.question ?? inCustomerLanguage(language, (written) => inputQuestion(input, written, options)),
      private: false,
    });
    await changeConversation(
      tx,
      conversationId,
      { status: 'bot', waitingOn: 'customer' },
      {
        type: 'bot.action_asked',
        actorKind: 'bot',
        actorId: null,
        internal: true,
        payload: {
          actionId: action.id,
          action: action.name,
          input: input.name,
          again: options.again === true,
          operation: options.operation,
          pending,
          ...(options.question ? { by: 'model' } : {}),
          // Started because the bot's best article is one the action serves.
          ...(options.articleId ? { articleId: options.articleId } : {}),
        },
      },
    );
  });
  return { kind: 'asked', pending };
}

/** The action a call (`operation`) asked an input for, as it left it pending; null when that call asked nothing. */
export async function pendingAskedBy(db: Db, conversationId: string, operation: string): Promise<PendingBotAction | null> {
  const asked = await db.event.findFirst({
    where: { conversationId, type: 'bot.action_asked', payload: { path: ['operation'], equals: operation } },
    select: { payload: true },
  });
  return (asked?.payload as { pending?: PendingBotAction } | null)?.pending ?? null;
}

/**
 * The bot's answer tries this first (ai-activities.ts): an enabled action whose example questions
 * the message matches. Its inputs are taken from the message; a missing one is asked for (and the
 * conversation is the bot's); with all of them, the workflow calls it. Null: no action matches.
 * With `model` (functionCalling), the model's checked choice comes first (modelStep).
 */
export async function startBotAction(
  db: Db,
  conversation: { id: string },
  message: string,
  locale: string,
  operation: string,
  model?: AiApi,
): Promise<{ step: BotActionStep; score: number } | null> {
  const actions = await db.botAction.findMany({ where: { enabled: true }, select: actionColumns });
  const chosen = model ? await modelStep(db, model, conversation.id, actions, operation) : null;
  if (chosen) return { step: chosen, score: 1 };
  const match = matchBotAction(actions, message, locale);
  if (!match) return null;
  return { step: await beginAction(db, conversation.id, match.action, message, operation), score: match.score };
}

/** The action's first step on the customer's first message: the inputs it gives are kept, the first missing one asked for. */
async function beginAction(
  db: Db,
  conversationId: string,
  action: { id: string; name: string; inputs: unknown },
  message: string,
  operation: string,
  options: { articleId?: string } = {},
): Promise<BotActionStep> {
  const inputs = action.inputs as ActionInputSpec[];
  const values: Record<string, string> = {};
  for (const input of inputs) {
    const value = extractInput(input, message);
    if (value !== null && inputValid(input, value)) values[input.name] = value;
  }
  const missing = missingInput(inputs, values);
  if (!missing) return { kind: 'ready', actionId: action.id, values };
  const pending = { actionId: action.id, values, awaiting: missing.name, misses: 0 };
  return ask(db, conversationId, action, missing, await conversationLanguage(db, conversationId), pending, { operation, ...options });
}

/**
 * The bot found its answer in an article an enabled action serves (BotAction.articleIds, the
 * article or one of its translations): the action runs instead of the article's text, as with a
 * match on its example questions. The article says how to look an order up; the customer who
 * asked wants their order looked up. Null: no enabled action serves the article.
 */
export async function startBoundAction(
  db: Db,
  conversation: { id: string },
  articleId: string,
  message: string,
  operation: string,
): Promise<BotActionStep | null> {
  const bound = await db.botAction.findMany({
    where: { enabled: true, NOT: { articleIds: { isEmpty: true } } },
    select: { ...actionColumns, articleIds: true },
    orderBy: { name: 'asc' },
  });
  if (bound.length === 0) return null;
  const articles = await db.knowledgeArticle.findMany({
    where: { id: { in: [articleId, ...bound.flatMap((action) => action.articleIds)] } },
    select: { id: true, groupId: true },
  });
  const groupOf = new Map(articles.map((article) => [article.id, article.groupId]));
  const group = groupOf.get(articleId);
  const action = bound.find((candidate) => candidate.articleIds.some((id) => groupOf.get(id) === group));
  return group && action ? beginAction(db, conversation.id, action, message, operation, { articleId }) : null;
}

/** The conversation as the model reads it: the public customer and bot messages, in order. */
async function transcriptOf(db: Db, conversationId: string): Promise<TranscriptMessage[]> {
  return db.message.findMany({
    where: { conversationId, authorKind: { in: ['customer', 'bot'] }, private: false },
    orderBy: { createdAt: 'asc' },
    select: { authorKind: true, body: true },
    take: 40,
  }) as Promise<TranscriptMessage[]>;
}

/** The function-calling path is on: the workflow allows it (`tools`) and the AI layer is a model that can. */
export const functionCalling = (ai: AiApi | undefined, tools: boolean | undefined): AiApi | undefined =>
  tools && ai?.chooseAction && ai.provider !== 'local' ? ai : undefined;

/**
 * The model's choice among the enabled actions, checked: a call whose arguments pass
 * validateToolArguments is ready; an ask for an input of an offered action is asked with the
 * model's question (a second ask for the same input after an answer that did not fit hands off,
 * as in slot filling). Null — the caller fills the slots itself — for no choice, an unknown tool,
 * arguments that fail the checks, or a failed call to the model.
 */
async function modelStep(
  db: Db,
  ai: AiApi,
  conversationId: string,
  actions: readonly { id: string; name: string; description: string; questions: string[]; inputs: unknown }[],
  operation: string,
  pending?: PendingBotAction,
): Promise<BotActionStep | null> {
  if (actions.length === 0) return null;
  const offered = actions.map((action) => ({ ...action, inputs: action.inputs as ActionInputSpec[] }));
  let choice;
  try {
    const transcript = await transcriptOf(db, conversationId);
    choice = await recordedAiCall(db, { operation: 'tool', provider: ai.provider, conversationId }, () =>
      ai.chooseAction!(transcript, offered.map(actionTool)),
    );
  } catch (error) {
    log.warn('the model could not choose an action; slot filling decides', { conversationId, error: String(error) });
    return null;
  }
  if (choice.kind === 'none') return null;
  const action = offered.find((candidate) => actionToolName(candidate.id) === choice.tool || candidate.id === actionIdOfTool(choice.tool));
  if (!action) {
    log.warn('the model chose a tool no enabled action gives; slot filling decides', { conversationId, tool: choice.tool.slice(0, 80) });
    return null;
  }
  if (choice.kind === 'call') {
    const checked = validateToolArguments(action.inputs, choice.arguments);
    if (checked.ok) return { kind: 'ready', actionId: action.id, values: checked.values, byModel: true };
    // Never called with what failed the checks: the customer is asked instead (by slot filling).
    log.warn("the model's arguments were refused; slot filling decides", { conversationId, action: action.name, problem: checked.problem });
    return null;
  }
  const input = action.inputs.find((candidate) => candidate.name === choice.input);
  if (!input) return null;
  const same = pending?.actionId === action.id;
  const again = same && pending.awaiting === input.name;
  if (again && pending.misses >= 1) return { kind: 'gave_up' };
  const next = { actionId: action.id, values: same ? pending.values : {}, awaiting: input.name, misses: again ? pending.misses + 1 : 0 };
  return ask(db, conversationId, action, input, await conversationLanguage(db, conversationId), next, {
    again,
    operation,
    question: choice.question.slice(0, 500),
  });
}

/**
 * The model's answer from the action's result (the picked fields and the inputs only), verified
 * against that result like an article's answer; null (the template answers) when it gave none,
 * the verification did not find it supported, or a call failed.
 */
async function modelAnswer(
  db: Db,
  ai: AiApi,
  conversationId: string,
  action: { id: string; name: string; description: string; questions: string[]; inputs: unknown },
  values: Record<string, string>,
  fields: Record<string, string>,
): Promise<string | null> {
  if (!ai.actionReply || !ai.verify) return null;
  const call = <T extends { usage: AiUsage }>(operation: 'answer' | 'verify', run: () => Promise<T>) =>
    recordedAiCall(db, { operation, provider: ai.provider, conversationId }, run);
  try {
    const transcript = await transcriptOf(db, conversationId);
    const tool = actionTool({ ...action, inputs: action.inputs as ActionInputSpec[] });
    const { answer } = await call('answer', () => ai.actionReply!(transcript, { tool, values }, fields));
    if (!answer) return null;
    const question = transcript
      .filter((message) => message.authorKind === 'customer')
      .map((message) => message.body)
      .join('\n');
    const result = { id: 'r1', articleId: action.id, title: action.name, locale: languageOf(question), text: JSON.stringify({ ...values, ...fields }) };
    const { supported } = await call('verify', () => ai.verify!(question, answer, [result]));
    if (!supported) log.warn("the model's answer from the action's result was not verified; the template answers", { conversationId, action: action.name });
    return supported ? answer : null;
  } catch (error) {
    log.warn("the model could not answer from the action's result; the template answers", { conversationId, error: String(error) });
    return null;
  }
}

export function createBotActionActivities(deps: BotActionDeps): BotActionActivities {
  const { db } = deps;
  const outbound = outboundPolicyOf(deps.outboundAllowedHosts);

  return {
    async fillBotAction({ conversationId, pending, tools }) {
      const operation = operationId();
      const [action, last] = await Promise.all([
        db.botAction.findUnique({ where: { id: pending.actionId } }),
        db.message.findFirst({ where: { conversationId, authorKind: 'customer' }, orderBy: { createdAt: 'desc' }, select: { body: true } }),
      ]);
      const text = last?.body ?? '';
      if (!action || !action.enabled || asksForPerson(text)) return { kind: 'gave_up' };
      const model = functionCalling(deps.ai, tools);
      if (model) {
        const enabled = await db.botAction.findMany({
          where: { enabled: true },
          select: actionColumns,
        });
        const chosen = await modelStep(db, model, conversationId, enabled, operation, pending);
        if (chosen) return chosen;
      }
      const inputs = action.inputs as unknown as ActionInputSpec[];
      const values = { ...pending.values };
      // The answer to the question asked, then anything else the message happens to give.
      for (const input of inputs) {
        if (values[input.name] !== undefined) continue;
        const value = extractInput(input, text, { asked: input.name === pending.awaiting });
        if (value !== null && inputValid(input, value)) values[input.name] = value;
      }
      const missing = missingInput(inputs, values);
      if (!missing) return { kind: 'ready', actionId: action.id, values };
      const again = missing.name === pending.awaiting;
      if (again && pending.misses >= 1) return { kind: 'gave_up' };
      const next = { actionId: action.id, values, awaiting: missing.name, misses: again ? pending.misses + 1 : 0 };
      return ask(db, conversationId, action, missing, await conversationLanguage(db, conversationId), next, { again, operation });
    },

    async callBotAction({ conversationId, actionId, values, tools, byModel }) {
      const operation = operationId();
      const action = await db.botAction.findUnique({ where: { id: actionId } });
      if (!action) return { ok: false };
      const result = await callAction(action, values, { box: deps.webhookSecrets, outbound });
      // A transient failure is retried while attempts remain (the workflow's options allow actionCallAttempts).
      if (!result.ok && result.transient && Context.current().info.attempt < actionCallAttempts) throw new Error(`bot action ${action.name}: ${result.error}`);
      const language = await conversationLanguage(db, conversationId);
      const model = functionCalling(deps.ai, tools);
      const modelReply = model && result.ok ? await modelAnswer(db, model, conversationId, action, values, result.fields) : null;
      const answer = modelReply ?? result.answer;
      const calledPayload = {
        actionId,
        action: action.name,
        ok: result.ok,
        status: result.status,
        latencyMs: result.latencyMs,
        fields: result.fields,
        error: result.error,
        operation,
        // The model's tool call (its checked arguments: what the customer gave, never the secret) and who wrote the answer.
        ...(byModel ? { toolCall: { name: actionToolName(actionId), arguments: values } } : {}),
        ...(model && result.ok ? { answeredBy: modelReply ? ('model' as const) : ('template' as const) } : {}),
      };
      await db.$transaction(async (tx) => {
        if (await alreadyRecorded(tx, { conversationId }, operation)) return;
        if (result.ok && answer) {
          await addSystemMessage(tx, conversationId, {
            authorKind: 'bot',
            body: answer,
            private: false,
            metadata: { kind: 'bot_answer', confidence: 1, citations: [] },
          });
          // The bot serves the conversation unless a person already took it meanwhile.
          const { status } = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { status: true } });
          await changeConversation(tx, conversationId, status === 'queued' || status === 'bot' ? { status: 'bot', waitingOn: 'customer' } : {}, {
            type: 'bot.action_called',
            actorKind: 'bot',
            actorId: null,
            internal: true,
            payload: calledPayload,
          });
        } else {
          await addSystemMessage(tx, conversationId, { authorKind: 'bot', body: inCustomerLanguage(language, actionFailedApology), private: false });
          await changeConversation(
            tx,
            conversationId,
            {},
            { type: 'bot.action_called', actorKind: 'bot', actorId: null, internal: true, payload: calledPayload },
          );
        }
      });
      return { ok: result.ok && Boolean(answer) };
    },
  };
}
