// The knowledge base's own calibrations in PostgreSQL (BotCalibration): one row per fit and locale,
// versioned; the bot uses the newest of its locale, and the shipped calibration while that row
// has no model (too few example questions). Fitting reads the published articles and the
// customers' verdicts on the bot's answers (knowledge-base-calibration.ts).
import { selfServiceEvents } from '../../domain/self-service.js';
import type { Prisma } from '../../prisma/generated/client.js';
import type { Db } from '../db.js';
import type { CalibrationModel } from './confidence.js';
import {
  fitKnowledgeBaseCalibration,
  type CalibrationCurve,
  type CalibrationEstimate,
  type FeedbackSample,
  type KnowledgeBaseSamples,
} from './knowledge-base-calibration.js';

/** The locales articles are written in (api/services/knowledge-service.ts `articleLocales`). */
export const calibratedLocales = ['en', 'zh-CN'] as const;

export type CalibrationTrigger = 'article_changed' | 'feedback' | 'manual';

export interface StoredCalibration {
  locale: string;
  version: number;
  fittedAt: Date;
  trigger: string;
  samples: KnowledgeBaseSamples['counts'];
  /** Null: too few example questions, the shipped calibration is used. */
  model: CalibrationModel | null;
  estimate: CalibrationEstimate | null;
  /** The held-out samples' confidences (estimates at another threshold); null without a model. */
  curve: CalibrationCurve | null;
}

type Row = Prisma.BotCalibrationGetPayload<object>;
const stored = (row: Row): StoredCalibration => ({
  locale: row.locale,
  version: row.version,
  fittedAt: row.fittedAt,
  trigger: row.trigger,
  samples: row.samples as unknown as StoredCalibration['samples'],
  model: (row.model as unknown as CalibrationModel | null) ?? null,
  ...estimateOf(row.estimate),
});

/** The stored estimate column: the estimate at the calibration's own threshold and the curve behind it. */
function estimateOf(json: unknown): { estimate: CalibrationEstimate | null; curve: CalibrationCurve | null } {
  const value = (json ?? {}) as Partial<CalibrationEstimate> & { curve?: CalibrationCurve };
  if (value.answered === undefined) return { estimate: null, curve: null };
  const { curve, ...estimate } = value;
  return { estimate: estimate as CalibrationEstimate, curve: curve ?? null };
}

/** The newest calibration of a locale, or null when none was ever fitted. */
export async function newestCalibration(db: Db, locale: string): Promise<StoredCalibration | null> {
  const row = await db.botCalibration.findFirst({ where: { locale }, orderBy: { version: 'desc' } });
  return row ? stored(row) : null;
}

/**
 * The model the bot should use for a locale: the newest fitted one, else undefined (the shipped
 * one). Reads only the newest version number on each call; the model itself once per version.
 */
export function createCalibrationCache(db: Db) {
  const cache = new Map<string, { version: number; model: CalibrationModel | undefined }>();
  return async (locale: string): Promise<CalibrationModel | undefined> => {
    const newest = await db.botCalibration.findFirst({ where: { locale }, orderBy: { version: 'desc' }, select: { version: true } });
    if (!newest) return undefined;
    const cached = cache.get(locale);
    if (cached?.version === newest.version) return cached.model;
    const row = await db.botCalibration.findUnique({ where: { locale_version: { locale, version: newest.version } } });
    const model = row ? (stored(row).model ?? undefined) : undefined;
    cache.set(locale, { version: newest.version, model });
    return model;
  };
}

/** Customers' verdicts since the newest fit that make another one due (api/services/bot-feedback-service.ts). */
export const verdictsPerRecalibration = 25;

/** The verdicts the fit counts: helpful, not helpful, and a hand-off the customer asked for. */
const verdictEvents = [
  { type: { in: [selfServiceEvents.helpful, selfServiceEvents.notHelpful] } },
  { type: selfServiceEvents.handedOff, payload: { path: ['reason'], equals: 'wants_human' } },
] satisfies Prisma.EventWhereInput[];

