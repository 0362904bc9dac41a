import { describe, expect, it } from 'vitest';
import { inboxViews } from './inbox-list';
import { isTypingTarget, neighbour, shortcutFor, viewIndexFor, type KeyPress } from './shortcuts';

const press = (key: string, overrides: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: { tagName: 'BODY' } as unknown as EventTarget,
  ...overrides,
});
const element = (tagName: string, extra: Record<string, unknown> = {}) => ({ tagName, ...extra }) as unknown as EventTarget;

describe('the shortcuts issue 21 asks for', () => {
  it('snoozes with s, opens the search with /, and switches views with 1-7 in their order', () => {
    expect(['s', '/'].map((key) => shortcutFor(press(key)))).toEqual(['snooze', 'search']);
    expect(['1', '3', '7'].map((key) => inboxViews[viewIndexFor(press(key)) ?? -1])).toEqual(['mine', 'team', 'sla']);
    expect([
      viewIndexFor(press('8')),
      viewIndexFor(press('0')),
      viewIndexFor(press('2', { target: element('TEXTAREA') })),
      viewIndexFor(press('2', { ctrlKey: true })),
    ]).toEqual([null, null, null, null]);
  });
});

describe('shortcutFor', () => {
  it('maps j, k, r, e and ? to their commands', () => {
    expect(['j', 'k', 'r', 'a', 'e', '?'].map((key) => shortcutFor(press(key)))).toEqual(['next', 'previous', 'reply', 'assign', 'resolve', 'help']);
  });

  it('does not fire while the agent types in a field', () => {
    expect(shortcutFor(press('e', { target: element('TEXTAREA') }))).toBeNull();
    expect(shortcutFor(press('j', { target: element('INPUT', { type: 'text' }) }))).toBeNull();
    expect(shortcutFor(press('j', { target: element('INPUT', { type: 'datetime-local' }) }))).toBeNull();
    expect(shortcutFor(press('k', { target: element('SELECT') }))).toBeNull();
    expect(shortcutFor(press('r', { target: element('DIV', { isContentEditable: true }) }))).toBeNull();
  });

  it('still fires on buttons and links, which take no text', () => {
    expect(shortcutFor(press('j', { target: element('BUTTON') }))).toBe('next');
    expect(shortcutFor(press('j', { target: element('INPUT', { type: 'checkbox' }) }))).toBe('next');
    expect(shortcutFor(press('k', { target: element('A') }))).toBe('previous');
  });

  it('leaves browser and IME key combinations alone', () => {
    expect(shortcutFor(press('r', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press('r', { metaKey: true }))).toBeNull();
    expect(shortcutFor(press('e', { altKey: true }))).toBeNull();
    expect(shortcutFor(press('j', { isComposing: true }))).toBeNull();
    expect(shortcutFor(press('J'))).toBeNull();
    expect(shortcutFor(press('x'))).toBeNull();
  });
});

describe('isTypingTarget', () => {
  it('is false without a target', () => {
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('neighbour', () => {
  const ids = ['a', 'b', 'c'];

  it('moves to the next and previous conversation, stopping at the ends', () => {
    expect(neighbour(ids, 'b', 'next')).toBe('c');
    expect(neighbour(ids, 'b', 'previous')).toBe('a');
    expect(neighbour(ids, 'c', 'next')).toBe('c');
    expect(neighbour(ids, 'a', 'previous')).toBe('a');
  });

  it('starts at the top (j) or the bottom (k) when none is open or it left the list', () => {
    expect(neighbour(ids, undefined, 'next')).toBe('a');
    expect(neighbour(ids, 'gone', 'previous')).toBe('c');
    expect(neighbour([], 'a', 'next')).toBeNull();
  });
});
