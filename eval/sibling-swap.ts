// The sibling-swap set (data/sibling-swap/): pairs of articles that differ in one decisive term
// (an action and its opposite, a negation, two product names one letter apart), in English and
// Chinese, with held-out questions for each side. What the product's local bot does with each
// question (shipped calibration, at the default 99 % threshold and at 95 %): answers with its own
// article, answers with another one (a swap answered wrongly: the target is 0), asks which one of
// two articles is meant (its own among them), or refuses. The same with the decisive-term check
// off shows what the check changes. `decisiveCost` measures what the check costs on the other sets:
// the answers it turns into clarifying questions at the 95 % threshold, right and wrong ones.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CalibrationModel } from '../infra/ai/confidence.js';
import { confidenceFeatures, confidenceOf } from '../infra/ai/confidence.js';
import { createDecisiveTerms } from '../infra/ai/decisive-terms.js';
import { createLexicalRetriever, type KnowledgeArticle } from '../infra/ai/lexical-retrieval.js';
import { createLocalFallback } from '../infra/ai/local-fallback.js';
import type { Dataset } from './datasets.js';

const here = dirname(fileURLToPath(import.meta.url));

interface SwapSet {
  articles: (KnowledgeArticle & { pair: string })[];
  /** `article` null: no article answers it (a product with the sibling's action): any answer is wrong. */
  questions: { article: string | null; text: string }[];
}

export const swapLocales = ['en', 'zh-CN'] as const;

export function swapSet(locale: (typeof swapLocales)[number]): SwapSet {
  const raw = JSON.parse(readFileSync(join(here, 'data', 'sibling-swap', `${locale}.json`), 'utf8')) as SwapSet;
  const ids = new Set(raw.articles.map((article) => article.id));
  for (const question of raw.questions)
    if (question.article !== null && !ids.has(question.article)) throw new Error(`sibling-swap ${locale}: unknown article ${question.article}`);
  return { articles: raw.articles.map((article) => ({ ...article, locale })), questions: raw.questions };
}

export interface SwapReport {
  locale: string;
  threshold: '0.95' | '0.99';
  decisiveTerms: boolean;
  questions: number;
  answeredRight: number;
  /** Answered with another article than the question's own: the target is 0. */
  answeredWrongly: number;
  /** Asked which of two articles is meant, the question's own among them (any, for a question no article answers). */
  clarifiedWithOwn: number;
  clarifiedWithout: number;
  refused: number;
}

export async function siblingSwapReports(calibrations: Record<string, CalibrationModel>): Promise<SwapReport[]> {
  const reports: SwapReport[] = [];
  for (const locale of swapLocales) {
    const { articles, questions } = swapSet(locale);
    for (const threshold of ['0.99', '0.95'] as const)
      for (const decisiveTerms of [true, false]) {
        const ai = createLocalFallback({ calibrations, threshold: calibrations[locale]!.thresholds[threshold], decisiveTerms });
        const report: SwapReport = {
          locale,
          threshold,
          decisiveTerms,
          questions: questions.length,
          answeredRight: 0,
          answeredWrongly: 0,
          clarifiedWithOwn: 0,
          clarifiedWithout: 0,
          refused: 0,
        };
        for (const question of questions) {
          const result = await ai.answer(question.text, articles);
          if ('answer' in result) {
            if (result.citations[0] === question.article) report.answeredRight += 1;
            else report.answeredWrongly += 1;
          } else if (result.reason === 'ambiguous') {
            if (question.article === null || result.choices?.includes(question.article)) report.clarifiedWithOwn += 1;
            else report.clarifiedWithout += 1;
          } else report.refused += 1;
        }
        reports.push(report);
      }
  }
  return reports;
}

/** On a set's test questions at its own 95 % threshold: the answers the decisive-term check turns into clarifying questions. */
export function decisiveCost(data: Dataset, locale: string, model: CalibrationModel) {
  const retriever = createLexicalRetriever(data.articles);
  const decisive = createDecisiveTerms(data.articles);
  const threshold = model.thresholds['0.95'] ?? Infinity;
  let [answered, right, wrong] = [0, 0, 0];
  let [rightClarified, wrongClarified] = [0, 0];
  for (const question of [...data.test, ...data.oosTest]) {
    const hits = retriever.retrieve(question.text, { locale, limit: 3 });
    const top = hits[0];
    if (!top || confidenceOf(model, confidenceFeatures(hits)) < threshold) continue;
    answered += 1;
    const correct = top.articleId === question.articleId;
    if (correct) right += 1;
    else wrong += 1;
    const clarified = hits.slice(1, 3).some((hit) => decisive.check(question.text, top.articleId, hit.articleId, hit.score / top.score).kind === 'ambiguous');
    if (clarified && correct) rightClarified += 1;
    if (clarified && !correct) wrongClarified += 1;
  }
  return { answered, right, wrong, rightClarified, wrongClarified };
}
