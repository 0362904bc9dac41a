import { describe, expect, it } from 'vitest';
import { compareEventIds, EventCursor } from './event-cursor';

describe('compareEventIds', () => {
  it('compares numeric ids by value, not as text', () => {
    expect(compareEventIds('10', '9')).toBeGreaterThan(0);
    expect(compareEventIds('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
    expect(compareEventIds('42', '42')).toBe(0);
  });
});

describe('EventCursor', () => {
  it('accepts an id once and rejects the repeat', () => {
    const cursor = new EventCursor();
    expect(cursor.accept('5')).toBe(true);
    expect(cursor.accept('5')).toBe(false);
  });

  it('resumes after the largest id seen, even when events arrive out of order', () => {
    const cursor = new EventCursor();
    cursor.accept('11');
    cursor.accept('9');
    expect(cursor.lastEventId).toBe('11');
  });

  it('moves forward to the ready frame id but never back', () => {
    const cursor = new EventCursor('20');
    cursor.advance('15');
    expect(cursor.lastEventId).toBe('20');
    cursor.advance('25');
    expect(cursor.lastEventId).toBe('25');
    cursor.advance(null);
    expect(cursor.lastEventId).toBe('25');
  });

  it('forgets the oldest ids beyond its memory and rejects anything that old', () => {
    const cursor = new EventCursor(null, 3);
    for (const id of ['1', '2', '3', '4']) cursor.accept(id);
    expect(cursor.accept('1')).toBe(false);
    expect(cursor.accept('5')).toBe(true);
  });
});
