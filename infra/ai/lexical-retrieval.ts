// Local, in-memory lexical retrieval over knowledge articles: the AI fallback's "search".
// Each article is cut into passages (its title, its sentences / lines, its example questions).
// Texts become TF-IDF vectors over feature families, each L2-normalised on its own and weighted:
//   w: words (stemmed English, jieba Chinese)    b: word bigrams (keeps "not working" apart)
//   c: character 4-grams of English words (typos, compounds)    p: nearby content-word pairs
//   h: Han character bigrams    u: Han characters    k: nearby Han character pairs
// An article scores as a mix of its centroid's cosine (all its passages together: what the
// article is about) and its best passages' cosine (the closest single phrasing). Both are
// cosines, so scores sit in [0, 1] and are comparable across queries, which the confidence
// model relies on.
import { tokenize } from './tokenize.js';

export interface KnowledgeArticle {
  id: string;
  title: string;
  body: string;
  locale: string;
  /**
   * Example questions: how customers ask for this article in their own words ("卡丢了咋办").
   * They rank the article like its passages but are never quoted as an answer.
   */
  questions?: readonly string[];
}

export interface RetrieveOptions {
  /** Only articles of this locale (e.g. 'en', 'zh-CN'); default: the query's index of 'en'. */
  locale: string;
  /** How many hits to return (default 5). */
  limit?: number;
}

export interface RetrievalHit {
  articleId: string;
  /** Combined cosine score in [0, 1]. */
  score: number;
  /**
   * The article body's passage closest to the query; when the title or an example question is
   * closer (the question asks what the article is about), the body's first passage, which usually
   * says just that (the title when the body is empty).
   */
  passage: string;
  /** Share of the query's information (IDF-weighted words and Han characters) found in this article's vocabulary. */
  coverage: number;
  /**
   * That found information itself, in units of the highest IDF: how much the match rests on. A
   * greeting ("你好", "anyone there?") is fully covered by any article full of example questions,
   * but only by words too common to mean anything.
   */
  information: number;
}

export interface RetrieverWeights {
  words: number;
  bigrams: number;
  charGrams: number;
  hanBigrams: number;
  /** Han characters (stop characters removed): 丢 meets 丢失 and 弄丢 without a synonym list. */
  hanChars: number;
  /** Pairs of content words up to three apart, order-free ("card … arrived" = "arrived … card"). */
  wordPairs: number;
  /** Pairs of nearby Han characters, order-free (丢…卡 = 卡…丢): see `hanPairs` in tokenize.ts. */
  hanPairs: number;
  /** Weight of the centroid cosine against the best-passages cosine (0..1). */
  centroid: number;
  /** How many best passages are averaged for the passage score. */
  topPassages: number;
  /** The title counts as this many passages in the centroid. */
  titleWeight: number;
}

export const defaultRetrieverWeights: RetrieverWeights = {
  words: 1,
  bigrams: 1,
  charGrams: 0.5,
  hanBigrams: 0.5,
  hanChars: 1,
  wordPairs: 0.5,
  hanPairs: 1,
  centroid: 0.5,
  topPassages: 3,
  titleWeight: 2,
};

export interface LexicalRetriever {
  retrieve(query: string, options: RetrieveOptions): RetrievalHit[];
  /** The locales that have at least one article. */
  locales(): string[];
}

type Family = 'w' | 'b' | 'c' | 'h' | 'u' | 'p' | 'k';
/**
 * The families whose terms count for `coverage`: words, and Han characters for Chinese, where a
 * question segmented differently from the article (卡掉了 / 丢失) would otherwise look uncovered.
 */
const coverageFamilies = new Set<Family>(['w', 'u']);
/** A sparse vector: its terms and their weights, in the same order (arrays: an index builds thousands). */
interface Vector {
  terms: string[];
  values: number[];
}
/** The passages (or articles) that hold a term, and the term's weight in each, in the same order. */
interface Postings {
  docs: number[];
  weights: number[];
}

