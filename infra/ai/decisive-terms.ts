// Decisive terms: what tells an article from its nearest sibling (issue 20 item 2). Lexical
// retrieval scores two articles that share almost every word alike ("repay 借呗" / "borrow from
// 借呗", "freeze my card" / "unfreeze my card", two products whose names differ by one character),
// so a question can reach the wrong one of the pair at full confidence. Here each article's
// characteristic terms come from the knowledge base itself — its title and the terms most of its
// example questions use — and a term separates article A from article B when it characterises A
// and B never uses it. A small general list of opposite actions (repay / borrow, freeze / unfreeze,
// cancel / open, view / change; English and Chinese) adds the pairs a one-sided knowledge base
// cannot show. When the question holds B's separating terms and none of A's, or the terms of both,
// the answer from A is not safe: the bot asks which one is meant instead.
import { simplifiedChinese } from '../chinese-text.js';
import { tokenize } from './tokenize.js';
import { splitPassages, type KnowledgeArticle } from './lexical-retrieval.js';

/** A term characterises an article when its title has it or at least this share of its example questions does. */
export const characteristicShare = 0.5;
/** …and is absent from a sibling when neither its title nor more than this share of its questions has it. */
export const absentShare = 0.05;
/** Two articles are siblings when at most this many words separate them (either way), and the sibling scores at least this share of the top article. */
const siblingTerms = 3;
const siblingCloseness = 0.3;
/** …and share at least this much of their characteristic terms (unless only an opposite action sets them apart). */
const siblingOverlap = 0.5;
/** Twins by construction (an opposite action, names one character apart) are checked down to this closeness: a question naming 星付 may match 星贷's example questions word for word otherwise. */
const twinFloor = 0.1;
/** Twins: one word separates them, and they score alike. */
const twinTerms = 1;
const twinCloseness = 0.7;
/** Two words of the same length that differ in one character (not single characters). */
function oneCharacterApart(a: string, b: string): boolean {
  const [ca, cb] = [[...a], [...b]];
  if (ca.length !== cb.length || ca.length < 2 || a.startsWith('@') || b.startsWith('@')) return false;
  return ca.filter((char, i) => char !== cb[i]).length === 1;
}

/** The forms of the opposite actions: an action and its forms count as one separating term. */
/** A word that counts on its own: not an action's form, nor a single Han character (it repeats the word it is part of). */
const isWord = (key: string) => !oppositeActions.some((sides) => sides.some((forms) => forms.includes(key))) && !/^\p{Script=Han}$/u.test(key);
/** Fewer example questions than this: the body's sentences describe the article instead. */
const minimumQuestions = 3;

/**
 * Opposite actions, each side a list of forms (English stems as `tokenize` writes them, Chinese
 * words as written). General language, not any knowledge base's vocabulary.
 */
export const oppositeActions: readonly (readonly [readonly string[], readonly string[]])[] = [
  [
    ['repai', 'pay back', 'payback'],
    ['borrow', 'loan'],
  ],
  [
    ['还款', '还钱', '归还'],
    ['借款', '借钱', '贷款'],
  ],
  [['freez', 'frozen'], ['unfreez']],
  [['冻结'], ['解冻', '解除冻结']],
  [
    ['lock', 'block'],
    ['unlock', 'unblock'],
  ],
  [
    ['锁定', '锁住'],
    ['解锁', '解除锁定'],
  ],
  [
    ['cancel', 'cancell', 'clos', 'deactivat', 'turn off', 'disabl'],
    ['open', 'creat', 'activat', 'turn on', 'enabl', 'sign up'],
  ],
  [
    ['取消', '关闭', '注销', '停用'],
    ['开通', '开启', '激活', '启用'],
  ],
  [
    ['view', 'check', 'see'],
    ['chang', 'edit', 'updat', 'modifi', 'reset'],
  ],
  [
    ['查看', '查询'],
    ['修改', '更改', '更换', '重置'],
  ],
  [
    ['add', 'link'],
    ['remov', 'delet', 'unlink'],
  ],
  [
    ['添加', '绑定', '新增'],
    ['删除', '解绑', '移除'],
  ],
];

const han = /\p{Script=Han}/u;

/** The terms of a text: its words (stemmed English, jieba Chinese) and its Han characters. */
function termsOf(text: string, locale: string): Set<string> {
  const tokens = tokenize(text, { locale });
  return new Set([...tokens.words, ...tokens.hanChars]);
}

