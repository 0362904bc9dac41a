// Two more domains in both languages (data/en-saas, zh-saas, en-telecom, zh-telecom; issue 20
// item 7), measured only the way the product runs on a knowledge base it was never tuned on: the
// local bot (`createLocalFallback`, decisive-term check on) with the calibration fitted for that
// knowledge base on its own (its example questions and near-miss negatives,
// infra/ai/knowledge-base-calibration.ts), else the shipped one, at the threshold it answers at.
// Every held-out question is asked (both halves of the split: nothing here is fitted on them).
import { createLexicalRetriever } from '../infra/ai/lexical-retrieval.js';
import type { CalibrationModel } from '../infra/ai/confidence.js';
import { calibratedPrecision, fitKnowledgeBaseCalibration } from '../infra/ai/knowledge-base-calibration.js';
import { createLocalFallback } from '../infra/ai/local-fallback.js';
import { helpCenterSet, newDomainSets } from './datasets.js';
import { seededRandom } from './metrics.js';

export interface NewDomainReport {
  name: string;
  calibration: 'own' | 'shipped';
  threshold: number;
  articles: number;
  questions: number;
  outOfScope: number;
  nearMisses: number;
  /** Share of in-scope questions answered (with any article). */
  answered: number;
  /** Right answers over all answers, out-of-scope and near-miss answers counted wrong. */
  precision: number;
  /** Shares of the generic out-of-scope and of the near-miss questions answered: every one is wrong. */
  outOfScopeAnswered: number;
  nearMissAnswered: number;
  /** Share of in-scope questions whose article the retriever ranks first. */
  top1: number;
  /** In-scope questions answered by "Do you mean A or B?" instead. */
  clarified: number;
  /** Questions about one of a pair of sibling articles answered with the other one (the target is 0). */
  siblingQuestions: number;
  siblingSwaps: number;
}

export async function newDomainReports(shipped: Record<string, CalibrationModel>, seed: number): Promise<NewDomainReport[]> {
  const reports: NewDomainReport[] = [];
  for (const set of newDomainSets)
    for (const withExamples of [true, false]) {
      const data = helpCenterSet(set.path, set.locale, seededRandom(seed), { withExamples });
      const fit = fitKnowledgeBaseCalibration(data.articles, set.locale);
      const own = fit.model ?? undefined;
      const ai = createLocalFallback({ calibrations: shipped });
      const retriever = createLexicalRetriever(data.articles);
      const pairOf = new Map(data.articles.map((article) => [article.id, (article as { pair?: string }).pair]));
      const questions = [...data.calibration, ...data.test];
      const outOfScope = [...data.oosCalibration, ...data.oosTest];
      let [answered, right, top1, clarified, siblingQuestions, siblingSwaps, generic, nearMiss] = [0, 0, 0, 0, 0, 0, 0, 0];
      // The bot's own rule (local-fallback.ts): the knowledge base's calibration at its threshold, else the shipped one's.
      const threshold = (own ?? shipped[set.locale])?.thresholds[calibratedPrecision] ?? 1;
      for (const question of questions) {
        if (retriever.retrieve(question.text, { locale: set.locale, limit: 1 })[0]?.articleId === question.articleId) top1 += 1;
        const result = await ai.answer(question.text, data.articles, own ? { calibration: own } : {});
        const pair = pairOf.get(question.articleId!);
        if (pair) siblingQuestions += 1;
        if ('answer' in result) {
          answered += 1;
          const cited = result.citations[0];
          if (cited === question.articleId) right += 1;
          else if (pair && cited && pairOf.get(cited) === pair) siblingSwaps += 1;
        } else if (result.reason === 'ambiguous') clarified += 1;
      }
      for (const question of outOfScope) {
        const result = await ai.answer(question.text, data.articles, own ? { calibration: own } : {});
        if ('answer' in result && question.nearMiss) nearMiss += 1;
        else if ('answer' in result) generic += 1;
      }
      const nearMisses = outOfScope.filter((question) => question.nearMiss).length;
      const wrongOutOfScope = generic + nearMiss;
      reports.push({
        name: `${set.name}${withExamples ? '' : ', pages only'}`,
        calibration: own ? 'own' : 'shipped',
        threshold,
        articles: data.articles.length,
        questions: questions.length,
        outOfScope: outOfScope.length - nearMisses,
        nearMisses,
        answered: answered / questions.length,
        precision: answered + wrongOutOfScope ? right / (answered + wrongOutOfScope) : 1,
        outOfScopeAnswered: generic / Math.max(1, outOfScope.length - nearMisses),
        nearMissAnswered: nearMiss / Math.max(1, nearMisses),
        top1: top1 / questions.length,
        clarified: clarified / questions.length,
        siblingQuestions,
        siblingSwaps,
      });
    }
  return reports;
}
