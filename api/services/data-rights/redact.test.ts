import { describe, expect, it } from 'vitest';
import { redactJson } from './redact.js';

const id = '0b6a3f4e-8d1c-4f57-9a3e-2c1d5e6f7a8b';

describe('redactJson (what an erasure leaves of a payload)', () => {
  it('keeps the shape, ids, times, states and numbers, and empties every text', () => {
    const payload = {
      message: { id, conversationId: id, authorKind: 'customer', authorName: 'Zoë Quint', body: 'My card 4242 is lost', createdAt: '2026-12-07T02:00:00.000Z' },
      conversation: { id, status: 'open', priority: 'high', subject: 'Card', customer: { id, name: 'Zoë Quint', email: 'zoe@example.com' }, tags: ['vip'] },
      confidence: 0.82,
      private: false,
      to: ['zoe@example.com'],
      citations: [id],
      ruleIds: [id],
      workflowId: `conversation-${id}`,
    };
    expect(redactJson(payload)).toEqual({
      message: { id, conversationId: id, authorKind: 'customer', authorName: '', body: '', createdAt: '2026-12-07T02:00:00.000Z' },
      conversation: { id, status: 'open', priority: 'high', subject: '', customer: { id, name: '', email: '' }, tags: [''] },
      confidence: 0.82,
      private: false,
      to: [''],
      citations: [''],
      ruleIds: [id],
      workflowId: `conversation-${id}`,
    });
  });

  it('fails closed: a text under a structural key that does not look structural is emptied', () => {
    expect(redactJson({ id: 'zoe@example.com', status: 'Zoë Quint', createdAt: 'yesterday at noon', from: 'zoe@example.com', kind: 'a b' })).toEqual({
      id: '',
      status: '',
      createdAt: '',
      from: '',
      kind: '',
    });
  });

  it('leaves null, numbers and booleans, and empties top-level strings and arrays of them', () => {
    expect(redactJson(null)).toBeNull();
    expect(redactJson('Zoë')).toBe('');
    expect(redactJson([1, 'two', true])).toEqual([1, '', true]);
  });
});
