// Activities that call the AI layer: a model's classification of the first message, the bot's
// answer to it (self-service), and the hand-off to a person with a summary. Every AI call (model
// or local fallback) is recorded with its tokens, latency and cost in AiCall; everything the bot
// does is in the event log for analytics. With a model, the answer is grounded in reranked
// passages and verified (infra/ai/grounded-answer.ts), and streamed to the conversation's watchers
// while it is written (infra/bot-stream.ts); only the stored message counts.
import { randomUUID } from 'node:crypto';
import { log } from '@temporalio/activity';
import { detectLanguage, skillOf } from '../domain/classification.js';
import type { BotExplanation } from '../domain/explanation.js';
import { asksForPerson } from '../domain/person-request.js';
import { botMayAnswerOn, selfServiceEvents, selfServiceSettingsOf, type HandOffReason } from '../domain/self-service.js';
import type { AiApi, AiOperation, AiUsage, KnowledgeArticle } from '../infra/ai/ai-api.js';
import { createCalibrationCache } from '../infra/ai/calibration-store.js';
import { answerSection } from '../infra/ai/answer-section.js';
import { denseRanking, fuseRankings, refreshArticleEmbeddings, type Embedder } from '../infra/ai/embeddings.js';
import { groundedAnswer } from '../infra/ai/grounded-answer.js';
import { createBotStreamPublisher } from '../infra/bot-stream.js';
import { customerLanguage, inCustomerLanguage, type CustomerLanguage } from '../infra/customer-language.js';
import { splitPassages } from '../infra/ai/lexical-retrieval.js';
import { recordedAiCall } from '../infra/ai/record-ai-call.js';
import { botDecisions } from '../infra/metrics/metrics.js';
import type { Db } from '../infra/db.js';
import { appendEvent } from '../infra/event-log.js';
import type { RoutingTier } from '../domain/vocabulary.js';
import type { KnowledgeSearch } from '../infra/search/knowledge-search.js';
import type { Prisma } from '../prisma/generated/client.js';
import type { BotChoice } from '../contract/views.js';
import { conversationScope, type MessageMetadata } from '../infra/views.js';
import { functionCalling, pendingAskedBy, startBotAction, startBoundAction, type BotActionStep, type PendingBotAction } from './bot-action-activities.js';
import { addSystemMessage, changeConversation } from './conversation-writes.js';
import { alreadyRecorded, operationId } from './operations.js';

export interface AiActivityDeps {
  db: Db;
  ai: AiApi;
  search: KnowledgeSearch;
}

/**
 * The bot's attempt on a first message. `action` (issue 20, item 6): an HTTP action the message
 * asked for — answered, it waits for an input the bot asked for; not answered (`action_ready`),
 * it has every input and the workflow calls it (activities/bot-action-activities.ts).
 */
export type BotAttempt =
  | { answered: true; confidence: number; idleMinutes: number; action?: PendingBotAction }
  | { answered: false; reason: string; action?: { actionId: string; values: Record<string, string>; idleMinutes: number; byModel?: boolean } };

export interface AiActivities {
  /** A model's classification of the first message (the rules' floor is already recorded):
   * adopts a different tier, records it, and returns what routing needs. */
  classifyWithModel(input: { conversationId: string }): Promise<{ tier: RoutingTier; skill: string | null }>;
  /** On a customer's first message: answers from the knowledge base when the confidence clears
   * the admin's threshold (status `bot`), else records why not. Safe to retry. */
  answerWithBot(input: { conversationId: string; tools?: boolean }): Promise<BotAttempt>;
  /** The conversation leaves the bot for a person: a private summary note for the agent, and
   * status `queued`. Safe to retry. */
  handOffToHuman(input: { conversationId: string; reason: HandOffReason }): Promise<{ summary: string }>;
}

/** How many search hits a model reads; the local retriever ranks the whole locale itself. */
const modelContextArticles = 5;
/**
 * With embeddings, each side offers its best five and the reranker reads up to eight of their union
 * in fused order: an article only one side found, first there, scores 1/61 under reciprocal rank
 * fusion and is outranked at most by the four others both sides found — never left out.
 */
const fusedArticles = 8;
/** The reranker's score the model path's best passage needs when the admin set no threshold. */
const defaultModelThreshold = 0.7;