/** The key of a negation ("not", "never", 没, 未, 不): an order received or not. */
const negation = '@neg';
const negationWords = new Set(['not', 'never', 'no']);
function negated(text: string, terms: ReadonlySet<string>): boolean {
  return [...terms].some((term) => negationWords.has(term)) || /[没未不]/u.test(simplifiedChinese(text));
}
const isActionForm = (key: string) => oppositeActions.some((sides) => sides.some((forms) => forms.includes(key)));

/** The opposite-action forms a text holds, as "pair:side" keys (longest Chinese forms first: 解冻 is not 冻结). */
function actionsOf(text: string, terms: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  let rest = simplifiedChinese(text.toLowerCase());
  oppositeActions.forEach((sides, pair) => {
    const forms = sides.flatMap((side, s) => side.map((form) => ({ form, key: `${pair}:${s}` }))).sort((a, b) => b.form.length - a.form.length);
    for (const { form, key } of forms) {
      const present = han.test(form) || form.includes(' ') ? rest.includes(form) : terms.has(form);
      if (!present) continue;
      found.add(key);
      if (han.test(form) || form.includes(' ')) rest = rest.split(form).join(' ');
    }
  });
  return found;
}

interface Profile {
  /** Terms and actions of the title. */
  title: Set<string>;
  /** Per term or action, the share of example questions that hold it. */
  shares: Map<string, number>;
}

function profileOf(article: KnowledgeArticle): Profile {
  const keysOf = (text: string) => {
    const terms = termsOf(text, article.locale);
    return new Set([...terms, ...[...actionsOf(text, terms)].map((key) => `@${key}`), ...(negated(text, terms) ? [negation] : [])]);
  };
  const title = keysOf(article.title);
  const shares = new Map<string, number>();
  // Without example questions, the body's lines and sentences stand in for them.
  const questions = (article.questions?.length ?? 0) >= minimumQuestions ? article.questions! : splitPassages(article.body);
  for (const question of questions) for (const key of keysOf(question)) shares.set(key, (shares.get(key) ?? 0) + 1 / questions.length);
  return { title, shares };
}

const characteristic = (profile: Profile, key: string) => profile.title.has(key) || (profile.shares.get(key) ?? 0) >= characteristicShare;
const absent = (profile: Profile, key: string) => !profile.title.has(key) && (profile.shares.get(key) ?? 0) <= absentShare;

export type DecisiveVerdict =
  /** Nothing in the question separates the two, or it names the top article's side: answer as ranked. */
  | { kind: 'clear' }
  /** The question names the sibling's side, or nothing of the top article's: ask which one. */
  | {
      kind: 'ambiguous';
      /** The question's terms that separate the top article from the sibling. */
      top: string[];
      /** The question's terms that separate the sibling from the top article. */
      sibling: string[];
      /** Actions the question names whose opposite the top article is about. */
      opposite: string[];
      /** The question names none of the terms that separate the top article from the sibling. */
      silent: boolean;
    };

export interface DecisiveTerms {
  /** How many articles a term characterises. */
  spread(key: string): number;
  /** The terms that separate article `a` from article `b` (keys: words, Han characters, "@pair:side" actions). */
  separating(a: string, b: string): string[];
  /** `closeness`: the sibling's retrieval score over the top article's; `namedOnly`: only what the question names counts (no ranking to say the two score alike, as on the model path). Is the answer from `top` unsafe: the question names a term that separates `sibling` from it, or none that separates it from `sibling`? */
  check(question: string, top: string, sibling: string, closeness: number, options?: { namedOnly?: boolean }): DecisiveVerdict;
}

