import { describe, expect, it } from 'vitest';
import { toApiError } from '../shared/http';
import { emptyNewEmail, newEmailBodyOf, newEmailErrorsOf, refusalKey } from './new-email';

describe('new email', () => {
  it('sends the fields trimmed, and the name only when one is typed', () => {
    const draft = { ...emptyNewEmail('c'), customerEmail: ' ann@example.com ', subject: ' Your order ', body: 'Hello Ann' };
    expect(newEmailBodyOf(draft)).toEqual({ channelId: 'c', customerEmail: 'ann@example.com', subject: 'Your order', body: 'Hello Ann' });
    expect(newEmailBodyOf({ ...draft, customerName: ' Ann Lee ' })).toMatchObject({ customerName: 'Ann Lee' });
  });

  it("puts the server's problems at the fields they name", () => {
    expect(
      newEmailErrorsOf([
        { path: 'customerEmail', message: 'A valid email address' },
        { path: 'subject', message: 'A subject is needed' },
        { path: 'other', message: 'Odd' },
      ]),
    ).toEqual({ customerEmail: ['A valid email address'], subject: ['A subject is needed'], form: ['Odd'] });
  });

  it('words the two refusals (409) and leaves anything else to the server', () => {
    expect(refusalKey(toApiError(409, { error: { code: 'channel_disabled', message: 'x' } }))).toBe('newEmail.channelDisabled');
    expect(refusalKey(toApiError(409, { error: { code: 'not_email_channel', message: 'x' } }))).toBe('newEmail.notEmailChannel');
    expect(refusalKey(toApiError(409, { error: { code: 'other', message: 'x' } }))).toBeNull();
    expect(refusalKey(toApiError(400, { error: { code: 'channel_disabled', message: 'x' } }))).toBeNull();
    expect(refusalKey(new Error('x'))).toBeNull();
  });
});
