import { describe, expect, it } from 'vitest';
import { composeReply, type ReplyFacts } from './compose-reply.js';

const facts = (changes: Partial<ReplyFacts>): ReplyFacts => ({
  channel: { name: 'Support', settings: { address: 'support@shop.example' } },
  conversation: { number: 42, subject: 'My order' },
  body: 'Here you are.',
  to: ['wei@example.com'],
  replyTo: 'reply+t@shop.example',
  messageId: '<m1@shop.example>',
  thread: [],
  ...changes,
});

describe('composeReply', () => {
  it('sends a message of files only with an empty body, not the file names the console put in its text', () => {
    const mail = composeReply(facts({ body: 'invoice.pdf, photo.png', fileNames: ['invoice.pdf', 'photo.png'] }));
    expect(mail.text).toBe('');
    expect(mail.html).not.toContain('invoice.pdf');
    // With a signature, only the signature.
    const signed = composeReply(
      facts({ channel: { name: 'Support', settings: { address: 'support@shop.example', signature: 'Shop team' } }, body: 'a.pdf', fileNames: ['a.pdf'] }),
    );
    expect(signed.text).toBe('\n\n-- \nShop team\n');
  });

  it('keeps text that says more than the file names, and the text of a message without files', () => {
    expect(composeReply(facts({ body: 'See invoice.pdf', fileNames: ['invoice.pdf'] })).text).toBe('See invoice.pdf\n');
    expect(composeReply(facts({ body: 'invoice.pdf' })).text).toBe('invoice.pdf\n');
  });
});