/** Builds the decisive-term index of a knowledge base (cheap: one pass over titles and example questions). */
export function createDecisiveTerms(articles: readonly KnowledgeArticle[]): DecisiveTerms {
  const profiles = new Map(articles.map((article) => [article.id, profileOf(article)]));
  const locales = new Map(articles.map((article) => [article.id, article.locale]));
  const separatingCache = new Map<string, string[]>();
  // How many articles each term characterises: a name for one thing characterises one or two.
  const spreads = new Map<string, number>();
  for (const profile of profiles.values())
    for (const key of new Set([...profile.title, ...profile.shares.keys()])) if (characteristic(profile, key)) spreads.set(key, (spreads.get(key) ?? 0) + 1);

  const separating = (a: string, b: string): string[] => {
    const cacheKey = `${a}\n${b}`;
    const cached = separatingCache.get(cacheKey);
    if (cached) return cached;
    const [pa, pb] = [profiles.get(a), profiles.get(b)];
    if (!pa || !pb) return [];
    const keys = new Set([...pa.title, ...pa.shares.keys()]);
    const found = [...keys].filter((key) => characteristic(pa, key) && absent(pb, key));
    // An action of a pair separates only when the sibling holds the other side of that pair.
    const result = found.filter((key) => {
      if (key === negation) return true;
      // A Chinese word all of whose characters the sibling has too is how jieba happened to cut
      // the same characters (到货 / 收到), not a difference.
      if (han.test(key) && [...key].length > 1 && !isActionForm(key) && [...key].every((char) => characteristic(pb, char))) return false;
      if (!key.startsWith('@')) return true;
      const [pair, side] = key.slice(1).split(':');
      return characteristic(pb, `@${pair}:${side === '0' ? 1 : 0}`);
    });
    separatingCache.set(cacheKey, result);
    return result;
  };

  /** Shared share of two articles' characteristic terms (Jaccard). */
  const characteristicTerms = new Map(
    [...profiles].map(([id, profile]) => [id, new Set([...profile.title, ...profile.shares.keys()].filter((key) => characteristic(profile, key)))]),
  );
  const overlap = (a: string, b: string) => {
    const [ta, tb] = [characteristicTerms.get(a), characteristicTerms.get(b)];
    if (!ta || !tb) return 0;
    const shared = [...ta].filter((key) => tb.has(key)).length;
    return shared / (ta.size + tb.size - shared || 1);
  };

  return {
    spread: (key) => spreads.get(key) ?? 0,
    separating,
    check(question, top, sibling, closeness, { namedOnly = false } = {}) {
      // Siblings: two articles about the same thing (most of their characteristic terms shared) that
      // differ in a few terms, or that differ only in an opposite action (freeze / unfreeze).
      const apart = [...separating(top, sibling), ...separating(sibling, top)];
      const words = apart.filter((key) => !key.startsWith('@') && isWord(key) && !(apart.includes(negation) && /[没未不]/u.test(key)));
      const actions = new Set(apart.filter((key) => key.startsWith('@')).map((key) => key.split(':')[0])).size;
      const size = words.length + actions;
      // Twins by construction: only an opposite action sets them apart, or two names one character
      // apart (星贷 / 星付, "Orbit Pay" / "Orbit Pal"), with at most one other difference.
      const names = separating(top, sibling).some((a) => separating(sibling, top).some((b) => oneCharacterApart(a, b)));
      const twins = (words.length === 0 && actions > 0) || (names && size <= siblingTerms);
      if (closeness < (twins ? twinFloor : siblingCloseness) || (!twins && (size > siblingTerms || overlap(top, sibling) < siblingOverlap)))
        return { kind: 'clear' };
      const locale = locales.get(top) ?? 'en';
      const terms = termsOf(question, locale);
      const keys = new Set([...terms, ...[...actionsOf(question, terms)].map((key) => `@${key}`), ...(negated(question, terms) ? [negation] : [])]);
      const forTop = separating(top, sibling).filter((key) => keys.has(key));
      const forSibling = separating(sibling, top).filter((key) => keys.has(key));
      // The opposite action of one the top article is about, even without a sibling that shows it.
      const topProfile = profiles.get(top);
      const opposite = topProfile
        ? [...keys].filter((key) => {
            if (!key.startsWith('@')) return false;
            const [pair, side] = key.slice(1).split(':');
            const other = `@${pair}:${side === '0' ? 1 : 0}`;
            return !keys.has(other) && characteristic(topProfile, other) && absent(topProfile, key);
          })
        : [];
      // The question names the sibling's side; or, for twins that differ in one term and score
      // alike, it says nothing of what sets the top article apart.
      const silent =
        !namedOnly &&
        forTop.length === 0 &&
        separating(top, sibling).length > 0 &&
        (twins || size <= twinTerms) &&
        closeness >= (twins ? siblingCloseness : twinCloseness);
      return forSibling.length > 0 || opposite.length > 0 || silent
        ? { kind: 'ambiguous', top: forTop, sibling: forSibling, opposite, silent }
        : { kind: 'clear' };
    },
  };
}

/**
 * The sibling the bot asks about instead of answering with the best hit ("Do you mean A or B?"):
 * the first of the next two hits the check finds ambiguous against the best one, else undefined.
 * The bot's rule (local-fallback.ts), and what the knowledge base's own calibration simulates.
 */
export function clarifyingSibling<Hit extends { articleId: string; score: number }>(
  index: DecisiveTerms,
  question: string,
  hits: readonly Hit[],
): Hit | undefined {
  const top = hits[0];
  if (!top) return undefined;
  return hits.slice(1, 3).find((hit) => index.check(question, top.articleId, hit.articleId, hit.score / top.score).kind === 'ambiguous');
}
