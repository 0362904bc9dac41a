// The evaluation's data: the seeded, per-intent splits of banking77 + clinc150 (English) and of
// the hand-written Chinese set. Shared by `npm run eval` (run.ts) and any experiment that must
// see exactly the same splits. Splits never share a question (see eval/README.md).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import type { KnowledgeArticle } from '../infra/ai/lexical-retrieval.js';
import { shuffled, type Question } from './metrics.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataRoot = join(root, '..', 'shared', 'data');

/** Per intent: this share of examples writes the article, then calibration, the rest is test. */
export const articleShare = 0.6;
export const calibrationShare = 0.15;

export interface Dataset {
  articles: KnowledgeArticle[];
  calibration: Question[];
  test: Question[];
  oosCalibration: Question[];
  oosTest: Question[];
  /** Calibration and test questions dropped because an article holds the same text. */
  leaksDropped: number;
}

const titleOf = (intent: string) => intent.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

/** Case, width and punctuation folded: "Why?" and "why" are the same question. */
export const normalised = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

export function english(random: () => number): Dataset {
  const rows = parseCsv(readFileSync(join(dataRoot, 'banking77', 'train.csv'), 'utf8'), { from_line: 2, skip_empty_lines: true }) as string[][];
  const byIntent = new Map<string, string[]>();
  for (const [text, intent] of rows) {
    if (!text || !intent) continue;
    byIntent.set(intent, [...(byIntent.get(intent) ?? []), text]);
  }
  const articles: KnowledgeArticle[] = [];
  const calibration: Question[] = [];
  const test: Question[] = [];
  const articleExamples = new Set<string>();
  for (const intent of [...byIntent.keys()].sort()) {
    const examples = shuffled(byIntent.get(intent)!, random);
    const nArticle = Math.round(examples.length * articleShare);
    const nCalibration = Math.round(examples.length * calibrationShare);
    articles.push({ id: intent, title: titleOf(intent), body: examples.slice(0, nArticle).join('\n'), locale: 'en' });
    for (const text of examples.slice(0, nArticle)) articleExamples.add(normalised(text));
    for (const text of examples.slice(nArticle, nArticle + nCalibration)) calibration.push({ text, articleId: intent });
    for (const text of examples.slice(nArticle + nCalibration)) test.push({ text, articleId: intent });
  }
  // banking77 repeats a few questions (up to case and punctuation): one that also went into an
  // article would be measured on its own text. Dropped after the split, so the shuffle is unchanged.
  const unseen = (question: Question) => !articleExamples.has(normalised(question.text));
  const leaksDropped = calibration.length + test.length - calibration.filter(unseen).length - test.filter(unseen).length;
  const oos = JSON.parse(readFileSync(join(dataRoot, 'clinc150', 'oos_dev.json'), 'utf8')) as Record<string, [string, string][]>;
  // oos_train calibrates (what answering the unanswerable looks like), oos_val is measured.
  const oosCalibration = (oos.oos_train ?? []).map(([text]) => ({ text }));
  const oosTest = (oos.oos_val ?? []).map(([text]) => ({ text }));
  return { articles, calibration: calibration.filter(unseen), test: test.filter(unseen), oosCalibration, oosTest, leaksDropped };
}

interface ChineseSet {
  intents: { id: string; title: string; body: string; questions: string[] }[];
  outOfScope: string[];
}

/** The hand-written set must keep its questions out of its articles: fail loudly, never drop silently. */
function assertNoQuestionInArticles(set: ChineseSet) {
  const articleText = set.intents.map((intent) => normalised(`${intent.title}\n${intent.body}`).replace(/ /g, '')).join('\n');
  const questions = [...set.intents.flatMap((intent) => intent.questions), ...set.outOfScope];
  const leaked = questions.filter((question) => articleText.includes(normalised(question).replace(/ /g, '')));
  const repeated = questions.filter((question, i) => questions.indexOf(question) !== i);
  if (leaked.length || repeated.length) throw new Error(`zh-banking.json: questions in an article: ${JSON.stringify(leaked)}; repeated: ${JSON.stringify(repeated)}`);
}

export function chinese(random: () => number): Dataset {
  const set = JSON.parse(readFileSync(join(root, 'eval', 'data', 'zh-banking.json'), 'utf8')) as ChineseSet;
  assertNoQuestionInArticles(set);
  const articles = set.intents.map((intent) => ({ id: intent.id, title: intent.title, body: intent.body, locale: 'zh-CN' }));
  const calibration: Question[] = [];
  const test: Question[] = [];
  for (const intent of set.intents) {
    const questions = shuffled(intent.questions, random);
    const half = Math.floor(questions.length / 2);
    for (const text of questions.slice(0, half)) calibration.push({ text, articleId: intent.id });
    for (const text of questions.slice(half)) test.push({ text, articleId: intent.id });
  }
  const oos = shuffled(set.outOfScope, random);
  const half = Math.floor(oos.length / 2);
  return {
    articles,
    calibration,
    test,
    oosCalibration: oos.slice(0, half).map((text) => ({ text })),
    oosTest: oos.slice(half).map((text) => ({ text })),
    leaksDropped: 0,
  };
}
