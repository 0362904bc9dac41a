import { describe, expect, it } from 'vitest';
import { queryChoice, queryText } from './route-query';

const statuses = ['all', 'open', 'closed'] as const;

describe('queryChoice', () => {
  it('takes a known value, the first of repeated ones', () => {
    expect(queryChoice({ status: 'open' }, 'status', statuses, 'all')).toBe('open');
    expect(queryChoice({ status: ['closed', 'open'] }, 'status', statuses, 'all')).toBe('closed');
  });

  it('falls back when the value is absent, unknown or not text', () => {
    expect(queryChoice({}, 'status', statuses, 'all')).toBe('all');
    expect(queryChoice({ status: 'deleted' }, 'status', statuses, 'all')).toBe('all');
    expect(queryChoice({ status: null }, 'status', statuses, 'all')).toBe('all');
  });
});

describe('queryText', () => {
  it('cuts the text to its limit and gives nothing when absent', () => {
    expect(queryText({ q: 'refund policy' }, 'q', 6)).toBe('refund');
    expect(queryText({ q: ['退款', 'x'] }, 'q', 200)).toBe('退款');
    expect(queryText({}, 'q', 200)).toBe('');
  });
});
