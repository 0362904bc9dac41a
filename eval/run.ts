// `npm run eval`: measures the local AI fallback (lexical retrieval + calibrated confidence) on
// banking77 (English) and a small hand-written Chinese banking set, and out-of-scope refusals on
// clinc150. Prints one JSON line (also written to tmp/eval-latest.json), then a table.
// Splits are seeded and per intent: article text / calibration / test never share a question.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLexicalRetriever, type KnowledgeArticle } from '../infra/ai/lexical-retrieval.js';
import type { CalibrationModel } from '../infra/ai/confidence.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { evaluate, score, seededRandom, shuffled, type LocaleReport, type Question } from './metrics.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataRoot = join(root, '..', 'shared', 'data');
const seed = Number(process.env.EVAL_SEED ?? 77);

/** Per intent: this share of examples writes the article, then calibration, the rest is test. */
const articleShare = 0.6;
const calibrationShare = 0.15;
/** Per locale, the calibration and test questions dropped because an article holds the same text. */
const leaksDropped: Record<string, number> = {};

const titleOf = (intent: string) => intent.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

/** Case, width and punctuation folded: "Why?" and "why" are the same question. */
const normalised = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

function english(random: () => number) {
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
  leaksDropped.en = calibration.length + test.length - calibration.filter(unseen).length - test.filter(unseen).length;
  const oos = JSON.parse(readFileSync(join(dataRoot, 'clinc150', 'oos_dev.json'), 'utf8')) as Record<string, [string, string][]>;
  // oos_train calibrates (what answering the unanswerable looks like), oos_val is measured.
  const oosCalibration = (oos.oos_train ?? []).map(([text]) => ({ text }));
  const oosTest = (oos.oos_val ?? []).map(([text]) => ({ text }));
  return { articles, calibration: calibration.filter(unseen), test: test.filter(unseen), oosCalibration, oosTest };
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

function chinese(random: () => number) {
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
  return { articles, calibration, test, oosCalibration: oos.slice(0, half).map((text) => ({ text })), oosTest: oos.slice(half).map((text) => ({ text })) };
}

const models: Record<string, CalibrationModel> = {};
function run(locale: string, data: ReturnType<typeof english>): LocaleReport {
  const retriever = createLexicalRetriever(data.articles);
  const { report, model } = evaluate(
    score(retriever, data.calibration, locale),
    score(retriever, data.oosCalibration, locale),
    score(retriever, data.test, locale),
    score(retriever, data.oosTest, locale),
    { articles: data.articles.length },
  );
  models[locale] = model;
  return report;
}

const started = performance.now();
// Each locale draws from its own seeded stream, so changing one dataset never reshuffles the other.
const en = run('en', english(seededRandom(seed)));
const zh = run('zh-CN', chinese(seededRandom(seed)));
const result = { at: new Date().toISOString(), seed, split: { articleShare, calibrationShare }, leaksDropped, en, zh, seconds: Math.round(performance.now() - started) / 1000 };
const line = JSON.stringify(result);
console.log(line);
mkdirSync(join(root, 'tmp'), { recursive: true });
writeFileSync(join(root, 'tmp', 'eval-latest.json'), `${line}\n`);
// The fitted calibrations, loadable by createLocalFallback({ calibration }).
writeFileSync(join(root, 'tmp', 'eval-calibration.json'), `${JSON.stringify(models, null, 2)}\n`);

const pct = (x: number) => `${(x * 100).toFixed(1)} %`.padStart(8);
const rows: [string, (r: LocaleReport) => string][] = [
  ['articles / calibration / test / oos test', (r) => `${r.articles} / ${r.calibration} / ${r.test} / ${r.outOfScopeTest}`],
  ['top-1', (r) => pct(r.top1)],
  ['top-3', (r) => pct(r.top3)],
  ['coverage @95 % precision (precision on test)', (r) => `${pct(r.coverageAt95)} (${pct(r.precisionAt95).trim()})`],
  ['coverage @99 % precision (precision on test)', (r) => `${pct(r.coverageAt99)} (${pct(r.precisionAt99).trim()})`],
  ['out-of-scope answered @95 % threshold', (r) => pct(r.outOfScopeFalseAnswersAt95)],
];
console.log(`\n| metric | en (banking77) | zh-CN (eval/data/zh-banking.json) |\n|---|---|---|`);
for (const [name, format] of rows) console.log(`| ${name} | ${format(en)} | ${format(zh)} |`);
console.log(`\n${result.seconds} s`);
