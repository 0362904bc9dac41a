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

  it('resumes from the position the server names, not from the largest id seen', () => {
    const cursor = new EventCursor();
    cursor.accept('11');
    cursor.accept('9');
    expect(cursor.position).toBeNull();
    cursor.moveTo('10', '700');
    expect(cursor.position).toEqual({ after: '10', xmin: '700' });
    // A ready frame without an id (an empty log) keeps the position.
    cursor.moveTo(null, '800');
    expect(cursor.position).toEqual({ after: '10', xmin: '700' });
  });

  it('accepts an event that committed late with a lower id than ones already seen', () => {
    const cursor = new EventCursor(null, 3);
    for (const id of ['10', '11', '12', '13']) cursor.accept(id);
    expect(cursor.accept('9')).toBe(true);
    expect(cursor.accept('13')).toBe(false);
  });
});