/** Whether `verdictsPerRecalibration` verdicts came since the newest fit (any locale), or since ever without one. */
export async function feedbackRecalibrationDue(db: Db): Promise<boolean> {
  const newest = await db.botCalibration.findFirst({ orderBy: { fittedAt: 'desc' }, select: { fittedAt: true } });
  const since = newest ? { occurredAt: { gt: newest.fittedAt } } : {};
  return (await db.event.count({ where: { OR: verdictEvents, ...since } })) >= verdictsPerRecalibration;
}

/** How many of the latest verdicts a fit reads. */
const feedbackWindow = 2000;

/**
 * The customers' verdicts on the bot's answers in a locale: the conversation's first customer
 * message, the article the answer cited first, and whether the customer found it helpful (not
 * helpful and "talk to a person" are wrong answers; a customer who merely wrote again gave none).
 */
export async function feedbackSamples(db: Db, locale: string): Promise<FeedbackSample[]> {
  const verdicts = await db.event.findMany({
    where: { type: { in: [selfServiceEvents.helpful, selfServiceEvents.notHelpful, selfServiceEvents.handedOff] }, conversationId: { not: null } },
    orderBy: { id: 'desc' },
    take: feedbackWindow,
    select: { id: true, type: true, conversationId: true, payload: true },
  });
  const judged = verdicts.filter(
    (event) => event.type !== selfServiceEvents.handedOff || (event.payload as { reason?: string } | null)?.reason === 'wants_human',
  );
  if (judged.length === 0) return [];
  const conversationIds = [...new Set(judged.map((event) => event.conversationId!))];
  const [answers, conversations] = await Promise.all([
    db.event.findMany({
      where: { type: selfServiceEvents.answered, conversationId: { in: conversationIds } },
      orderBy: { id: 'asc' },
      select: { id: true, conversationId: true, payload: true },
    }),
    db.conversation.findMany({
      where: { id: { in: conversationIds } },
      select: { id: true, messages: { where: { authorKind: 'customer' }, orderBy: { createdAt: 'asc' }, take: 1, select: { body: true } } },
    }),
  ]);
  const articleIds = new Set(
    (await db.knowledgeArticle.findMany({ where: { locale, status: 'published' }, select: { id: true } })).map((article) => article.id),
  );
  const questionOf = new Map(conversations.map((conversation) => [conversation.id, conversation.messages[0]?.body ?? '']));
  const samples: FeedbackSample[] = [];
  const seen = new Set<string>();
  for (const verdict of judged) {
    // The verdict is on the latest answer before it; one verdict per conversation (the newest).
    const answer = answers.filter((event) => event.conversationId === verdict.conversationId && event.id < verdict.id).at(-1);
    const articleId = (answer?.payload as { citations?: string[] } | null)?.citations?.[0];
    const question = questionOf.get(verdict.conversationId!);
    if (!articleId || !question || !articleIds.has(articleId) || seen.has(verdict.conversationId!)) continue;
    seen.add(verdict.conversationId!);
    samples.push({ question, articleId, helpful: verdict.type === selfServiceEvents.helpful });
  }
  return samples.reverse();
}

/** Fits every locale's calibration from the published articles and the verdicts, and stores each as a new version. */
export async function recalibrateKnowledgeBase(db: Db, trigger: CalibrationTrigger): Promise<StoredCalibration[]> {
  const results: StoredCalibration[] = [];
  for (const locale of calibratedLocales) {
    const articles = await db.knowledgeArticle.findMany({
      where: { status: 'published', locale },
      select: { id: true, title: true, body: true, questions: true, locale: true },
      orderBy: { id: 'asc' },
    });
    const fit = fitKnowledgeBaseCalibration(articles, locale, await feedbackSamples(db, locale));
    const newest = await db.botCalibration.findFirst({ where: { locale }, orderBy: { version: 'desc' }, select: { version: true } });
    const row = await db.botCalibration.create({
      data: {
        locale,
        version: (newest?.version ?? 0) + 1,
        trigger,
        samples: fit.counts,
        // Infinity (no threshold keeps the precision) is not JSON: stored as 2, above any confidence.
        model: fit.model ? (JSON.parse(JSON.stringify(fit.model, (_key, value) => (value === Infinity ? 2 : value))) as Prisma.InputJsonValue) : undefined,
        estimate: (fit.estimate ? { ...fit.estimate, curve: fit.curve } : {}) as unknown as Prisma.InputJsonValue,
      },
    });
    results.push(stored(row));
  }
  return results;
}
