// `npm run bench:search`: knowledge-search latency on PostgreSQL (infra/search/postgres-search.ts)
// at 10,000 articles. Starts an embedded PostgreSQL in a temporary folder on a free port,
// migrates it, inserts generated articles (half en, half zh-CN, segmented exactly as the API
// does), then times sequential searches. Prints one JSON line on stdout, then a table on stderr.
//
// The articles are built from the demo articles' own words (prisma/demo-data.ts) plus generated
// filler words, drawn with a Zipf-like skew so that a few words are common and most are rare, as
// in real text. Each query takes 2-5 words from one random article (so there is a right answer);
// one in five has a typo in one word, and one in ten is a title with a typo (similarity path).
// Besides latency it reports quality, so that a faster search cannot pass by finding less: how
// often that article is the first hit, and how often it is among the 10 hits.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../infra/db.js';
import { startEmbeddedPostgres } from '../infra/local/postgres.js';
import { createPostgresSearch } from '../infra/search/postgres-search.js';
import { segment, searchTextOf } from '../infra/search/text.js';
import { applyMigrations } from '../prisma/migrate/migrations.js';
import { demoArticles } from '../prisma/demo-data.js';
import { freePort } from './support/free-port.js';
import { summarize } from './support/stats.js';

const articleCount = Number(process.env.BENCH_ARTICLES ?? 10_000);
const queryCount = Number(process.env.BENCH_QUERIES ?? 500);
const warmupQueries = 50;
const targetP95Ms = 20;
const log = (line: string) => process.stderr.write(`[bench:search] ${line}\n`);

// A small seeded PRNG (mulberry32): the same articles and queries on every run.
let seed = 0x5ea41e55;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
/** Log-uniform rank: index k drawn with probability about 1/((k+1)·ln n). */
const zipfPick = <T>(items: readonly T[]): T => items[Math.min(items.length - 1, Math.floor(items.length ** random()) - 1)]!;

function vocabulary(locale: 'en' | 'zh-CN'): string[] {
  const words = new Set(demoArticles.filter((article) => article.locale === locale).flatMap((article) => segment(`${article.title} ${article.body}`)));
  const syllables =
    locale === 'en'
      ? ['ka', 'lo', 'mi', 'ren', 'sto', 'var', 'den', 'qui', 'pex', 'tor', 'ula', 'bri']
      : [...'账户卡片转账充值退款汇率身份验证订单支付商户余额邮寄密码'];
  // Filler words, so that the vocabulary is as large as a real knowledge base's.
  while (words.size < 6000) words.add(Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(syllables)).join(''));
  // Shuffle, so that which words are common is not the demo text's order.
  return [...words].sort(() => random() - 0.5);
}

function typo(word: string): string {
  if (word.length < 4) return word;
  const at = 1 + Math.floor(random() * (word.length - 2));
  return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2); // swap two letters
}

interface Generated {
  locale: 'en' | 'zh-CN';
  title: string;
  body: string;
}

function generate(locale: 'en' | 'zh-CN', words: string[], index: number): Generated {
  const join = (parts: string[]) => parts.join(locale === 'en' ? ' ' : '');
  const title = join(Array.from({ length: 3 + Math.floor(random() * 4) }, () => zipfPick(words)));
  const paragraphs = Array.from({ length: 3 + Math.floor(random() * 3) }, () =>
    join(Array.from({ length: 25 + Math.floor(random() * 30) }, () => zipfPick(words))),
  );
  return { locale, title: `${title} ${index}`, body: paragraphs.join('\n\n') };
}

