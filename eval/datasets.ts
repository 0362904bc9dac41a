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

const chineseDir = join(root, 'eval', 'data', 'zh-banking');
/** Example phrasings written into the articles (authors who never saw the held-out questions). */
const chineseExampleFiles = ['examples-a.json', 'examples-b.json'];
/** Held-out questions: calibration and test only, by other authors than the examples. */
const chineseQuestionFiles = ['questions-1.json', 'questions-c.json', 'questions-d.json'];

interface AuthoredSet {
  author: string;
  intents: Record<string, string[]>;
  outOfScope?: string[];
}

function readChinese<T>(file: string): T {
  return JSON.parse(readFileSync(join(chineseDir, file), 'utf8')) as T;
}

/**
 * An author's file names only known intents and repeats nothing, and an examples file covers
 * every intent: fail loudly, never drop silently.
 */
function checkedAuthor(file: string, intentIds: string[], { everyIntent }: { everyIntent: boolean }): AuthoredSet {
  const set = readChinese<AuthoredSet>(file);
  const missing = everyIntent ? intentIds.filter((id) => !set.intents[id]?.length) : [];
  const unknown = Object.keys(set.intents).filter((id) => !intentIds.includes(id));
  const texts = [...Object.values(set.intents).flat(), ...(set.outOfScope ?? [])].map(normalised);
  const repeated = texts.filter((text, i) => texts.indexOf(text) !== i);
  if (missing.length || unknown.length || repeated.length) {
    throw new Error(`zh-banking/${file}: missing intents ${JSON.stringify(missing)}, unknown ${JSON.stringify(unknown)}, repeated ${JSON.stringify(repeated)}`);
  }
  return set;
}

/**
 * The Chinese help center: each article is its prose page (title + body) and, unless
 * `withExamples` is false, the example questions two other authors wrote for it (as the English
 * articles are written from banking77's examples). Calibration and test are the held-out
 * authors' questions, half each.
 */
export function chinese(random: () => number, { withExamples = true } = {}): Dataset {
  const pages = readChinese<{ articles: { id: string; title: string; body: string }[] }>('articles.json').articles;
  const ids = pages.map((page) => page.id);
  const examples = chineseExampleFiles.map((file) => checkedAuthor(file, ids, { everyIntent: true }));
  const heldOut = chineseQuestionFiles.map((file) => checkedAuthor(file, ids, { everyIntent: false }));
  const articles = pages.map((page) => ({
    ...page,
    locale: 'zh-CN',
    questions: withExamples ? examples.flatMap((set) => set.intents[page.id]!) : [],
  }));

  // Independent authors may write the same short question ("卡丢了"): one that is also an example,
  // another author's question, or a phrase of a page would be measured on its own text. Dropped
  // and counted, after the shuffle, so the split does not depend on it.
  const seen = new Set(examples.flatMap((set) => Object.values(set.intents).flat()).map(normalised));
  const pageText = pages.map((page) => normalised(`${page.title}\n${page.body}`).replace(/ /g, '')).join('\n');
  let leaksDropped = 0;
  const unseen = (text: string) => {
    const key = normalised(text);
    if (seen.has(key) || pageText.includes(key.replace(/ /g, ''))) return (leaksDropped++, false);
    seen.add(key);
    return true;
  };
  const calibration: Question[] = [];
  const test: Question[] = [];
  for (const id of ids) {
    const questions = shuffled(heldOut.flatMap((set) => set.intents[id] ?? []), random);
    const half = Math.floor(questions.length / 2);
    questions.forEach((text, i) => unseen(text) && (i < half ? calibration : test).push({ text, articleId: id }));
  }
  const outOfScope = shuffled(heldOut.flatMap((set) => set.outOfScope ?? []), random);
  const half = Math.floor(outOfScope.length / 2);
  const oosCalibration: Question[] = [];
  const oosTest: Question[] = [];
  outOfScope.forEach((text, i) => unseen(text) && (i < half ? oosCalibration : oosTest).push({ text }));
  return { articles, calibration, test, oosCalibration, oosTest, leaksDropped };
}
