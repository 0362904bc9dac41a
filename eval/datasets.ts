// The evaluation's data: the seeded, per-intent splits of banking77 + clinc150 (English) and of
// the hand-written Chinese set. Shared by `npm run eval` (run.ts) and any experiment that must
// see exactly the same splits. Splits never share a question (see eval/README.md).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { Converter } from 'opencc-js/cn2t';
import type { KnowledgeArticle } from '../infra/ai/lexical-retrieval.js';
import { shuffled, type Question } from './metrics.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataRoot = join(root, 'eval', 'data');

/**
 * Where the data is read from. Each can be swapped for data of the same shape that was never
 * looked at while building the fallback (eval/README.md, "Other data").
 */
export const sources = {
  /** `text,label` rows with a header line: articles, calibration and (without a test file) test. */
  englishCsv: process.env.EVAL_EN_CSV ?? join(dataRoot, 'banking77', 'train.csv'),
  /** Optional separate test rows of the same shape: then the whole first file builds and calibrates. */
  englishTestCsv: process.env.EVAL_EN_TEST_CSV,
  /** clinc150's shape: `oos_train` calibrates, `oos_test` (else `oos_val`) is measured. */
  outOfScopeJson: process.env.EVAL_OOS_JSON ?? join(dataRoot, 'clinc150', 'oos_dev.json'),
  /** articles.json, examples-*.json and questions-*.json (see the Chinese set). */
  chineseDir: process.env.EVAL_ZH_DIR ?? join(root, 'eval', 'data', 'zh-banking'),
};

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
  const byIntent = labelledRows(sources.englishCsv);
  const testByIntent = sources.englishTestCsv ? labelledRows(sources.englishTestCsv) : undefined;
  // With a separate test file, the first file's examples go to articles and calibration alone, in
  // the same proportion as without one.
  const shareOfArticles = testByIntent ? articleShare / (articleShare + calibrationShare) : articleShare;
  const shareOfCalibration = testByIntent ? 1 - shareOfArticles : calibrationShare;
  const articles: KnowledgeArticle[] = [];
  const calibration: Question[] = [];
  const test: Question[] = [];
  const articleExamples = new Set<string>();
  for (const intent of [...byIntent.keys()].sort()) {
    const examples = shuffled(byIntent.get(intent)!, random);
    const nArticle = Math.round(examples.length * shareOfArticles);
    const nCalibration = Math.round(examples.length * shareOfCalibration);
    articles.push({ id: intent, title: titleOf(intent), body: examples.slice(0, nArticle).join('\n'), locale: 'en' });
    for (const text of examples.slice(0, nArticle)) articleExamples.add(normalised(text));
    for (const text of examples.slice(nArticle, nArticle + nCalibration)) calibration.push({ text, articleId: intent });
    for (const text of testByIntent?.get(intent) ?? examples.slice(nArticle + nCalibration)) test.push({ text, articleId: intent });
  }
  // banking77 repeats a few questions (up to case and punctuation): one that also went into an
  // article would be measured on its own text. Dropped after the split, so the shuffle is unchanged.
  const unseen = (question: Question) => !articleExamples.has(normalised(question.text));
  const leaksDropped = calibration.length + test.length - calibration.filter(unseen).length - test.filter(unseen).length;
  const oos = JSON.parse(readFileSync(sources.outOfScopeJson, 'utf8')) as Record<string, [string, string][]>;
  // oos_train calibrates (what answering the unanswerable looks like), oos_test or oos_val is measured.
  const oosCalibration = (oos.oos_train ?? []).map(([text]) => ({ text }));
  const oosTest = (oos.oos_test ?? oos.oos_val ?? []).map(([text]) => ({ text }));
  return { articles, calibration: calibration.filter(unseen), test: test.filter(unseen), oosCalibration, oosTest, leaksDropped };
}

/** Per intent, its examples in file order; rows without text or label are skipped. */
function labelledRows(path: string): Map<string, string[]> {
  const rows = parseCsv(readFileSync(path, 'utf8'), { from_line: 2, skip_empty_lines: true }) as string[][];
  const byIntent = new Map<string, string[]>();
  for (const [text, intent] of rows) {
    if (!text || !intent) continue;
    byIntent.set(intent, [...(byIntent.get(intent) ?? []), text]);
  }
  return byIntent;
}

function readJson<T>(directory: string, file: string): T {
  return JSON.parse(readFileSync(join(directory, file), 'utf8')) as T;
}

/**
 * examples-*.json: example questions written into the articles; questions-*.json: held-out
 * questions (calibration and test only), by other authors than the examples.
 */
const filesOf = (directory: string, prefix: 'examples-' | 'questions-') =>
  readdirSync(directory)
    .filter((file) => file.startsWith(prefix) && file.endsWith('.json'))
    .sort();

/**
 * An author's file names only known intents and repeats nothing, and an examples file covers
 * every intent: fail loudly, never drop silently.
 */
