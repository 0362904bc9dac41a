import { describe, expect, it } from 'vitest';
import { insertMention, matchColleagues, mentionedIds, mentionQueryAt } from './mentions';

const people = [
  { id: 'a', name: 'Ada Admin', email: 'admin@seamless.local' },
  { id: 'l', name: 'Lina Zhou', email: 'lina@seamless.local' },
  { id: 'w', name: '王伟', email: 'wangwei@seamless.local' },
];

describe('mentions', () => {
  it('finds the "@word" at the caret only after a space or at the start', () => {
    expect(mentionQueryAt('@li', 3)).toEqual({ query: 'li', range: { start: 0, end: 3 } });
    expect(mentionQueryAt('ask @Li about it', 7)).toEqual({ query: 'Li', range: { start: 4, end: 7 } });
    expect(mentionQueryAt('mail me at a@b', 14)).toBeNull();
    expect(mentionQueryAt('@lina done', 10)).toBeNull();
    expect(mentionQueryAt('请 @王', 4)).toEqual({ query: '王', range: { start: 2, end: 4 } });
  });

  it('matches names by any word, then emails, best first', () => {
    expect(matchColleagues(people, 'zh').map((p) => p.id)).toEqual(['l']);
    expect(matchColleagues(people, 'wang').map((p) => p.id)).toEqual(['w']);
    expect(matchColleagues(people, '王').map((p) => p.id)).toEqual(['w']);
    expect(matchColleagues(people, '').map((p) => p.id)).toEqual(['a', 'l', 'w']);
  });

  it('inserts "@Name " and keeps only the colleagues still named when sending', () => {
    expect(insertMention('ask @li now', { start: 4, end: 7 }, 'Lina Zhou')).toEqual({ text: 'ask @Lina Zhou  now', caret: 15 });
    expect(mentionedIds('@Lina Zhou and @王伟 please', people)).toEqual(['l', 'w']);
    expect(mentionedIds('nobody here', people)).toEqual([]);
  });
});