/** Who may watch the conversation (the bot's streamed answer goes to them). */
const conversationScopeOf = (conversation: { id: string; customerId: string; teamId: string | null; assigneeId: string | null }) => ({
  conversationId: conversation.id,
  customerId: conversation.customerId,
  teamId: conversation.teamId,
  assigneeId: conversation.assigneeId,
});

interface CitableArticle extends KnowledgeArticle {
  slug: string;
}

/** The columns an AI reads of an article: its example questions help it find the article. */
const citableColumns = { id: true, title: true, body: true, questions: true, locale: true, slug: true } as const;

/** The conversation as the bot's decision reads it: its channel and its first public customer or bot messages. */
export const botSubjectInclude = {
  channel: true,
  messages: { where: { authorKind: { in: ['customer', 'bot'] }, private: false }, orderBy: { createdAt: 'asc' }, take: 2 },
} satisfies Prisma.ConversationInclude;
export type BotSubject = Prisma.ConversationGetPayload<{ include: typeof botSubjectInclude }>;

/** The bot's answer to a first message, over a conversation already read (answerWithBot, prepareConversation). */
export interface Bot {
  /** In an activity: its records carry the activity call's operation id. Safe to retry. */
  /** `tools`: the workflow allows function calling for the bot's actions (bot-action-activities.ts). */
  answer(conversation: BotSubject, organizationSettings: unknown, options?: { tools?: boolean }): Promise<BotAttempt>;
}

