// The bot's HTTP actions (issue 20, item 6), the part with I/O: the sealed auth header, the row as
// a view, matching a customer's message to an action by its example questions (the bot's own
// lexical retriever), and the call itself through the outbound guard (every call checked again:
// private targets refused unless OUTBOUND_ALLOWED_HOSTS allows them). The auth header's value is
// opened only here, for the request; it is in no view, event, log line or workflow history.
import { actionAnswer, fillBody, fillUrl, pickFields, type ActionFieldSpec, type ActionInputSpec } from '../../domain/bot-actions.js';
import type { BotActionMethod, BotActionTestResult, BotActionView } from '../../contract/bot-actions.js';
import { detectLanguage } from '../../domain/classification.js';
import type { BotAction } from '../../prisma/generated/client.js';
import { createLexicalRetriever, type KnowledgeArticle } from '../ai/lexical-retrieval.js';
import { guardedSend, OutboundRefusedError, OutboundRedirectsError, OutboundTooLargeError, type OutboundPolicy } from '../outbound/outbound-guard.js';
import type { SecretBox } from '../secrets/secret-box.js';

/**
 * The auth header's value is sealed in the box of the rules' webhook secrets (the API and the
 * worker both hold it: infra/secrets/webhook-secrets.ts), under a context of its own, so a value
 * copied between an action and a rule's secret opens in neither.
 */
const sealContext = (actionId: string) => `bot-action:${actionId}`;
export const sealActionAuth = (box: SecretBox, actionId: string, value: string) => box.seal(value, sealContext(actionId));
const openActionAuth = (box: SecretBox, row: Pick<BotAction, 'id'> & { sealedAuth: Uint8Array }) => box.open(row.sealedAuth, sealContext(row.id));

/** The row as admins see it: whether an auth value is set, never the value. */
export function toBotActionView(row: BotAction): BotActionView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    method: row.method as BotActionMethod,
    urlTemplate: row.urlTemplate,
    bodyTemplate: row.bodyTemplate,
    authHeaderName: row.authHeaderName,
    hasAuth: row.sealedAuth !== null,
    inputs: row.inputs as unknown as ActionInputSpec[],
    responseFields: row.responseFields as unknown as ActionFieldSpec[],
    answerTemplate: row.answerTemplate,
    timeoutMs: row.timeoutMs,
    questions: row.questions,
    articleIds: row.articleIds,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Largest response read: an order's status, not a catalogue. */
const maxResponseBytes = 256 * 1024;

/** A call's outcome; `fields` holds only the configured response fields. */
export type BotActionCallResult = BotActionTestResult;

/**
 * Calls the action with the customer's inputs and answers from its response: 2xx with a JSON body
 * is `ok`; anything else (refused, timed out, non-2xx, not JSON) is not, with the reason.
 * `transient` says a retry may help (timeouts, network errors, 5xx, 429).
 */
export async function callBotAction(
  row: BotAction,
  inputs: Readonly<Record<string, string>>,
  deps: { box: SecretBox; outbound: OutboundPolicy; now?: () => number },
): Promise<BotActionCallResult & { transient: boolean }> {
  const now = deps.now ?? Date.now;
  const url = fillUrl(row.urlTemplate, inputs);
  const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'Seamless-Bot-Action/1' };
  if (row.bodyTemplate) headers['Content-Type'] = 'application/json';
  if (row.authHeaderName && row.sealedAuth) headers[row.authHeaderName] = openActionAuth(deps.box, { id: row.id, sealedAuth: row.sealedAuth });
  const started = now();
  const failed = (status: number | null, error: string, transient: boolean) => ({
    ok: false,
    status,
    latencyMs: Math.max(0, Math.round(now() - started)),
    fields: {},
    answer: null,
    error,
    transient,
  });
  let answer: Awaited<ReturnType<typeof guardedSend>>;
  try {
    answer = await guardedSend(
      url,
      {
        method: row.method,
        headers,
        ...(row.bodyTemplate ? { body: fillBody(row.bodyTemplate, inputs) } : {}),
        timeoutMs: row.timeoutMs,
        maxBytes: maxResponseBytes,
      },
      deps.outbound,
    );
  } catch (error) {
    if (error instanceof OutboundRefusedError) return failed(null, error.reason, false);
    if (error instanceof OutboundTooLargeError) return failed(null, `the response is larger than ${maxResponseBytes} bytes`, false);
    if (error instanceof OutboundRedirectsError) return failed(null, 'the service answered with a redirect, which is not followed', false);
    const name = (error as Error).name;
    return failed(null, name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${row.timeoutMs} ms` : 'the service could not be reached', true);
  }
  const latencyMs = Math.max(0, Math.round(now() - started));
  if (answer.status < 200 || answer.status > 299)
    return { ...failed(answer.status, `the service answered ${answer.status}`, answer.status >= 500 || answer.status === 429), latencyMs };
  let json: unknown;
  try {
    json = JSON.parse(answer.body.toString('utf8'));
  } catch {
    return { ...failed(answer.status, 'the response is not JSON', false), latencyMs };
  }
  const responseFields = row.responseFields as unknown as ActionFieldSpec[];
  const fields = pickFields(json, responseFields);
  return {
    ok: true,
    status: answer.status,
    latencyMs,
    fields,
    answer: actionAnswer(row.answerTemplate, responseFields, fields, inputs),
    error: null,
    transient: false,
  };
}

/** How close a message must come to an action's example questions (the retriever's score, 0..1). */
export const actionMatchThreshold = 0.4;

/**
 * The enabled action whose example questions the message is closest to, when it is close enough
 * (the bot's lexical retriever over the questions; no model). The caller passes the enabled rows.
 */
export function matchBotAction<T extends Pick<BotAction, 'id' | 'name' | 'description' | 'questions'>>(
  actions: readonly T[],
  message: string,
  locale: string,
  threshold = actionMatchThreshold,
): { action: T; score: number } | null {
  const candidates = actions.filter((action) => action.questions.length > 0);
  if (candidates.length === 0) return null;
  // Each action as an "article" made only of its example questions, per language (an admin may write them in both).
  const articles: KnowledgeArticle[] = candidates.flatMap((action) =>
    (['en', 'zh-CN'] as const).flatMap((articleLocale) => {
      const questions = action.questions.filter((question) => detectLanguage(question) === articleLocale);
      return questions.length ? [{ id: action.id, title: questions[0]!, body: '', locale: articleLocale, questions }] : [];
    }),
  );
  // Identifiers (order numbers, phone numbers) are the inputs, not the intent: left out of the match.
  const intent = message.normalize('NFKC').replace(/[A-Za-z0-9_-]*\d[A-Za-z0-9_-]*/g, '');
  const [best] = createLexicalRetriever(articles).retrieve(intent, { locale, limit: 1 });
  if (!best || best.score < threshold) return null;
  const action = candidates.find((candidate) => candidate.id === best.articleId)!;
  return { action, score: best.score };
}
