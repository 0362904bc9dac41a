// Reply-all: who a reply copies, from the latest mail of the thread.
import { describe, expect, it } from 'vitest';
import { replyAllCc } from './email-activities.js';

const own = { addresses: ['help@shop.example', 'Seamless <noreply@shop.example>'], domain: 'shop.example' };

describe('replyAllCc', () => {
  it('keeps the latest mail’s other recipients and a colleague who wrote it, without the customer or our own addresses', () => {
    expect(
      replyAllCc(
        {
          fromAddress: 'bob@customer.example',
          to: ['help@shop.example', 'reply+abcdef@shop.example', 'Carol@Customer.example'],
          cc: ['ann@customer.example', 'NOREPLY@shop.example', 'dave@partner.example', 'carol@customer.example'],
        },
        'Ann@customer.example',
        own,
      ),
    ).toEqual(['bob@customer.example', 'carol@customer.example', 'dave@partner.example']);
  });

  it('is empty without a mail in the thread or when only the customer and we were on it', () => {
    expect(replyAllCc(null, 'ann@customer.example', own)).toEqual([]);
    expect(replyAllCc({ fromAddress: 'ann@customer.example', to: ['help@shop.example'], cc: [] }, 'ann@customer.example', own)).toEqual([]);
  });

  it('keeps at most 20 addresses and drops what is not an address', () => {
    const many = Array.from({ length: 30 }, (_, i) => `p${i}@x.example`);
    expect(replyAllCc({ fromAddress: null, to: ['undisclosed-recipients:;', ''], cc: many }, 'ann@customer.example', own)).toEqual(many.slice(0, 20));
  });
});
