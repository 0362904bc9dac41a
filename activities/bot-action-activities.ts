// The bot's HTTP actions in a conversation (issue 20, item 6). A customer's first message close to
// an action's example questions starts it (startBotAction, called by the bot's answer in
// ai-activities.ts): the inputs found in the message are kept, the first missing one is asked for
// in the customer's language. Each later message fills the input asked for (fillBotAction), and
// once all are there the workflow calls the action (callBotAction, its own activity with a timeout
// and retries): the answer comes from the picked response fields through the template. The call
// and its outcome (status, latency, the picked fields, never the response or the secret) are
// events agents see in the journey; a failed call leaves an apology and the workflow hands off.
import { Context } from '@temporalio/activity';
import {
  actionCallAttempts,
  actionFailedApology,
  extractInput,
  inputQuestion,
  inputValid,
  type ActionInputSpec,
  type ActionLanguage,
} from '../domain/bot-actions.js';
import { detectLanguage } from '../domain/classification.js';
import { asksForPerson } from '../domain/person-request.js';
import { callBotAction as callAction, matchBotAction } from '../infra/bot-actions/bot-actions.js';
import type { Db, Tx } from '../infra/db.js';
import { outboundPolicyOf } from '../infra/outbound/outbound-guard.js';
import type { SecretBox } from '../infra/secrets/secret-box.js';
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
  | { kind: 'ready'; actionId: string; values: Record<string, string> }
  /** The customer asked for a person, or did not give a valid value twice, or the action is gone. */
  | { kind: 'gave_up' };

export interface BotActionActivities {
  /** The customer answered the question of a pending action: the next question, or ready to call. Safe to retry. */
  fillBotAction(input: { conversationId: string; pending: PendingBotAction }): Promise<BotActionStep>;
  /**
   * Calls the action and answers the customer from its response; a failed call (after the retries
   * the activity's options allow, actionCallAttempts) leaves an apology and returns ok false for the
   * workflow to hand off. Throws, to be retried, on a timeout, a network error or a 5xx/429.
   */
  callBotAction(input: { conversationId: string; actionId: string; values: Record<string, string> }): Promise<{ ok: boolean }>;
}

export interface BotActionDeps {
  db: Db;
  /** Opens the auth header's value (infra/bot-actions/bot-actions.ts). */
  webhookSecrets: SecretBox;
  outboundAllowedHosts?: readonly string[];
}

const languageOf = (text: string): ActionLanguage => (detectLanguage(text) === 'zh-CN' ? 'zh-CN' : 'en');

/** The conversation's language for the bot: its first customer message's. */
async function conversationLanguage(db: Db | Tx, conversationId: string): Promise<ActionLanguage> {
  const first = await db.message.findFirst({ where: { conversationId, authorKind: 'customer' }, orderBy: { createdAt: 'asc' }, select: { body: true } });
  return languageOf(first?.body ?? '');
}

/** The first input without a value, or null when all have one. */
const missingInput = (inputs: readonly ActionInputSpec[], values: Readonly<Record<string, string>>) =>
  inputs.find((input) => values[input.name] === undefined) ?? null;

/**
 * Asks the customer for an input (a public bot message, the conversation with the bot waiting on
 * the customer) and records it; once per activity call (`operation`).
 */
async function ask(
  db: Db,
  conversationId: string,
  action: { id: string; name: string },
  input: ActionInputSpec,
  language: ActionLanguage,
  options: { again?: boolean; operation: string },
): Promise<void> {
  await db.$transaction(async (tx) => {
    if (await alreadyRecorded(tx, { conversationId }, options.operation)) return;
    await addSystemMessage(tx, conversationId, { authorKind: 'bot', body: inputQuestion(input, language, options), private: false });
    await changeConversation(
      tx,
      conversationId,
      { status: 'bot', waitingOn: 'customer' },
      {
        type: 'bot.action_asked',
        actorKind: 'bot',
        actorId: null,
        internal: true,
        payload: { actionId: action.id, action: action.name, input: input.name, again: options.again === true, operation: options.operation },
      },
    );
  });
}

/**
 * The bot's answer tries this first (ai-activities.ts): an enabled action whose example questions
 * the message matches. Its inputs are taken from the message; a missing one is asked for (and the
 * conversation is the bot's); with all of them, the workflow calls it. Null: no action matches.
 */
export async function startBotAction(
  db: Db,
  conversation: { id: string },
  message: string,
  locale: string,
  operation: string,
): Promise<{ step: BotActionStep; score: number } | null> {
  const actions = await db.botAction.findMany({ where: { enabled: true }, select: { id: true, name: true, description: true, questions: true, inputs: true } });
  const match = matchBotAction(actions, message, locale);
  if (!match) return null;
  const inputs = match.action.inputs as unknown as ActionInputSpec[];
  const values: Record<string, string> = {};
  for (const input of inputs) {
    const value = extractInput(input, message);
    if (value !== null && inputValid(input, value)) values[input.name] = value;
  }
  const missing = missingInput(inputs, values);
  if (!missing) return { step: { kind: 'ready', actionId: match.action.id, values }, score: match.score };
  await ask(db, conversation.id, match.action, missing, languageOf(message), { operation });
  return { step: { kind: 'asked', pending: { actionId: match.action.id, values, awaiting: missing.name, misses: 0 } }, score: match.score };
}

export function createBotActionActivities(deps: BotActionDeps): BotActionActivities {
  const { db } = deps;
  const outbound = outboundPolicyOf(deps.outboundAllowedHosts);

  return {
    async fillBotAction({ conversationId, pending }) {
      const operation = operationId();
      const [action, last] = await Promise.all([
        db.botAction.findUnique({ where: { id: pending.actionId } }),
        db.message.findFirst({ where: { conversationId, authorKind: 'customer' }, orderBy: { createdAt: 'desc' }, select: { body: true } }),
      ]);
      const text = last?.body ?? '';
      if (!action || !action.enabled || asksForPerson(text)) return { kind: 'gave_up' };
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
      await ask(db, conversationId, action, missing, await conversationLanguage(db, conversationId), { again, operation });
      return { kind: 'asked', pending: { actionId: action.id, values, awaiting: missing.name, misses: again ? pending.misses + 1 : 0 } };
    },

    async callBotAction({ conversationId, actionId, values }) {
      const operation = operationId();
      const action = await db.botAction.findUnique({ where: { id: actionId } });
      if (!action) return { ok: false };
      const result = await callAction(action, values, { box: deps.webhookSecrets, outbound });
      // A transient failure is retried while attempts remain (the workflow's options allow actionCallAttempts).
      if (!result.ok && result.transient && Context.current().info.attempt < actionCallAttempts) throw new Error(`bot action ${action.name}: ${result.error}`);
      const language = await conversationLanguage(db, conversationId);
      const calledPayload = {
        actionId,
        action: action.name,
        ok: result.ok,
        status: result.status,
        latencyMs: result.latencyMs,
        fields: result.fields,
        error: result.error,
        operation,
      };
      await db.$transaction(async (tx) => {
        if (await alreadyRecorded(tx, { conversationId }, operation)) return;
        if (result.ok && result.answer) {
          await addSystemMessage(tx, conversationId, {
            authorKind: 'bot',
            body: result.answer,
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
          await addSystemMessage(tx, conversationId, { authorKind: 'bot', body: actionFailedApology(language), private: false });
          await changeConversation(
            tx,
            conversationId,
            {},
            { type: 'bot.action_called', actorKind: 'bot', actorId: null, internal: true, payload: calledPayload },
          );
        }
      });
      return { ok: result.ok && Boolean(result.answer) };
    },
  };
}
