// What the local bot quotes from an article: the part of its body around the passage retrieval
// matched, whole. A lead-in that ends in a colon ("… depends on how you paid:") brings what it
// introduces (a list, a table, the next paragraph); a list (a numbered procedure above all) is
// kept whole; a long paragraph is cut at sentence ends (English and Chinese punctuation) around
// the passage, and the answer then says it is partial so the reader is pointed at the article.
// Plain text with line breaks: every client shows it as text (the widget and the console keep
// line breaks), so lists become one line per item and tables one line per row.

export interface AnswerSection {
  text: string;
  /** Part of a longer text was left out: the article has more to read. */
  partial: boolean;
}

/** Longest paragraph quoted whole; longer ones are cut to sentences around the passage. */
export const maxParagraphLength = 600;
/** Longest list or table quoted whole (with its lead-in); longer ones keep their first items. */
export const maxListLength = 1500;

type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'table'; rows: string[][] };

const han = /\p{Script=Han}/u;

/** Inline Markdown out of a line: links keep their words, emphasis and code marks go. */
const inline = (text: string) =>
  text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** Lines joined as one text: no space between two Chinese characters. */
const joinLines = (lines: readonly string[]) =>
  lines.reduce(
    (text, line) =>
      !text ? line : /[\p{Script=Han}，。：；！？、）》」』]$/u.test(text) && /^[\p{Script=Han}（《「『]/u.test(line) ? text + line : `${text} ${line}`,
    '',
  );

const headingLine = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
const tableLine = /^\s*\|/;
const listLine = /^\s*(?:([-*+•])\s+|(\d{1,3})(?:[.)．]\s+|、\s*))(.*)$/u;
const separatorRow = /^[\s|:-]+$/;

/** The body's blocks: headings, paragraphs, lists and tables, as plain text. */
export function blocksOf(body: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  const close = () => {
    if (current) blocks.push(current);
    current = undefined;
  };
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    if (!raw.trim()) {
      close();
      continue;
    }
    const heading = headingLine.exec(raw);
    if (heading) {
      close();
      blocks.push({ kind: 'heading', text: inline(heading[1]!.replace(/^>\s*/, '')) });
      continue;
    }
    if (tableLine.test(raw)) {
      if (current?.kind !== 'table') {
        close();
        current = { kind: 'table', rows: [] };
      }
      if (!separatorRow.test(raw))
        current.rows.push(
          raw
            .trim()
            .replace(/^\||\|$/g, '')
            .split('|')
            .map((cell) => inline(cell)),
        );
      continue;
    }
    const item = listLine.exec(raw);
    if (item) {
      const ordered = item[2] !== undefined;
      if (current?.kind !== 'list') {
        close();
        current = { kind: 'list', ordered, items: [] };
      }
      current.items.push(inline(item[3]!));
      continue;
    }
    const text = inline(raw.replace(/^\s*>\s?/, ''));
    // An indented line under a list item continues it.
    if (current?.kind === 'list' && /^\s{2,}/.test(raw)) {
      const last = current.items.length - 1;
      current.items[last] = joinLines([current.items[last]!, text]);
      continue;
    }
    if (current?.kind !== 'paragraph') {
      close();
      current = { kind: 'paragraph', lines: [] };
    }
    current.lines.push(text);
  }
  close();
  return blocks.filter((block) => block.kind !== 'table' || block.rows.length > 0);
}

/** A block as the lines an answer shows. */
function render(block: Block): string[] {
  switch (block.kind) {
    case 'heading':
      return [block.text];
    case 'paragraph':
      return [joinLines(block.lines)];
    case 'list':
      return block.items.map((item, i) => (block.ordered ? `${i + 1}. ${item}` : `• ${item}`));
    case 'table': {
      // A header row names the columns; each other row becomes "first cell: the others".
      const rows = block.rows.length > 1 ? block.rows.slice(1) : block.rows;
      return rows.map((cells) => {
        const [first = '', ...rest] = cells.filter(Boolean);
        const chinese = han.test(cells.join(''));
        return rest.length ? `• ${first}${chinese ? '：' : ': '}${rest.join(chinese ? '，' : ', ')}` : `• ${first}`;
      });
    }
  }
}

const endsWithColon = (text: string) => /[:：]\s*$/u.test(text);
const blockText = (block: Block) => render(block).join('\n');

