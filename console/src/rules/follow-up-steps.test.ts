import { describe, expect, it } from 'vitest';
import { followUpStepsOf, followUpStepsText } from './follow-up-steps';

describe('follow-up steps as text', () => {
  it('reads a wait and a message a line, and a last line resolve', () => {
    expect(followUpStepsOf('2d Did that solve it, {{contact.name}}?\n\n 90m  Still there?\n3h Closing this for now.\nresolve\n')).toEqual([
      { afterMinutes: 2880, text: 'Did that solve it, {{contact.name}}?' },
      { afterMinutes: 90, text: 'Still there?' },
      { afterMinutes: 180, text: 'Closing this for now.', then: 'resolve' },
    ]);
  });

  it('keeps a line without a wait as a step of no wait, for the server to refuse', () => {
    expect(followUpStepsOf('tomorrow Any news?')).toEqual([{ afterMinutes: 0, text: 'tomorrow Any news?' }]);
  });

  it('writes the steps back as it reads them', () => {
    const steps = [
      { afterMinutes: 2880, text: 'Any news?' },
      { afterMinutes: 90, text: 'Closing.', then: 'resolve' as const },
    ];
    expect(followUpStepsText(steps)).toBe('2d Any news?\n90m Closing.\nresolve');
    expect(followUpStepsOf(followUpStepsText(steps))).toEqual(steps);
  });
});
