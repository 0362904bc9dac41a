import { describe, expect, it } from 'vitest';
import type { ExplanationView } from '../../../contract/explanations';
import { loadTraditionalConverter } from '../i18n/messages-zh-tw';
import { explanationText, whyQuestion } from './explanations';

const event = (type: string, fields: { actorId?: string | null; assigneeId?: string; conversationId?: string | null } = {}) => ({
  type,
  actorId: fields.actorId ?? null,
  conversationId: fields.conversationId === undefined ? 'c1' : fields.conversationId,
  payload: { conversation: { assigneeId: fields.assigneeId ?? 'u2' } },
});

describe('whyQuestion', () => {
  it("asks the question each decision answers, and 'to me' for the reader's own assignment", () => {
    expect(whyQuestion(event('conversation.assigned', { assigneeId: 'me' }), 'me')).toBe('journey.why.assignedToMe');
    expect(whyQuestion(event('conversation.assigned'), 'me')).toBe('journey.why.assigned');
    expect(whyQuestion(event('routing.queued'), 'me')).toBe('journey.why.queued');
    expect(whyQuestion(event('bot.answered'), 'me')).toBe('journey.why.botAnswered');
    expect(whyQuestion(event('bot.declined'), 'me')).toBe('journey.why.botDeclined');
    expect(whyQuestion(event('sla.escalated'), 'me')).toBe('journey.why.escalated');
    expect(whyQuestion(event('rule.matched'), 'me')).toBe('journey.why.rule');
  });

  it('asks nothing of a transfer by a person, of other events, or of events about no conversation', () => {
    expect(whyQuestion(event('conversation.assigned', { actorId: 'u9' }), 'me')).toBeNull();
    expect(whyQuestion(event('message.created'), 'me')).toBeNull();
    expect(whyQuestion(event('sla.escalated', { conversationId: null }), 'me')).toBeNull();
  });
});

describe('explanationText', () => {
  it("picks the entry's text in the reader's language", () => {
    const explanations = [{ eventId: '7', text: { en: 'Assigned to Li Na: online.', 'zh-CN': '已分配给 Li Na：在线。' } }] as unknown as ExplanationView[];
    expect(explanationText(explanations, '7', 'en')).toBe('Assigned to Li Na: online.');
    expect(explanationText(explanations, '7', 'zh-CN')).toBe('已分配给 Li Na：在线。');
    expect(explanationText(explanations, '8', 'en')).toBeNull();
  });

  it('writes the Simplified text in Traditional characters for a zh-TW reader', async () => {
    const explanations = [{ eventId: '7', text: { en: 'Assigned to Li Na.', 'zh-CN': '已分配给 Li Na。' } }] as unknown as ExplanationView[];
    await loadTraditionalConverter();
    expect(explanationText(explanations, '7', 'zh-TW')).toBe('已分配給 Li Na。');
  });
});
