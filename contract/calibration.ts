// The bot's confidence calibration as admins see it (GET /api/settings/self-service/calibration)
// and the request to recalibrate now (POST …/calibration/recalibrate). See infra/ai/README.md,
// "A knowledge base's own calibration".
import { z } from 'zod';

/** One locale's calibration and what the threshold in force would do with last month's first messages. */
export interface CalibrationLocaleView {
  locale: 'en' | 'zh-CN';
  /** The newest fit (null: none ran yet), when and why it ran. */
  version: number | null;
  fittedAt: string | null;
  trigger: 'article_changed' | 'feedback' | 'manual' | null;
  /** `own`: fitted on this knowledge base; `shipped`: too few example questions (or no fit yet). */
  source: 'own' | 'shipped';
  /** What the newest fit saw; null before any. */
  samples: { articles: number; examples: number; negatives: number; feedback: number } | null;
  /** Example questions a knowledge base needs for its own calibration. */
  minimumExamples: number;
  /** The threshold in force: the admin's, else the calibration's. Null: the bot never answers. */
  threshold: number | null;
  /** At that threshold, from the held-out example questions (own calibration only): right answers among answers. */
  estimatedPrecision: number | null;
  /** Near-miss questions answered at that threshold (own calibration only). */
  estimatedNearMissAnswered: number | null;
  /** Last month's first customer messages in this language, and how many the bot would answer now. */
  firstMessages: number;
  wouldAnswer: number;
}

export interface CalibrationView {
  /** Since when first messages are counted (30 days back). */
  since: string;
  locales: CalibrationLocaleView[];
}

/** POST /api/settings/self-service/calibration/recalibrate: no fields. */
export const recalibrateBody = z.strictObject({});