// Other processes on the machine slow the run down: the load average says how busy it was.
const loadAverage = os.loadavg().map((load) => Math.round(load * 100) / 100);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-bench-search-'));
const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'seamless_bench_search' });
const db = createDb(postgres.url, { poolSize: 4 });
try {
  await applyMigrations(postgres.url);
  const vocabularies = { en: vocabulary('en'), 'zh-CN': vocabulary('zh-CN') } as const;

  const loadStarted = performance.now();
  const articles: Generated[] = [];
  for (let i = 0; i < articleCount; i++) {
    const locale = i % 2 === 0 ? 'en' : 'zh-CN';
    articles.push(generate(locale, vocabularies[locale], i));
  }
  let segmentMs = 0;
  for (let start = 0; start < articles.length; start += 500) {
    const batch = articles.slice(start, start + 500);
    const segmentStarted = performance.now();
    const data = batch.map((article, offset) => ({
      locale: article.locale,
      slug: `bench-${start + offset}`,
      title: article.title,
      body: article.body,
      searchText: searchTextOf(article.title, article.body),
      status: (start + offset) % 10 === 9 ? ('draft' as const) : ('published' as const),
    }));
    segmentMs += performance.now() - segmentStarted;
    await db.knowledgeArticle.createMany({ data });
  }
  await db.$executeRawUnsafe('ANALYZE "KnowledgeArticle"');
  const loadMs = performance.now() - loadStarted;
  log(`${articleCount} articles loaded in ${(loadMs / 1000).toFixed(1)} s (segmentation ${(segmentMs / 1000).toFixed(1)} s)`);

  const queries: { text: string; locale: 'en' | 'zh-CN'; kind: 'words' | 'words+typo' | 'title typo'; slug: string; published: boolean }[] = [];
  for (let i = 0; i < warmupQueries + queryCount; i++) {
    const articleIndex = Math.floor(random() * articles.length);
    const article = articles[articleIndex]!;
    // The article the query was taken from is its right answer (unless it is a draft).
    const source = { slug: `bench-${articleIndex}`, published: articleIndex % 10 !== 9 };
    const roll = random();
    if (roll < 0.1 && article.locale === 'en') {
      const words = article.title.split(' ');
      queries.push({ text: words.map((word, at) => (at === 1 ? typo(word) : word)).join(' '), locale: 'en', kind: 'title typo', ...source });
      continue;
    }
    const words = segment(`${article.title} ${article.body}`);
    const chosen = Array.from({ length: 2 + Math.floor(random() * 4) }, () => pick(words));
    const withTypo = article.locale === 'en' && roll < 0.3;
    if (withTypo) chosen[0] = typo(chosen[0]!);
    queries.push({ text: chosen.join(article.locale === 'en' ? ' ' : ''), locale: article.locale, kind: withTypo ? 'words+typo' : 'words', ...source });
  }

  const search = createPostgresSearch(db);
  for (const query of queries.slice(0, warmupQueries)) await search.search(query.text, { locale: query.locale, publishedOnly: true });
  const samples: number[] = [];
  const byKind = new Map<string, number[]>();
  let empty = 0;
  // Quality: how often the article a query was taken from comes first, and is among the 10 hits.
  let answerable = 0;
  let foundFirst = 0;
  let foundInHits = 0;
  for (const query of queries.slice(warmupQueries)) {
    const started = performance.now();
    const hits = await search.search(query.text, { locale: query.locale, publishedOnly: true, limit: 10 });
    const elapsed = performance.now() - started;
    samples.push(elapsed);
    byKind.set(`${query.locale} ${query.kind}`, [...(byKind.get(`${query.locale} ${query.kind}`) ?? []), elapsed]);
    if (hits.length === 0) empty++;
    if (query.published) {
      answerable++;
      const at = hits.findIndex((hit) => hit.slug === query.slug);
      if (at === 0) foundFirst++;
      if (at !== -1) foundInHits++;
    }
  }

  const latency = summarize(samples);
  const report = {
    benchmark: 'knowledge-search',
    backend: 'postgresql',
    articles: articleCount,
    queries: queryCount,
    warmupQueries,
    loadSeconds: Math.round(loadMs / 100) / 10,
    emptyResults: empty,
    quality: { answerable, sourceFirst: share(foundFirst, answerable), sourceInTop10: share(foundInHits, answerable) },
    latencyMs: latency,
    latencyMsByKind: Object.fromEntries([...byKind].sort().map(([kind, values]) => [kind, summarize(values)])),
    target: { p95Ms: targetP95Ms, met: (latency.p95 ?? Infinity) < targetP95Ms },
    node: process.version,
    cpus: os.cpus().length,
    loadAverage,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  const rows = [
    ['queries', 'count', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    ['all', ...cells(latency)],
    ...Object.entries(report.latencyMsByKind).map(([kind, summary]) => [kind, ...cells(summary)]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows)
    process.stderr.write(`${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')}\n`);
  process.stderr.write(`source article first: ${report.quality.sourceFirst}, in top 10: ${report.quality.sourceInTop10} (of ${answerable} published)\n`);
  process.stderr.write(`target p95 < ${targetP95Ms} ms: ${report.target.met ? 'met' : 'NOT met'}\n`);
} finally {
  await db.$disconnect();
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
}

function cells(summary: ReturnType<typeof summarize>): string[] {
  return [String(summary.count), String(summary.p50 ?? '-'), String(summary.p95 ?? '-'), String(summary.p99 ?? '-'), String(summary.max ?? '-')];
}

function share(count: number, of: number): number | null {
  return of === 0 ? null : Math.round((count / of) * 1000) / 1000;
}
