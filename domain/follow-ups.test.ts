import { describe, expect, it } from 'vitest';
import { followUpStepDueAt, renderFollowUpText } from './follow-ups.js';

describe('follow-ups', () => {
  it('fills in the contact and agent, and leaves no gap where a value is missing', () => {
    const variables = { contact: { name: '王芳', email: 'fang@example.com' }, agent: { name: 'Alex' } };
    expect(renderFollowUpText('Hi {{contact.name}}, any news? — {{ agent.name }}', variables)).toBe('Hi 王芳, any news? — Alex');
    expect(renderFollowUpText('Hi {{contact.name}}, any news?', { ...variables, contact: { name: null, email: null } })).toBe('Hi, any news?');
    expect(renderFollowUpText('{{unknown}}Still there?', variables)).toBe('Still there?');
  });

  it('dates a step from the wait it follows', () => {
    const steps = [
      { afterMinutes: 2880, text: 'a' },
      { afterMinutes: 60, text: 'b', then: 'resolve' as const },
    ];
    expect(followUpStepDueAt(steps, 0, new Date('2026-12-01T09:00:00Z'))?.toISOString()).toBe('2026-12-03T09:00:00.000Z');
    expect(followUpStepDueAt(steps, 1, new Date('2026-12-03T09:00:05Z'))?.toISOString()).toBe('2026-12-03T10:00:05.000Z');
    expect(followUpStepDueAt(steps, 2, new Date())).toBeNull();
  });
});
