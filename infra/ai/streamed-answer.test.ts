import { describe, expect, it } from 'vitest';
import { parseStreamedAnswer, streamedAnswerText } from './streamed-answer.js';

describe('the streamed answer format', () => {
  it('shows nothing while the reply may still be the refusal token, and everything once it is not', () => {
    expect(streamedAnswerText('NO', { final: false })).toBe('');
    expect(streamedAnswerText('No, ', { final: false })).toBe('No,');
    expect(streamedAnswerText('NO_ANSWER', { final: true })).toBe('');
  });

  it('holds back a tail that may start the sources line, and drops the line', () => {
    expect(streamedAnswerText('Five days.\nSOU', { final: false })).toBe('Five days.');
    expect(streamedAnswerText('Five days.\nSOU', { final: true })).toBe('Five days.\nSOU');
    expect(streamedAnswerText('Five days.\nSOURCES: a', { final: false })).toBe('Five days.');
  });

  it('parses the cited ids once each, tolerating brackets and quotes', () => {
    expect(parseStreamedAnswer('Five days.\nSOURCES: [refunds], "fees"; refunds.\n')).toEqual({
      refused: false,
      text: 'Five days.',
      sources: ['refunds', 'fees'],
    });
    expect(parseStreamedAnswer('Five days.')).toEqual({ refused: false, text: 'Five days.', sources: [] });
    expect(parseStreamedAnswer(' NO_ANSWER')).toEqual({ refused: true });
  });
});
