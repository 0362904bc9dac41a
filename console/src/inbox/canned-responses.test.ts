import { describe, expect, it } from 'vitest';
import { insertCannedResponse, matchCannedResponses, moveHighlight, slashQueryAt, type CannedResponse } from './canned-responses';

const response = (shortcut: string, locale: string, title: string, body: string): CannedResponse => ({
  id: `${shortcut}-${locale}`,
  shortcut,
  title,
  body,
  locale,
  teamId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const greeting = response('greeting', 'en', 'Greeting', 'Hi, thanks for contacting us!');
const greetingZh = response('greeting', 'zh-CN', '问候', '您好，感谢您联系我们！');
const refund = response('refund', 'en', 'Refund timeline', 'Refunds go back within 3-5 working days.');
const delivery = response('card-delivery', 'en', 'Card delivery times', 'Cards usually arrive within 5 working days.');
const closing = response('closing', 'zh-CN', '结束语', '还有其他可以帮您的吗？');
const all = [refund, greetingZh, closing, delivery, greeting];

describe('slashQueryAt', () => {
  it('opens on "/" at the start of the reply, with what follows as the query', () => {
    expect(slashQueryAt('/', 1)).toEqual({ query: '', range: { start: 0, end: 1 } });
    expect(slashQueryAt('/gre', 4)).toEqual({ query: 'gre', range: { start: 0, end: 4 } });
    // The caret inside the word: the whole word is still what gets replaced.
    expect(slashQueryAt('/greet', 2)).toEqual({ query: 'greet', range: { start: 0, end: 6 } });
  });

  it('stays closed elsewhere: no leading "/", "/" later in the text, or the caret past the word', () => {
    expect(slashQueryAt('hello', 5)).toBeNull();
    expect(slashQueryAt('see /refund', 11)).toBeNull();
    expect(slashQueryAt(' /refund', 8)).toBeNull();
    expect(slashQueryAt('/usr/bin is a path', 18)).toBeNull();
    expect(slashQueryAt('/refund\nmore', 12)).toBeNull();
    expect(slashQueryAt('/refund', 0)).toBeNull();
  });
});

describe('matchCannedResponses', () => {
  it('ranks the exact shortcut, then shortcut prefixes, then titles and bodies', () => {
    expect(matchCannedResponses(all, 'refund').map((r) => r.id)).toEqual(['refund-en']);
    expect(matchCannedResponses(all, 'card').map((r) => r.id)).toEqual(['card-delivery-en']);
    // "re": a shortcut starting with it (refund) before shortcuts containing it (greeting).
    expect(matchCannedResponses(all, 're').map((r) => r.id)).toEqual(['refund-en', 'greeting-en', 'greeting-zh-CN']);
    // A title match before a body match, whatever the shortcuts' order.
    const fees = [response('a-fees', 'en', 'About fees', 'No charges apply.'), response('b-prices', 'en', 'Charges', 'See our price list.')];
    expect(matchCannedResponses(fees, 'charge').map((r) => r.id)).toEqual(['b-prices-en', 'a-fees-en']);
    expect(matchCannedResponses(all, 'working').map((r) => r.id)).toEqual(['card-delivery-en', 'refund-en']);
  });

  it('ignores case and a leading "/", matches Chinese as a substring, and finds nothing for nonsense', () => {
    expect(matchCannedResponses(all, '/GREET').map((r) => r.id)).toEqual(['greeting-en', 'greeting-zh-CN']);
    expect(matchCannedResponses(all, '感谢').map((r) => r.id)).toEqual(['greeting-zh-CN']);
    expect(matchCannedResponses(all, 'zzz')).toEqual([]);
  });

  it('lists everything by shortcut for an empty query, the preferred language first, up to the limit', () => {
    expect(matchCannedResponses(all, '', { preferredLocale: 'zh-CN' }).map((r) => r.id)).toEqual([
      'card-delivery-en',
      'closing-zh-CN',
      'greeting-zh-CN',
      'greeting-en',
      'refund-en',
    ]);
    expect(matchCannedResponses(all, '', { limit: 2 })).toHaveLength(2);
  });
});

describe('insertCannedResponse', () => {
  it('replaces the "/shortcut" word with the body and puts the caret after it', () => {
    const body = greeting.body;
    expect(insertCannedResponse('/gre', { start: 0, end: 4 }, body)).toEqual({ text: body, caret: body.length });
    expect(insertCannedResponse('/gre\nOrder 42', { start: 0, end: 4 }, body)).toEqual({ text: `${body}\nOrder 42`, caret: body.length });
  });

  it('inserts at the selection, with a space before text that follows directly', () => {
    expect(insertCannedResponse('Hello! Bye', { start: 7, end: 7 }, 'Refunds take 3 days.')).toEqual({ text: 'Hello! Refunds take 3 days. Bye', caret: 28 });
    expect(insertCannedResponse('Hello XX', { start: 6, end: 8 }, 'there')).toEqual({ text: 'Hello there', caret: 11 });
    // A stale range (the text got shorter meanwhile) is clamped rather than duplicating text.
    expect(insertCannedResponse('Hi', { start: 5, end: 9 }, '!')).toEqual({ text: 'Hi!', caret: 3 });
  });
});

describe('moveHighlight', () => {
  it('moves and wraps at both ends, and starts from the top or bottom when nothing is highlighted', () => {
    expect(moveHighlight(0, 1, 3)).toBe(1);
    expect(moveHighlight(2, 1, 3)).toBe(0);
    expect(moveHighlight(0, -1, 3)).toBe(2);
    expect(moveHighlight(-1, 1, 3)).toBe(0);
    expect(moveHighlight(-1, -1, 3)).toBe(2);
    expect(moveHighlight(0, 1, 0)).toBe(-1);
  });
});