function checkedAuthor(directory: string, file: string, intentIds: string[], { everyIntent }: { everyIntent: boolean }): AuthoredSet {
  const set = readJson<AuthoredSet>(directory, file);
  const missing = everyIntent ? intentIds.filter((id) => !set.intents[id]?.length) : [];
  const unknown = Object.keys(set.intents).filter((id) => !intentIds.includes(id));
  const texts = [...Object.values(set.intents).flat(), ...(set.outOfScope ?? []), ...(set.nearMisses ?? [])].map(normalised);
  const repeated = texts.filter((text, i) => texts.indexOf(text) !== i);
  if (missing.length || unknown.length || repeated.length) {
    throw new Error(
      `${join(directory, file)}: missing intents ${JSON.stringify(missing)}, unknown ${JSON.stringify(unknown)}, repeated ${JSON.stringify(repeated)}`,
    );
  }
  return set;
}

interface AuthoredSet {
  author: string;
  intents: Record<string, string[]>;
  outOfScope?: string[];
  /** Out of scope too, sharing the help center's words: measured apart (the new-domain sets). */
  nearMisses?: string[];
}

/**
 * A hand-written help center (the Chinese banking set, the online-shop sets): each article is its
 * prose page (title + body) and, unless `withExamples` is false, the example questions other
 * authors wrote for it (as the English articles are written from banking77's examples).
 * Calibration and test are the held-out authors' questions, half each.
 */
export function helpCenterSet(path: string, locale: string, random: () => number, { withExamples = true } = {}): Dataset {
  const pages = readJson<{ articles: { id: string; title: string; body: string; pair?: string }[] }>(path, 'articles.json').articles;
  const ids = pages.map((page) => page.id);
  const examples = filesOf(path, 'examples-').map((file) => checkedAuthor(path, file, ids, { everyIntent: true }));
  const heldOut = filesOf(path, 'questions-').map((file) => checkedAuthor(path, file, ids, { everyIntent: false }));
  const articles = pages.map((page) => ({
    ...page,
    locale,
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
    const questions = shuffled(
      heldOut.flatMap((set) => set.intents[id] ?? []),
      random,
    );
    const half = Math.floor(questions.length / 2);
    questions.forEach((text, i) => unseen(text) && (i < half ? calibration : test).push({ text, articleId: id }));
  }
  const outOfScope: Question[] = shuffled(
    heldOut.flatMap((set) => [...(set.outOfScope ?? []).map((text) => ({ text })), ...(set.nearMisses ?? []).map((text) => ({ text, nearMiss: true }))]),
    random,
  );
  const half = Math.floor(outOfScope.length / 2);
  const oosCalibration: Question[] = [];
  const oosTest: Question[] = [];
  outOfScope.forEach((question, i) => unseen(question.text) && (i < half ? oosCalibration : oosTest).push(question));
  return { articles, calibration, test, oosCalibration, oosTest, leaksDropped };
}

/** The Chinese banking help center (`EVAL_ZH_DIR`, default eval/data/zh-banking). */
export const chinese = (random: () => number, options: { withExamples?: boolean } = {}) => helpCenterSet(sources.chineseDir, 'zh-CN', random, options);

/** Another domain, an online shop in both languages: measured as it is, never tuned on. */
export const shopSets = [
  { name: 'en-shop', locale: 'en', path: join(root, 'eval', 'data', 'en-shop') },
  { name: 'zh-shop', locale: 'zh-CN', path: join(root, 'eval', 'data', 'zh-shop') },
] as const;

/**
 * Two more domains, each written natively in both languages (eval/data/*-saas, *-telecom; issue
 * 20 item 7): a SaaS product's help center and a mobile network's. Measured only as the product
 * would run on them, with the calibration it fits for each knowledge base on its own.
 */
export const newDomainSets = (['en-saas', 'zh-saas', 'en-telecom', 'zh-telecom'] as const).map((name) => ({
  name,
  locale: name.startsWith('zh') ? 'zh-CN' : 'en',
  path: join(dataRoot, name),
}));

/** As many example questions per article as the new domains' articles have. */
export const fewExamples = 8;

/**
 * The same data with at most `perArticle` example questions per article, spread over its list (both
 * authors' alike): the development sets as thin as a knowledge base whose admin wrote a few.
 */
export function withFewerExamples(data: Dataset, perArticle: number): Dataset {
  const fewer = (questions: readonly string[]) => {
    const step = Math.max(1, Math.ceil(questions.length / perArticle));
    return questions.filter((_, i) => i % step === 0);
  };
  return { ...data, articles: data.articles.map((article) => ({ ...article, questions: fewer(article.questions ?? []) })) };
}

/**
 * The same data with every question in Traditional script, as customers in Taiwan and Hong Kong
 * type them (OpenCC's Simplified → Taiwan conversion, words included); the articles stay Simplified.
 */
export function inTraditionalScript(data: Dataset): Dataset {
  const traditional = Converter({ from: 'cn', to: 'twp' });
  const convert = (questions: Question[]) => questions.map((question) => ({ ...question, text: traditional(question.text) }));
  return {
    ...data,
    calibration: convert(data.calibration),
    test: convert(data.test),
    oosCalibration: convert(data.oosCalibration),
    oosTest: convert(data.oosTest),
  };
}
