import { describe, expect, it } from 'vitest';
import { maxQuestionLength, suggestedQuestionOf } from './example-questions.js';

describe('suggestedQuestionOf', () => {
  it('suggests the trimmed customer text', () => {
    expect(suggestedQuestionOf('  How do I reset my password?\n', [])).toBe('How do I reset my password?');
  });

  it('skips text that is already one of the article questions', () => {
    expect(suggestedQuestionOf(' reset password ', ['reset password'])).toBeNull();
  });

  it('skips empty text and text longer than a question may be', () => {
    expect(suggestedQuestionOf('   ', [])).toBeNull();
    expect(suggestedQuestionOf('x'.repeat(maxQuestionLength + 1), [])).toBeNull();
    expect(suggestedQuestionOf('x'.repeat(maxQuestionLength), [])).toHaveLength(maxQuestionLength);
  });
});
