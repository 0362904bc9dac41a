// The bot's recalibration on the organisation's own knowledge base (workflows/knowledge-calibration.ts):
// fits every locale from its published articles and the customers' verdicts, and stores each fit as a
// new version (infra/ai/calibration-store.ts), which the bot then uses.
import { recalibrateKnowledgeBase } from '../infra/ai/calibration-store.js';
import type { Db } from '../infra/db.js';
import type { CalibrationTrigger } from '../workflows/knowledge-calibration.messages.js';

export interface CalibrationActivities {
  /** Fits and stores a new calibration version per locale; returns what was stored. */
  recalibrateKnowledgeBase(input: { trigger: CalibrationTrigger }): Promise<{ locale: string; version: number; fitted: boolean }[]>;
}

export function createCalibrationActivities({ db }: { db: Db }): CalibrationActivities {
  return {
    async recalibrateKnowledgeBase({ trigger }) {
      const stored = await recalibrateKnowledgeBase(db, trigger);
      return stored.map((calibration) => ({ locale: calibration.locale, version: calibration.version, fitted: calibration.model !== null }));
    },
  };
}
