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
/**
 * A sparse vector: its terms (numbered in a `TermCache`; -1 for a query's term no text has), their
 * families and weights, in the same order. Numbers and arrays, not Maps keyed by the terms: an
 * index builds thousands of vectors, and a calibration fit some 30 indexes.
 */
interface Vector {
  ids: number[];
  families: Family[];
  values: number[];
}
/**
 * By term number, the docs (passages or articles) that hold the term and its weight in each, in doc
 * order: term `id`'s are `docs` and `weights` from `start[id]` to `start[id + 1]`. Three arrays, not
 * an object per term: every index a fit builds has some hundred thousand terms.
 */
interface Postings {
  start: Int32Array;
  docs: Int32Array;
  weights: Float64Array;
}

/** A text's terms: each term's number, family and sublinear term frequency (1 + log count), in the order the text gives them. */
interface TextTerms {
  ids: number[];
  families: Family[];
  tf: number[];
}

/**
 * The terms of texts already tokenised, by locale and text, and every term seen, numbered. A
 * retriever has its own (it keeps only the numbers of its articles' terms); many indexes over the
 * same articles (a knowledge base's own calibration builds some 30, each without a few articles or
 * questions) share one, so each text is tokenised and segmented once. A shared cache also keeps the
 * queries asked and grows with them: it lives as long as that one piece of work, never longer.
 */
export interface TermCache {
  ids: Map<string, number>;
  texts: Map<string, TextTerms>;
}

export function createTermCache(): TermCache {
  return { ids: new Map(), texts: new Map() };
}

/**
 * A text's terms through `cache`: cached (and its new terms numbered) when `keep`, else only looked
 * up there (a term the cache does not have gets -1).
 */
