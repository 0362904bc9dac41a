// The bot's confidence calibration for admins: per locale, the newest fit (version, when, what it
// saw), the threshold in force, its estimated precision there (from the fit's held-out example
// questions), and how many of last month's first customer messages the bot would answer now —
// each run through retrieval and confidence as the bot would (the local fallback). "Recalibrate
// now" asks the calibration workflow through the outbox (workflows/knowledge-calibration.ts).
import type { CalibrationLocaleView, CalibrationView } from '../../contract/calibration.js';
import { detectLanguage } from '../../domain/classification.js';
import { selfServiceDefaults, type SelfServiceSettings } from '../../domain/self-service.js';
import { calibratedLocales, newestCalibration } from '../../infra/ai/calibration-store.js';
import { shippedCalibrations } from '../../infra/ai/create-ai.js';
import { estimateFromCurve, minimumExamples } from '../../infra/ai/knowledge-base-calibration.js';
import { createLocalFallback } from '../../infra/ai/local-fallback.js';
import type { ApiDeps } from '../deps.js';
import { readSelfServiceSettings } from './settings-service.js';
import { workflowGateway } from './workflow-gateway.js';

/** The window of first messages the coverage is measured on. */
const windowDays = 30;
/** At most this many of them (the newest), so the page answers in a second or two. */
const maxFirstMessages = 500;

const local = createLocalFallback({ calibrations: shippedCalibrations });

export async function readCalibration(deps: Pick<ApiDeps, 'db'>, defaults: SelfServiceSettings = selfServiceDefaults(undefined)): Promise<CalibrationView> {
  const { db } = deps;
  const settings = await readSelfServiceSettings(db, defaults);
  const since = new Date(Date.now() - windowDays * 24 * 60 * 60 * 1000);
  const conversations = await db.conversation.findMany({
    where: { createdAt: { gte: since } },
    orderBy: { createdAt: 'desc' },
    take: maxFirstMessages,
    select: { messages: { where: { authorKind: 'customer' }, orderBy: { createdAt: 'asc' }, take: 1, select: { body: true } } },
  });
  const firstMessages = conversations.flatMap((conversation) => conversation.messages.map((message) => message.body)).filter((body) => body.trim());

  const locales: CalibrationLocaleView[] = [];
  for (const locale of calibratedLocales) {
    const stored = await newestCalibration(db, locale);
    const own = stored?.model ?? undefined;
    const ownThreshold = (own ?? shippedCalibrations[locale]).thresholds['0.99'];
    const threshold = settings.threshold ?? (typeof ownThreshold === 'number' && ownThreshold <= 1 ? ownThreshold : null);
    const estimate = own && stored?.curve && threshold !== null ? estimateFromCurve(stored.curve, threshold) : null;
    const questions = firstMessages.filter((body) => detectLanguage(body) === locale);
    let wouldAnswer = 0;
    if (questions.length && threshold !== null) {
      const articles = await db.knowledgeArticle.findMany({
        where: { status: 'published', locale },
        select: { id: true, title: true, body: true, questions: true, locale: true },
        orderBy: { id: 'asc' },
      });
      for (const question of questions) {
        const result = await local.answer(question, articles, { threshold, calibration: own });
        if (!('refused' in result)) wouldAnswer += 1;
      }
    }
    locales.push({
      locale,
      version: stored?.version ?? null,
      fittedAt: stored?.fittedAt.toISOString() ?? null,
      trigger: (stored?.trigger as CalibrationLocaleView['trigger']) ?? null,
      source: own ? 'own' : 'shipped',
      samples: stored?.samples ?? null,
      minimumExamples: minimumExamples.questions,
      threshold,
      estimatedPrecision: estimate?.precision ?? null,
      estimatedNearMissAnswered: estimate?.nearMissAnswered ?? null,
      firstMessages: questions.length,
      wouldAnswer,
    });
  }
  return { since: since.toISOString(), locales };
}

/**
 * Asks the calibration workflow to recalibrate (written to the outbox, delivered after the commit):
 * at once for an admin (`manual`), debounced for accumulated verdicts (`feedback`).
 */
export async function requestRecalibration(deps: Pick<ApiDeps, 'db' | 'temporal' | 'relay'>, trigger: 'manual' | 'feedback' = 'manual'): Promise<void> {
  const outbox = workflowGateway(deps).outbox();
  await deps.db.$transaction((tx) => outbox.write(tx, [{ kind: 'knowledge_changed', organizationId: 1, trigger }]));
  await outbox.deliver();
}