/** Sentences of a paragraph: cut after . ! ? followed by a space, and after 。！？ anywhere. */
export function sentencesOf(text: string): string[] {
  const sentences = text
    .split(/(?<=[.!?]["'”’)]?)\s+|(?<=[。！？][”」』）]?)/u)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
  // A sentence that ends in a colon introduces the next one: they stay together.
  const merged: string[] = [];
  for (const sentence of sentences) {
    const last = merged.length - 1;
    if (last >= 0 && endsWithColon(merged[last]!)) merged[last] = joinLines([merged[last]!, sentence]);
    else merged.push(sentence);
  }
  return merged;
}

/** The sentences of a long paragraph around the one holding the passage, within the limit. */
function sentencesAround(paragraph: string, wanted: string, limit: number): AnswerSection {
  if (paragraph.length <= limit) return { text: paragraph, partial: false };
  const sentences = sentencesOf(paragraph);
  const separator = han.test(paragraph) ? '' : ' ';
  let at = sentences.findIndex((sentence) => sentence.includes(wanted) || wanted.includes(sentence));
  if (at < 0) at = 0;
  const first = sentences[at]!;
  if (first.length > limit) {
    // One sentence longer than the limit: its words up to the limit.
    const cut = first.slice(0, limit - 1);
    const space = cut.lastIndexOf(' ');
    return { text: `${(space > limit / 2 ? cut.slice(0, space) : cut).trim()}…`, partial: true };
  }
  let [start, end] = [at, at];
  let length = first.length;
  // Grow by whole sentences, the following one first (what comes after usually completes it).
  for (let grew = true; grew;) {
    grew = false;
    const next = sentences[end + 1];
    if (next !== undefined && length + separator.length + next.length <= limit) {
      end += 1;
      length += separator.length + next.length;
      grew = true;
    }
    const previous = sentences[start - 1];
    if (previous !== undefined && length + separator.length + previous.length <= limit) {
      start -= 1;
      length += separator.length + previous.length;
      grew = true;
    }
  }
  return { text: sentences.slice(start, end + 1).join(separator), partial: true };
}

/** A list or table's lines within the limit: its first whole lines. */
function linesWithin(lines: readonly string[], limit: number): AnswerSection {
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (kept.length > 0 && length + line.length + 1 > limit) return { text: kept.join('\n'), partial: true };
    kept.push(line);
    length += line.length + 1;
  }
  return { text: kept.join('\n'), partial: false };
}

const isListLike = (block: Block | undefined): block is Extract<Block, { kind: 'list' | 'table' }> => block?.kind === 'list' || block?.kind === 'table';

/** The answer unit around block `at`: a paragraph with what its colon introduces, or a list with its lead-in. */
function unitAt(blocks: readonly Block[], at: number, wanted: string): AnswerSection {
  const block = blocks[at]!;
  if (isListLike(block)) {
    const before = blocks[at - 1];
    const lead = before?.kind === 'paragraph' && endsWithColon(blockText(before)) ? blockText(before) : undefined;
    const list = linesWithin(render(block), maxListLength);
    if (!lead) return list;
    // The lead-in's last sentences: the one ending in the colon must stay next to its list.
    const leadSentences = sentencesOf(lead);
    const leadKept = lead.length <= maxParagraphLength ? lead : leadSentences[leadSentences.length - 1]!;
    return { text: `${leadKept}\n${list.text}`, partial: list.partial || leadKept !== lead };
  }
  const paragraph = blockText(block);
  const around = sentencesAround(paragraph, wanted, maxParagraphLength);
  if (!endsWithColon(around.text)) return around;
  // The lead-in is kept to its end: it brings what it introduces, a list, a table or a paragraph.
  const parts = [around.text];
  let partial = around.partial;
  let length = around.text.length;
  for (let next = at + 1; next < blocks.length && endsWithColon(parts[parts.length - 1]!); next += 1) {
    const following = blocks[next]!;
    if (following.kind === 'heading') break;
    const limit = isListLike(following) ? maxListLength : maxParagraphLength;
    const part = isListLike(following) ? linesWithin(render(following), limit) : sentencesAround(blockText(following), '', limit);
    if (length + part.text.length > maxListLength + maxParagraphLength) break;
    parts.push(part.text);
    length += part.text.length;
    partial ||= part.partial;
  }
  // A lead-in that found nothing to bring is left out rather than shown dangling.
  if (parts.length === 1) {
    const sentences = sentencesOf(around.text);
    if (sentences.length > 1) return { text: sentences.slice(0, -1).join(han.test(around.text) ? '' : ' '), partial: true };
  }
  return { text: parts.join('\n'), partial };
}

/** Does a block hold this (plain-text) passage? */
function holds(block: Block, wanted: string): boolean {
  switch (block.kind) {
    case 'heading':
      return false;
    case 'paragraph':
      return block.lines.some((line) => line.includes(wanted)) || joinLines(block.lines).includes(wanted);
    case 'list':
      return block.items.some((item) => item.includes(wanted));
    case 'table':
      return wanted.startsWith('|') && block.rows.some((row) => row.some((cell) => cell && wanted.includes(cell)));
  }
}

/** A passage as plain text, as `blocksOf` writes the body's text. */
function plainPassage(passage: string): string {
  const line = passage.trim();
  const heading = headingLine.exec(line);
  if (heading) return inline(heading[1]!);
  const item = listLine.exec(line);
  return inline(item ? item[3]! : line.replace(/^\s*>\s?/, ''));
}

/**
 * The answer around the best passage of an article's body: the unit that holds it (its
 * paragraph, with the list or paragraph its colon introduces; or its whole list or table, with
 * the lead-in before it). A passage that is a heading ("仍然没有收到？") is answered by its
 * section: the whole section when it is short, else the section's first unit.
 */
export function answerSection(body: string, passage: string): AnswerSection {
  const blocks = blocksOf(body);
  const wanted = plainPassage(passage);
  // A passage without a word (a list marker "1." that sentence splitting cut off) says nothing of
  // where the answer is: the body's first unit answers, as for a question about the whole article.
  if (!/\p{L}/u.test(wanted)) {
    const first = blocks.findIndex((block) => block.kind !== 'heading');
    return first >= 0 ? unitAt(blocks, first, '') : { text: '', partial: false };
  }
  const at = blocks.findIndex((block) => holds(block, wanted));
  if (at >= 0) return unitAt(blocks, at, wanted);
  const heading = blocks.findIndex((block) => block.kind === 'heading' && block.text === wanted);
  if (heading >= 0) {
    let end = heading + 1;
    while (end < blocks.length && blocks[end]!.kind !== 'heading') end += 1;
    if (end === heading + 1) return { text: wanted, partial: false };
    const section = blocks
      .slice(heading + 1, end)
      .map(blockText)
      .join('\n');
    if (section.length <= maxParagraphLength) return { text: section, partial: false };
    return unitAt(blocks, heading + 1, '');
  }
  return { text: wanted, partial: false };
}