/**
 * Term counts already computed, by locale and text: many indexes over the same articles (a
 * knowledge base's own calibration builds some 25, each without a few articles or questions)
 * tokenise and segment each text once. It keeps every text it has seen, so it lives as long as
 * that one piece of work, never longer.
 */
export type TermCache = Map<string, ReadonlyMap<string, number>>;

/** Term counts of a text through `cache` when there is one (the same counts, computed once). */
function cachedTermCounts(text: string, locale: string, cache: TermCache | undefined): ReadonlyMap<string, number> {
  if (!cache) return termCounts(text, locale);
  const key = `${locale}\u0000${text}`;
  let counts = cache.get(key);
  if (!counts) cache.set(key, (counts = termCounts(text, locale)));
  return counts;
}

/** Raw term counts of a text, keys prefixed by feature family ("w:card", "b:card_arriv"). */
function termCounts(text: string, locale: string): Map<string, number> {
  const { words, hanBigrams, hanChars, hanPairs, sequence } = tokenize(text, { locale });
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const word of words) add(`w:${word}`);
  for (let i = 0; i + 1 < sequence.length; i++) add(`b:${sequence[i]}_${sequence[i + 1]}`);
  for (const word of words) {
    if (!/^[a-z]+$/.test(word) || word.length < 3) continue;
    const padded = `#${word}#`;
    for (let i = 0; i + 4 <= padded.length; i++) add(`c:${padded.slice(i, i + 4)}`);
  }
  for (const gram of hanBigrams) add(`h:${gram}`);
  for (const char of hanChars) add(`u:${char}`);
  for (const pair of hanPairs) add(`k:${pair}`);
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j < Math.min(words.length, i + 4); j++) {
      if (words[i] !== words[j]) add(`p:${[words[i], words[j]].sort().join('_')}`);
    }
  }
  return counts;
}

/** Splits an article body into passages: lines, then sentences (English and Chinese punctuation). */
export function splitPassages(body: string): string[] {
  return body
    .split(/\n+|(?<=[.!?。！？])\s*/u)
    .map((passage) => passage.trim())
    .filter((passage) => /[\p{L}\p{N}]/u.test(passage));
}

interface Passage {
  article: number;
  /** Titles and example questions count for ranking but are never returned as the passage. */
  quotable: boolean;
  text: string;
  vector: Vector;
}

interface LocaleIndex {
  articles: KnowledgeArticle[];
  passages: Passage[];
  /** term → the passages that contain it. */
  postings: Map<string, Postings>;
  centroidPostings: Map<string, Postings>;
  idf: Map<string, number>;
  /** Words and Han characters (families w and u) each article contains. */
  vocabularies: Set<string>[];
  /** Per article, its first body passage (-1 when the body has none). */
  leads: number[];
}

/** Family weight applied as sqrt on both sides, so a dot product sums weight × family cosine. */
function familyWeight(weights: RetrieverWeights, family: Family): number {
  switch (family) {
    case 'w':
      return weights.words;
    case 'b':
      return weights.bigrams;
    case 'c':
      return weights.charGrams;
    case 'h':
      return weights.hanBigrams;
    case 'u':
      return weights.hanChars;
    case 'p':
      return weights.wordPairs;
    case 'k':
      return weights.hanPairs;
  }
}

/** TF-IDF (sublinear tf), each family normalised to length sqrt(weight). */
function vectorize(counts: ReadonlyMap<string, number>, idf: Map<string, number>, weights: RetrieverWeights, defaultIdf: number): Vector {
  const vector: Vector = { terms: [], values: [] };
  const norms = new Map<Family, number>();
  for (const [term, count] of counts) {
    const value = (1 + Math.log(count)) * (idf.get(term) ?? defaultIdf);
    if (value <= 0 || familyWeight(weights, term[0] as Family) <= 0) continue;
    vector.terms.push(term);
    vector.values.push(value);
    const family = term[0] as Family;
    norms.set(family, (norms.get(family) ?? 0) + value * value);
  }
  vector.terms.forEach((term, i) => {
    const family = term[0] as Family;
    vector.values[i] = (vector.values[i]! / Math.sqrt(norms.get(family) ?? 1)) * Math.sqrt(familyWeight(weights, family));
  });
  return vector;
}

