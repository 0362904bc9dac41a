import { describe, expect, it } from 'vitest';
import { botAnswerOf, handoffSummaryOf, helpArticlePath, type MessageView } from './wire-types';

const message = (overrides: Partial<MessageView>): MessageView => ({
  id: 'm1',
  conversationId: 'c1',
  authorKind: 'bot',
  authorUserId: null,
  authorName: null,
  body: 'hi',
  private: false,
  metadata: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  ...overrides,
});

describe('message metadata', () => {
  it('recognises a bot answer only from the bot', () => {
    const metadata = { kind: 'bot_answer' as const, confidence: 0.9, citations: [] };
    expect(botAnswerOf(message({ metadata }))).toBe(metadata);
    expect(botAnswerOf(message({ authorKind: 'agent', metadata }))).toBeNull();
    expect(botAnswerOf(message({}))).toBeNull();
    expect(botAnswerOf(message({ metadata: undefined }))).toBeNull();
  });

  it('recognises the hand-off summary note', () => {
    const metadata = { kind: 'handoff_summary' as const, reason: 'wants_human' };
    expect(handoffSummaryOf(message({ private: true, metadata }))).toBe(metadata);
    expect(handoffSummaryOf(message({}))).toBeNull();
  });
});

describe('helpArticlePath', () => {
  it('links to the help-center page of the article, escaping what comes from data', () => {
    expect(helpArticlePath({ locale: 'zh-CN', slug: 'transfer-pending' })).toBe('/help/zh-CN/transfer-pending');
    expect(helpArticlePath({ locale: 'en', slug: '../admin?x=1' })).toBe('/help/en/..%2Fadmin%3Fx%3D1');
  });
});
