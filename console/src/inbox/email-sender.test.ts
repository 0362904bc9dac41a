import { describe, expect, it } from 'vitest';
import { emailSenderOf } from './email-sender';

const email = { inboundEmailId: 'e1', subject: 'Re: order', from: 'bob@shop.example', to: [], cc: [], automated: false };

describe('emailSenderOf', () => {
  it("reads a colleague's name and address from the message", () => {
    expect(emailSenderOf({ metadata: { email, sender: { name: 'Bob Stone', address: 'bob@shop.example' } } })).toEqual({
      name: 'Bob Stone',
      address: 'bob@shop.example',
    });
    expect(emailSenderOf({ metadata: { email, sender: { name: '  ', address: 'bob@shop.example' } } })).toEqual({ name: null, address: 'bob@shop.example' });
  });

  it("is null on the customer's own mail, on other messages and on a malformed sender", () => {
    expect(emailSenderOf({ metadata: { email } })).toBeNull();
    expect(emailSenderOf({ metadata: null })).toBeNull();
    expect(emailSenderOf({ metadata: { email, sender: { name: 'Bob' } } } as never)).toBeNull();
    expect(emailSenderOf({ metadata: { email, sender: 'bob@shop.example' } } as never)).toBeNull();
  });
});
