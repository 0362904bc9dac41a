// The bot's recalibration on the organisation's own knowledge base (workflows/knowledge-calibration.ts):
// fits every locale from its published articles and the customers' verdicts, and stores each fit as a
// new version (infra/ai/calibration-store.ts), which the bot then uses. The same durable run after
// article changes embeds the changed articles when the model path has embeddings (infra/ai/embeddings.ts).
import { log } from '@temporalio/activity';
import type { AiApi } from '../infra/ai/ai-api.js';
import { recalibrateKnowledgeBase } from '../infra/ai/calibration-store.js';
import { refreshArticleEmbeddings } from '../infra/ai/embeddings.js';
import { recordedAiCall } from '../infra/ai/record-ai-call.js';
import type { Db } from '../infra/db.js';
import type { CalibrationTrigger } from '../workflows/knowledge-calibration.messages.js';

export interface CalibrationActivities {
  /** Fits and stores a new calibration version per locale; returns what was stored. */
  recalibrateKnowledgeBase(input: { trigger: CalibrationTrigger }): Promise<{ locale: string; version: number; fitted: boolean }[]>;
}

export function createCalibrationActivities({ db, ai }: { db: Db; ai?: AiApi }): CalibrationActivities {
  return {
    async recalibrateKnowledgeBase({ trigger }) {
      // Before the fit, so a retry of this activity never fits twice for it.
      await embedChangedArticles(db, ai);
      const stored = await recalibrateKnowledgeBase(db, trigger);
      return stored.map((calibration) => ({ locale: calibration.locale, version: calibration.version, fitted: calibration.model !== null }));
    },
  };
}

/**
 * The published articles whose embedding is missing or stale, embedded and recorded as one 'embed'
 * call, when the model path has embeddings. A failure is logged and left to the bot, which embeds
 * what is missing when it answers.
 */
export async function embedChangedArticles(db: Db, ai: AiApi | undefined): Promise<void> {
  const embeddings = ai?.embeddings;
  if (!embeddings) return;
  try {
    const { usage } = await refreshArticleEmbeddings(db, embeddings);
    if (usage) await recordedAiCall(db, { operation: 'embed', provider: 'openai', conversationId: null }, async () => ({ usage }));
  } catch (error) {
    log.warn('could not embed the changed articles; the bot will when it answers', { error: String(error) });
  }
}