/** One per worker: it keeps the knowledge index of the local retriever. */
export function createBot({ db, ai, search }: AiActivityDeps): Bot {
  const callAi = <T extends { usage: AiUsage }>(operation: AiOperation, conversationId: string, run: () => Promise<T>) =>
    recordedAiCall(db, { operation, provider: ai.provider, conversationId }, run);

  // The knowledge base's own calibration per locale (the newest fitted version), for the local fallback.
  const ownCalibration = createCalibrationCache(db);

  // The published articles of a locale, reloaded only when one was added, changed or removed:
  // the local retriever indexes the array once and reuses the index while it is the same array.
  const publishedCache = new Map<string, { stamp: string; articles: CitableArticle[] }>();
  const publishedArticles = async (locale: string): Promise<CitableArticle[]> => {
    const [row] = await db.$queryRaw<{ stamp: string }[]>`
      SELECT count(*)::text || '/' || COALESCE(max("updatedAt")::text, '') AS stamp
      FROM "KnowledgeArticle" WHERE status = 'published' AND locale = ${locale}`;
    const stamp = row?.stamp ?? '';
    const cached = publishedCache.get(locale);
    if (cached && cached.stamp === stamp) return cached.articles;
    const articles = await db.knowledgeArticle.findMany({
      where: { status: 'published', locale },
      select: citableColumns,
      orderBy: { id: 'asc' },
    });
    publishedCache.set(locale, { stamp, articles });
    return articles;
  };

  /** The articles a model reads: the best search hits, in their order; with embeddings, fused with the nearest articles by meaning. */
  const searchedArticles = async (question: string, locale: string, conversationId: string): Promise<CitableArticle[]> => {
    const hits = await search.search(question, { locale, limit: modelContextArticles, publishedOnly: true });
    const ids = ai.embeddings
      ? fuseRankings([hits.map((hit) => hit.articleId), await nearestArticles(ai.embeddings, question, locale, conversationId)]).slice(0, fusedArticles)
      : hits.map((hit) => hit.articleId);
    const rows = await db.knowledgeArticle.findMany({ where: { id: { in: ids } }, select: citableColumns });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id)).filter((row) => row !== undefined);
  };

  /**
   * The dense side: articles not embedded yet (or changed since) first, then the question, each a
   * recorded call. When the endpoint has no embeddings to give, the lexical side stands alone.
   */
  const nearestArticles = async (embedder: Embedder, question: string, locale: string, conversationId: string): Promise<string[]> => {
    try {
      const refreshed = await refreshArticleEmbeddings(db, embedder, locale);
      if (refreshed.usage) await callAi('embed', conversationId, async () => ({ usage: refreshed.usage! }));
      const { vectors } = await callAi('embed', conversationId, () => embedder.embed([question]));
      return (await denseRanking(db, embedder.model, vectors[0]!, locale, modelContextArticles)).map((hit) => hit.articleId);
    } catch (error) {
      log.warn('dense retrieval failed; the lexical ranking stands alone', { conversationId, error: String(error) });
      return [];
    }
  };

  /** The language to write to the customer in: their first message's, its Chinese script, their widget's locale. */
  const customerLanguageOf = async (customerId: string, firstMessage: string): Promise<CustomerLanguage> => {
    const customer = await db.customer.findUnique({ where: { id: customerId }, select: { locale: true } });
    return customerLanguage(firstMessage, customer?.locale);
  };

  return {
    /** answerWithBot's decision and records, over the conversation and settings the caller read. */
    async answer(conversation, organizationSettings, options = {}) {
      const conversationId = conversation.id;
      const operation = operationId();
      const settings = selfServiceSettingsOf((organizationSettings as Record<string, unknown> | null)?.selfService);
      // A retry after the commit finds the answer it stored.
      const earlier = conversation.messages.find((message) => message.authorKind === 'bot');
      const earlierMetadata = earlier?.metadata as MessageMetadata | null | undefined;
      if (earlier) {
        // The earlier attempt asked for an action's input: the workflow gets that action back, pending.
        const pending = earlierMetadata?.kind === 'bot_answer' ? null : await pendingAskedBy(db, conversationId, operation);
        return {
          answered: true,
          confidence: earlierMetadata?.kind === 'bot_answer' ? (earlierMetadata.confidence ?? 0) : pending ? 1 : 0,
          idleMinutes: settings.idleMinutes,
          ...(pending ? { action: pending } : {}),
        };
      }
      if (!settings.enabled) return { answered: false, reason: 'disabled' };
      if (!botMayAnswerOn(conversation.channel.kind)) return { answered: false, reason: 'channel' };
      const question = conversation.messages.find((message) => message.authorKind === 'customer')?.body;
      if (conversation.status !== 'queued' || !question) return { answered: false, reason: 'not_waiting' };
      // "Talk to a human", "转人工": the customer asked for a person, not an answer (domain/person-request.ts).
      if (asksForPerson(question)) return { answered: false, reason: 'asked_for_person' };

      const locale = detectLanguage(question);
      // What the workflow does with an action's first step: wait for the input asked for, or call it.
      const actionAttempt = (step: BotActionStep | undefined, score: number): BotAttempt | null => {
        if (step?.kind === 'asked') return { answered: true, confidence: score, idleMinutes: settings.idleMinutes, action: step.pending };
        if (step?.kind === 'ready')
          return {
            answered: false,
            reason: 'action_ready',
            action: { actionId: step.actionId, values: step.values, idleMinutes: settings.idleMinutes, ...(step.byModel ? { byModel: true } : {}) },
          };
        return null;
      };
      // An HTTP action the message asks for ("where is my order") comes before an article's answer.
      const action = await startBotAction(db, conversation, question, locale, operation, functionCalling(ai, options.tools));
      const byQuestions = actionAttempt(action?.step, action?.score ?? 0);
      if (byQuestions) return byQuestions;
      const local = ai.provider === 'local';
      const [articles, calibration] = await Promise.all([
        local ? publishedArticles(locale) : searchedArticles(question, locale, conversationId),
        local ? ownCalibration(locale) : undefined,
      ]);
      // The model path: rerank, a grounded answer streamed to the conversation's watchers, verification.
      const preview = local
        ? null
        : createBotStreamPublisher(db, conversationScopeOf(conversation), randomUUID(), (message, error) =>
            log.warn(message, { conversationId, error: String(error) }),
          );
      const result =
        local || !ai.rerank || !ai.verify
          ? await callAi('answer', conversationId, () => ai.answer(question, articles, { threshold: settings.threshold, calibration }))
          : (
              await groundedAnswer(ai, question, articles, {
                threshold: settings.threshold ?? defaultModelThreshold,
                call: (operation, run) => callAi(operation, conversationId, run),
                onDelta: (text) => preview?.delta(text),
                log: (message) => log.warn(message, { conversationId }),
              }).catch(async (error: unknown) => {
                // A failed call (the activity retries): what was shown goes; a retry streams anew.
                await preview?.end('withdrawn');
                throw error;
              })
            ).result;

      // The answer's article is one an action serves: the action runs instead (startBoundAction).
      const bestArticle = 'refused' in result ? undefined : result.citations[0];
      const bound = bestArticle && (await startBoundAction(db, conversation, bestArticle, question, operation));
      const byArticle = bound ? actionAttempt(bound, result.confidence) : null;
      if (byArticle) {
        await preview?.end('withdrawn');
        return byArticle;
      }

      const byId = new Map(articles.map((article) => [article.id, article]));
      // Why it answered or not (domain/explanation.ts): the best articles by title, never the question.
      const explanationOf = (outcome: BotExplanation['outcome']): BotExplanation => ({
        kind: 'bot',
        outcome,
        reason: 'refused' in result && outcome === 'declined' ? result.reason : null,
        confidence: Math.round(result.confidence * 100) / 100,
        threshold: result.threshold ?? settings.threshold ?? null,
        calibrated: result.calibrated ?? null,
        alternatives: (result.ranking ?? []).slice(0, 3).flatMap((hit) => {
          const article = byId.get(hit.articleId);
          return article ? [{ title: article.title, score: hit.score }] : [];
        }),
      });
      // Two sibling articles the question may mean (infra/ai/decisive-terms.ts): the bot asks which
      // one, with both as choices; the widget shows the chosen one's answer.
      const choices = 'refused' in result && result.reason === 'ambiguous' ? clarifyingChoices(result.choices ?? [], byId) : [];
      if ('refused' in result && choices.length < 2) {
        await db.$transaction(async (tx) => {
          if (await alreadyRecorded(tx, { conversationId }, operation)) return;
          await appendEvent(tx, {
            type: selfServiceEvents.declined,
            actorKind: 'bot',
            conversationId,
            internal: true,
            ...conversationScope(conversation),
            payload: { reason: result.reason, confidence: result.confidence, operation, explanation: explanationOf('declined') },
          });
        });
        await preview?.end('withdrawn');
        botDecisions.inc({ decision: 'declined' });
        return { answered: false, reason: result.reason };
      }

      const reply =
        'refused' in result
          ? {
              body: clarifyingQuestion(await customerLanguageOf(conversation.customerId, question), choices),
              citationIds: choices.map((choice) => choice.id),
              partial: false,
            }
          : { body: result.answer, citationIds: result.citations, partial: result.partial === true };
      const citations = reply.citationIds.flatMap((id) => {
        const article = byId.get(id);
        return article ? [{ id, title: article.title, slug: article.slug, locale: article.locale }] : [];
      });
      await db.$transaction(async (tx) => {
        if (await alreadyRecorded(tx, { conversationId }, operation)) return;
        const metadata = {
          kind: 'bot_answer',
          confidence: result.confidence,
          citations,
          ...(reply.partial ? { partial: true } : {}),
          ...(choices.length ? { choices } : {}),
        } satisfies MessageMetadata;
        await addSystemMessage(tx, conversationId, { authorKind: 'bot', body: reply.body, private: false, metadata });
        await changeConversation(
          tx,
          conversationId,
          { status: 'bot', waitingOn: 'customer' },
          {
            type: selfServiceEvents.answered,
            actorKind: 'bot',
            actorId: null,
            internal: true,
            payload: {
              confidence: result.confidence,
              citations: citations.map((citation) => citation.id),
              provider: ai.provider,
              operation,
              ...(choices.length ? { clarifying: true } : {}),
              explanation: explanationOf(choices.length ? 'clarifying' : 'answered'),
            },
          },
        );
      });
      // After the commit: the stored message went out first, then the preview's end.
      await preview?.end(choices.length ? 'withdrawn' : 'stored');
      botDecisions.inc({ decision: choices.length ? 'clarifying_question' : 'answered' });
      return { answered: true, confidence: result.confidence, idleMinutes: settings.idleMinutes };
    },
  };
}