function families(vector: Vector): Set<Family> {
  return new Set(vector.terms.map((term) => term[0] as Family));
}

function addPosting(postings: Map<string, Postings>, term: string, doc: number, weight: number) {
  let list = postings.get(term);
  if (!list) postings.set(term, (list = { docs: [], weights: [] }));
  list.docs.push(doc);
  list.weights.push(weight);
}

/** Adds each of the vector's weights times that term's postings' weights to `add` (a dot product with every doc at once). */
function scoreAgainst(vector: Vector, postings: Map<string, Postings>, add: (doc: number, product: number) => void) {
  vector.terms.forEach((term, i) => {
    const list = postings.get(term);
    if (list) list.docs.forEach((doc, j) => add(doc, vector.values[i]! * list.weights[j]!));
  });
}

function buildIndex(articles: KnowledgeArticle[], weights: RetrieverWeights, terms: TermCache | undefined): LocaleIndex {
  const raw: { article: number; text: string; counts: ReadonlyMap<string, number>; kind: 'title' | 'body' | 'question' }[] = [];
  articles.forEach((article, index) => {
    const add = (text: string, kind: 'title' | 'body' | 'question') =>
      raw.push({ article: index, text, counts: cachedTermCounts(text, article.locale, terms), kind });
    add(article.title, 'title');
    for (const text of splitPassages(article.body)) add(text, 'body');
    for (const text of article.questions ?? []) if (/[\p{L}\p{N}]/u.test(text)) add(text.trim(), 'question');
  });
  // IDF over passages: with few articles, article-level IDF would zero out any word every
  // article happens to use once.
  const documentFrequency = new Map<string, number>();
  for (const passage of raw) for (const term of passage.counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [term, df] of documentFrequency) idf.set(term, Math.log((raw.length + 1) / (df + 0.5)));

  const passages: Passage[] = raw.map((passage) => ({
    article: passage.article,
    quotable: passage.kind === 'body',
    text: passage.text,
    vector: vectorize(passage.counts, idf, weights, 0),
  }));
  const postings = new Map<string, Postings>();
  passages.forEach((passage, index) => passage.vector.terms.forEach((term, i) => addPosting(postings, term, index, passage.vector.values[i]!)));

  // Centroid: the sum of the article's passage vectors (title counted titleWeight times),
  // each family renormalised.
  const centroids = articles.map(() => new Map<string, number>());
  passages.forEach((passage, index) => {
    const centroid = centroids[passage.article]!;
    const times = raw[index]!.kind === 'title' ? weights.titleWeight : 1;
    passage.vector.terms.forEach((term, i) => centroid.set(term, (centroid.get(term) ?? 0) + passage.vector.values[i]! * times));
  });
  const centroidPostings = new Map<string, Postings>();
  centroids.forEach((centroid, index) => {
    const norms = new Map<Family, number>();
    for (const [term, value] of centroid) norms.set(term[0] as Family, (norms.get(term[0] as Family) ?? 0) + value * value);
    for (const [term, value] of centroid) {
      const family = term[0] as Family;
      if (!norms.get(family)) continue;
      const normalised = (value / Math.sqrt(norms.get(family) ?? 1)) * Math.sqrt(familyWeight(weights, family));
      centroid.set(term, normalised);
      addPosting(centroidPostings, term, index, normalised);
    }
  });
  const vocabularies = articles.map(() => new Set<string>());
  for (const passage of raw) for (const term of passage.counts.keys()) if (coverageFamilies.has(term[0] as Family)) vocabularies[passage.article]!.add(term);
  const leads = articles.map((_, article) => passages.findIndex((passage) => passage.article === article && passage.quotable));
  return { articles, passages, postings, centroidPostings, idf, vocabularies, leads };
}