function textTerms(text: string, locale: string, cache: TermCache, keep: boolean): TextTerms {
  const key = `${locale}\u0000${text}`;
  const cached = cache.texts.get(key);
  if (cached) return cached;
  const terms: TextTerms = { ids: [], families: [], tf: [] };
  for (const [term, count] of termCounts(text, locale)) {
    let id = cache.ids.get(term);
    if (id === undefined && keep) cache.ids.set(term, (id = cache.ids.size));
    terms.ids.push(id ?? -1);
    terms.families.push(term[0] as Family);
    terms.tf.push(1 + Math.log(count));
  }
  if (keep) cache.texts.set(key, terms);
  return terms;
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
  /** By term number: the passages that contain it. */
  postings: Postings;
  centroidPostings: Postings;
  /** By term number; 0 for a term no passage has (every IDF here is above 0). */
  idf: Float64Array;
  /** Words and Han characters (families w and u) each article contains, by number. */
  vocabularies: Set<number>[];
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

/** A term's IDF in an index, `otherwise` when no passage there has it. */
const idfOf = (idf: Float64Array, id: number, otherwise: number) => idf[id] || otherwise;

/** TF-IDF (sublinear tf), each family normalised to length sqrt(weight). */
function vectorize(terms: TextTerms, idf: Float64Array, weights: RetrieverWeights, defaultIdf: number): Vector {
  const vector: Vector = { ids: [], families: [], values: [] };
  const norms = new Map<Family, number>();
  terms.ids.forEach((id, i) => {
    const family = terms.families[i]!;
    const value = terms.tf[i]! * idfOf(idf, id, defaultIdf);
    if (value <= 0 || familyWeight(weights, family) <= 0) return;
    vector.ids.push(id);
    vector.families.push(family);
    vector.values.push(value);
    norms.set(family, (norms.get(family) ?? 0) + value * value);
  });
  vector.families.forEach((family, i) => {
    vector.values[i] = (vector.values[i]! / Math.sqrt(norms.get(family) ?? 1)) * Math.sqrt(familyWeight(weights, family));
  });
  return vector;
}

/** The postings of `vectors` (each vector's position is its doc) over terms numbered below `terms`. */
function postingsOf(vectors: readonly Vector[], terms: number): Postings {
  const start = new Int32Array(terms + 1);
  for (const vector of vectors) for (const id of vector.ids) start[id + 1]! += 1;
  for (let id = 0; id < terms; id++) start[id + 1]! += start[id]!;
  const next = start.slice(0, terms);
  const docs = new Int32Array(start[terms]!);
  const weights = new Float64Array(start[terms]!);
  vectors.forEach((vector, doc) =>
    vector.ids.forEach((id, i) => {
      const at = next[id]!++;
      docs[at] = doc;
      weights[at] = vector.values[i]!;
    }),
  );
  return { start, docs, weights };
}

/** Adds each of the vector's weights times that term's postings' weights to `add` (a dot product with every doc at once). */
function scoreAgainst(vector: Vector, { start, docs, weights }: Postings, add: (doc: number, product: number) => void) {
  vector.ids.forEach((id, i) => {
    // -1, or numbered after this index was built: no doc here has the term.
    if (id < 0 || id + 1 >= start.length) return;
    for (let at = start[id]!; at < start[id + 1]!; at++) add(docs[at]!, vector.values[i]! * weights[at]!);
  });
}

function buildIndex(articles: KnowledgeArticle[], weights: RetrieverWeights, cache: TermCache): LocaleIndex {
  const raw: { article: number; text: string; terms: TextTerms; kind: 'title' | 'body' | 'question' }[] = [];
  articles.forEach((article, index) => {
    const add = (text: string, kind: 'title' | 'body' | 'question') =>
      raw.push({ article: index, text, terms: textTerms(text, article.locale, cache, true), kind });
    add(article.title, 'title');
    for (const text of splitPassages(article.body)) add(text, 'body');
    for (const text of article.questions ?? []) if (/[\p{L}\p{N}]/u.test(text)) add(text.trim(), 'question');
  });
  // IDF over passages: with few articles, article-level IDF would zero out any word every
  // article happens to use once.
  const documentFrequency = new Int32Array(cache.ids.size);
  for (const passage of raw) for (const id of passage.terms.ids) documentFrequency[id]! += 1;
  const idf = Float64Array.from(documentFrequency, (df) => (df ? Math.log((raw.length + 1) / (df + 0.5)) : 0));

  const passages: Passage[] = raw.map((passage) => ({
    article: passage.article,
    quotable: passage.kind === 'body',
    text: passage.text,
    vector: vectorize(passage.terms, idf, weights, 0),
  }));
  const postings = postingsOf(
    passages.map((passage) => passage.vector),
    idf.length,
  );

  // Centroid: the sum of the article's passage vectors (title counted titleWeight times),
  // each family renormalised.
  // The sums run over one article's passages at a time (they are consecutive) in arrays by term
  // number, its terms in the order they first appear.
  const sums = new Float64Array(idf.length);
  const summedFor = new Int32Array(idf.length).fill(-1);
  let next = 0;
  const centroids = articles.map((_, article): Vector => {
    const summed: Vector = { ids: [], families: [], values: [] };
    for (; next < passages.length && passages[next]!.article === article; next++) {
      const times = raw[next]!.kind === 'title' ? weights.titleWeight : 1;
      const { ids, families, values } = passages[next]!.vector;
      ids.forEach((id, i) => {
        if (summedFor[id] !== article) {
          summedFor[id] = article;
          sums[id] = 0;
          summed.ids.push(id);
          summed.families.push(families[i]!);
        }
        sums[id]! += values[i]! * times;
      });
    }
    const norms = new Map<Family, number>();
    summed.ids.forEach((id, i) => norms.set(summed.families[i]!, (norms.get(summed.families[i]!) ?? 0) + sums[id]! * sums[id]!));
    const centroid: Vector = { ids: [], families: [], values: [] };
    summed.ids.forEach((id, i) => {
      const family = summed.families[i]!;
      if (!norms.get(family)) return;
      centroid.ids.push(id);
      centroid.families.push(family);
      centroid.values.push((sums[id]! / Math.sqrt(norms.get(family) ?? 1)) * Math.sqrt(familyWeight(weights, family)));
    });
    return centroid;
  });
  const centroidPostings = postingsOf(centroids, idf.length);
  const vocabularies = articles.map(() => new Set<number>());
  for (const passage of raw)
    passage.terms.ids.forEach((id, i) => {
      if (coverageFamilies.has(passage.terms.families[i]!)) vocabularies[passage.article]!.add(id);
    });
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
  const cache = terms ?? createTermCache();
  const indexes = new Map<string, LocaleIndex>();
  for (const [locale, list] of byLocale) indexes.set(locale, buildIndex(list, weights, cache));
  // The retriever's own cache: the texts' terms are in the indexes now; only the numbers stay.
  if (!terms) cache.texts.clear();

  return {
    locales: () => [...indexes.keys()],
    retrieve(query, { locale, limit = 5 }) {
      const index = indexes.get(locale);
      if (!index) return [];
      // A retriever's own cache keeps no query (it lives as long as the bot); a shared one keeps all.
      const queryTerms = textTerms(query, locale, cache, terms !== undefined);
      // Unknown terms get the highest IDF: a query about something the articles never mention
      // should look uncovered, not be ignored.
      const maxIdf = Math.log(index.passages.length + 1);
      const queryVector = vectorize(queryTerms, index.idf, weights, maxIdf);
      const present = new Set(queryVector.families);
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

      const queryWords = queryTerms.ids.filter((_, i) => coverageFamilies.has(queryTerms.families[i]!));
      const information = queryWords.reduce((sum, id) => sum + idfOf(index.idf, id, maxIdf), 0);
      return hits
        .filter((hit) => hit.score > 0)
        .slice(0, limit)
        .map((hit) => {
          const vocabulary = index.vocabularies[hit.i]!;
          const covered = queryWords.filter((id) => vocabulary.has(id)).reduce((sum, id) => sum + idfOf(index.idf, id, maxIdf), 0);
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