/** The articles a clarifying question offers, each with the answer its section gives (answer-section.ts). */
function clarifyingChoices(ids: readonly string[], byId: ReadonlyMap<string, CitableArticle>): BotChoice[] {
  return ids.flatMap((id) => {
    const article = byId.get(id);
    if (!article) return [];
    const answer = answerSection(article.body, splitPassages(article.body)[0] ?? '').text || article.title;
    return [{ id, title: article.title, slug: article.slug, locale: article.locale, answer }];
  });
}

/** "Do you mean A or B?" in the customer's language; the titles as the articles have them, as on the buttons. */
export function clarifyingQuestion(language: CustomerLanguage, choices: readonly { title: string }[]): string {
  const [first = '', second = ''] = choices.map((choice) => choice.title);
  const template = inCustomerLanguage(language, (written) =>
    written === 'zh-CN' ? '请问您想了解的是“{first}”，还是“{second}”？请在下方选择。' : 'Do you mean “{first}” or “{second}”? Please choose one below.',
  );
  return template.replace('{first}', () => first).replace('{second}', () => second);
}

export function createAiActivities(deps: AiActivityDeps, bot: Bot = createBot(deps)): AiActivities {
  const { db, ai } = deps;
  const callAi = <T extends { usage: AiUsage }>(operation: AiOperation, conversationId: string, run: () => Promise<T>) =>
    recordedAiCall(db, { operation, provider: ai.provider, conversationId }, run);

  return {
    async classifyWithModel({ conversationId }) {
      const conversation = await db.conversation.findUniqueOrThrow({
        where: { id: conversationId },
        include: { customer: true, messages: { where: { authorKind: 'customer' }, orderBy: { createdAt: 'asc' }, take: 1 } },
      });
      const { usage, ...classification } = await callAi('classify', conversationId, () =>
        ai.classify(conversation.messages[0]?.body ?? '', conversation.customer),
      );
      void usage;
      const skill = skillOf(classification.intent);
      if (classification.tier !== conversation.tier) {
        await db.$transaction((tx) =>
          changeConversation(
            tx,
            conversationId,
            { tier: classification.tier },
            {
              type: 'conversation.classified',
              actorId: null,
              internal: true,
              payload: { classification, by: ai.provider },
            },
          ),
        );
      }
      return { tier: classification.tier, skill };
    },

    async answerWithBot({ conversationId, tools }) {
      const [conversation, organization] = await Promise.all([
        db.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: botSubjectInclude }),
        db.organization.findUnique({ where: { id: 1 } }),
      ]);
      return bot.answer(conversation, organization?.settings ?? null, { tools });
    },

    async handOffToHuman({ conversationId, reason }) {
      const operation = operationId();
      const conversation = await db.conversation.findUniqueOrThrow({
        where: { id: conversationId },
        include: { messages: { where: { private: false }, orderBy: { createdAt: 'asc' }, take: 50 } },
      });
      const transcript = conversation.messages.map((message) => ({ authorKind: message.authorKind, body: message.body }));
      // A message that asks for a person ("agent please", "转人工") is the "Talk to a person"
      // button typed: recorded as that (reports count it as the customer's verdict), not as a
      // customer who merely wrote again.
      const lastWords = conversation.messages.findLast((message) => message.authorKind === 'customer')?.body ?? '';
      const recordedReason: HandOffReason = reason === 'customer_wrote_again' && asksForPerson(lastWords) ? 'wants_human' : reason;
      const { summary } = await callAi('summarize', conversationId, () => ai.summarize(transcript));
      await db.$transaction(async (tx) => {
        if (await alreadyRecorded(tx, { conversationId }, operation)) return;
        // What routing uses travels with the summary, so the agent sees why it came to them.
        const classification = { tier: conversation.tier, language: conversation.language, priority: conversation.priority };
        await addSystemMessage(tx, conversationId, {
          authorKind: 'bot',
          body: summary,
          private: true,
          metadata: { kind: 'handoff_summary', reason: recordedReason, classification },
        });
        await changeConversation(
          tx,
          conversationId,
          { status: 'queued', waitingOn: 'agent' },
          {
            type: selfServiceEvents.handedOff,
            actorKind: 'bot',
            actorId: null,
            // The customer receives it, cut down to the conversation (domain/event-audience.ts: no
            // reason, summary or classification), so the widget shows their place in the queue at once.
            internal: false,
            payload: { reason: recordedReason, summary, classification, operation },
          },
        );
      });
      return { summary };
    },
  };
}