/**
 * Builds the in-memory index (one per locale). Articles are immutable afterwards: rebuild to change.
 * `terms`: a cache shared by the indexes and queries of one piece of work over the same texts.
 */
export function createLexicalRetriever(
  articles: readonly KnowledgeArticle[],
  weights: RetrieverWeights = defaultRetrieverWeights,
  terms?: TermCache,
): LexicalRetriever {
  const byLocale = new Map<string, KnowledgeArticle[]>();
  for (const article of articles) {
    const list = byLocale.get(article.locale) ?? [];
    list.push(article);
    byLocale.set(article.locale, list);
  }
  const indexes = new Map<string, LocaleIndex>();
  for (const [locale, list] of byLocale) indexes.set(locale, buildIndex(list, weights, terms));

  return {
    locales: () => [...indexes.keys()],
    retrieve(query, { locale, limit = 5 }) {
      const index = indexes.get(locale);
      if (!index) return [];
      const counts = cachedTermCounts(query, locale, terms);
      // Unknown terms get the highest IDF: a query about something the articles never mention
      // should look uncovered, not be ignored.
      const maxIdf = Math.log(index.passages.length + 1);
      const queryVector = vectorize(counts, index.idf, weights, maxIdf);
      const present = families(queryVector);
      const total = [...present].reduce((sum, family) => sum + familyWeight(weights, family), 0);
      if (total === 0) return [];

      const centroidScores = new Float64Array(index.articles.length);
      scoreAgainst(queryVector, index.centroidPostings, (doc, product) => (centroidScores[doc]! += product));
      const passageScores = new Map<number, number>();
      scoreAgainst(queryVector, index.postings, (doc, product) => passageScores.set(doc, (passageScores.get(doc) ?? 0) + product));

      // Best passages per article: the one to quote is the closest body passage, unless the title or
      // an example question is closer still (the question asks what the article is about).
      const best: { scores: number[]; passage: number; closest: number }[] = index.articles.map(() => ({ scores: [], passage: -1, closest: -1 }));
      const closer = (doc: number, than: number) => than < 0 || passageScores.get(doc)! > passageScores.get(than)!;
      for (const [doc, score] of passageScores) {
        const entry = best[index.passages[doc]!.article]!;
        entry.scores.push(score);
        if (index.passages[doc]!.quotable && closer(doc, entry.passage)) entry.passage = doc;
        if (closer(doc, entry.closest)) entry.closest = doc;
      }
      /** The passage a hit quotes: its closest body passage, else its lead, else its title. */
      const quotedText = (i: number) => {
        const { passage, closest } = best[i]!;
        const quoted = passage >= 0 && passage === closest ? passage : index.leads[i]! >= 0 ? index.leads[i]! : passage;
        return quoted >= 0 ? index.passages[quoted]!.text : index.articles[i]!.title;
      };
      const hits = index.articles.map((article, i) => {
        const top = best[i]!.scores.sort((a, b) => b - a).slice(0, weights.topPassages);
        const passageScore = top.length ? top.reduce((sum, s) => sum + s, 0) / weights.topPassages : 0;
        const score = (weights.centroid * centroidScores[i]! + (1 - weights.centroid) * passageScore) / total;
        return { i, articleId: article.id, score };
      });
      hits.sort((a, b) => b.score - a.score);

      const queryWords = [...counts.keys()].filter((term) => coverageFamilies.has(term[0] as Family));
      const information = queryWords.reduce((sum, term) => sum + (index.idf.get(term) ?? maxIdf), 0);
      return hits
        .filter((hit) => hit.score > 0)
        .slice(0, limit)
        .map((hit) => {
          const vocabulary = index.vocabularies[hit.i]!;
          const covered = queryWords.filter((term) => vocabulary.has(term)).reduce((sum, term) => sum + (index.idf.get(term) ?? maxIdf), 0);
          return {
            articleId: hit.articleId,
            score: hit.score,
            passage: quotedText(hit.i),
            coverage: information > 0 ? covered / information : 0,
            information: covered / maxIdf,
          };
        });
    },
  };
}
