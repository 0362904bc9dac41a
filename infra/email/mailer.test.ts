// The mail a reply becomes: composed by composeReply, turned into MIME by nodemailer exactly as
// the mailer hands it over (toMailOptions, stream transport instead of SMTP), and read back with
// mailparser, the parser of our inbound pipeline.
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { composeReply, emailChannelSettings, replySubject, threadHeaders, type ReplyFacts } from './compose-reply.js';
import { smtpFailure, toMailOptions, type OutgoingEmail } from './mailer.js';

const facts = (overrides: Partial<ReplyFacts> = {}): ReplyFacts => ({
  channel: { name: 'Support', settings: { address: 'help@shop.example', fromName: 'Shop 客服', signature: 'Shop team\n<b>Mon–Fri</b>' } },
  conversation: { number: 42, subject: 'Order not delivered' },
  body: 'Hello **Ann**, <script>alert(1)</script> see [link](javascript:alert(1)).',
  to: ['ann@example.com'],
  replyTo: 'reply+abc@shop.example',
  messageId: '<11111111-2222-4333-8444-555555555555.abcdefghijklmnop@shop.example>',
  thread: [
    { messageId: '<first@mail.example.com>', inbound: true },
    { messageId: '11111111-2222-4333-8444-555555555555.ours@shop.example', inbound: false },
    { messageId: '<second@mail.example.com>', inbound: true },
  ],
  ...overrides,
});

const asMime = async (email: OutgoingEmail) => {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'crlf' });
  const info = await transport.sendMail(toMailOptions(email, 'Seamless <support@seamless.local>'));
  return simpleParser(info.message as Buffer);
};

describe('replySubject', () => {
  it('puts one "Re: " in front, whatever reply markers the subject already carries', () => {
    expect(replySubject('Order not delivered', 1)).toBe('Re: Order not delivered');
    expect(replySubject('Re: Order not delivered', 1)).toBe('Re: Order not delivered');
    expect(replySubject('RE: re:Re : Order', 1)).toBe('Re: Order');
    expect(replySubject('回复：订单未发货', 1)).toBe('Re: 订单未发货');
    expect(replySubject('Aw: Sv: Bestellung', 1)).toBe('Re: Bestellung');
  });

  it('keeps words that only start like a marker, and names the conversation when there is no subject', () => {
    expect(replySubject('Refund please', 1)).toBe('Re: Refund please');
    expect(replySubject('Fwd: invoice', 1)).toBe('Re: Fwd: invoice');
    expect(replySubject(null, 42)).toBe('Re: [#42]');
    expect(replySubject('  Re:  ', 7)).toBe('Re: [#7]');
  });
});

describe('threadHeaders', () => {
  it('answers the customer’s latest mail and lists the whole chain oldest first, each once, in angle brackets', () => {
    expect(threadHeaders(facts().thread)).toEqual({
      inReplyTo: '<second@mail.example.com>',
      references: ['<first@mail.example.com>', '<11111111-2222-4333-8444-555555555555.ours@shop.example>', '<second@mail.example.com>'],
    });
    expect(
      threadHeaders([
        { messageId: '<a@x>', inbound: true },
        { messageId: 'a@x', inbound: true },
      ]).references,
    ).toEqual(['<a@x>']);
  });

  it('answers our own latest mail when the customer never wrote one, and nothing when there is no thread', () => {
    expect(threadHeaders([{ messageId: '<ours@shop.example>', inbound: false }])).toEqual({
      inReplyTo: '<ours@shop.example>',
      references: ['<ours@shop.example>'],
    });
    expect(threadHeaders([])).toEqual({ references: [] });
  });

  it('keeps the first and the newest references of a long thread', () => {
    const thread = Array.from({ length: 30 }, (_, index) => ({ messageId: `<m${index}@x>`, inbound: true }));
    const { references } = threadHeaders(thread);
    expect(references).toHaveLength(20);
    expect(references[0]).toBe('<m0@x>');
    expect(references.at(-1)).toBe('<m29@x>');
    expect(references[1]).toBe('<m11@x>');
  });
});

describe('emailChannelSettings', () => {
  it('reads address, From name and signature, treating missing or malformed fields as unset', () => {
    const unset = { address: null, fromName: null, signature: null, replyAll: true, createTickets: false };
    expect(emailChannelSettings({ address: 'a@b.c', fromName: ' Help ', signature: 'Bye' })).toEqual({
      ...unset,
      address: 'a@b.c',
      fromName: 'Help',
      signature: 'Bye',
    });
    expect(emailChannelSettings({ address: 7, fromName: '' })).toEqual(unset);
    expect(emailChannelSettings(null)).toEqual(unset);
    expect(emailChannelSettings({ replyAll: false, createTickets: true })).toEqual({ ...unset, replyAll: false, createTickets: true });
    expect(emailChannelSettings({ replyAll: 'no', createTickets: 'yes' })).toEqual(unset);
  });
});

describe('composeReply → MIME', () => {
  it('writes From, To, Reply-To, Message-ID, In-Reply-To, References and "Re:" as headers', async () => {
    const mail = await asMime(composeReply(facts()));
    expect(mail.from?.value).toEqual([{ name: 'Shop 客服', address: 'help@shop.example' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((entry) => entry.address) : null).toEqual(['ann@example.com']);
    expect(mail.replyTo?.value.map((entry) => entry.address)).toEqual(['reply+abc@shop.example']);
    expect(mail.subject).toBe('Re: Order not delivered');
    expect(mail.messageId).toBe('<11111111-2222-4333-8444-555555555555.abcdefghijklmnop@shop.example>');
    expect(mail.inReplyTo).toBe('<second@mail.example.com>');
    expect(mail.references).toEqual(['<first@mail.example.com>', '<11111111-2222-4333-8444-555555555555.ours@shop.example>', '<second@mail.example.com>']);
    expect(mail.headers.get('auto-submitted')).toBeUndefined();
  });

  it('sends the text as written plus HTML rendered from Markdown with raw HTML escaped, both signed', async () => {
    const mail = await asMime(composeReply(facts()));
    expect(mail.text).toContain('Hello **Ann**, <script>alert(1)</script>');
    expect(mail.text).toContain('\n-- \nShop team\n<b>Mon–Fri</b>');
    const html = String(mail.html);
    expect(html).toContain('<strong>Ann</strong>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('-- <br>Shop team<br>&lt;b&gt;Mon–Fri&lt;/b&gt;');
  });

  it('falls back to MAIL_FROM without a channel address, and marks the bot’s answers Auto-Submitted', async () => {
    const mail = await asMime(composeReply(facts({ channel: { name: 'Support', settings: {} }, automatic: true, cc: ['boss@example.com'] })));
    expect(mail.from?.value).toEqual([{ name: 'Seamless', address: 'support@seamless.local' }]);
    expect(mail.cc && !Array.isArray(mail.cc) ? mail.cc.value.map((entry) => entry.address) : null).toEqual(['boss@example.com']);
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.text).not.toContain('-- ');
  });
});

describe('composeReply for a thread an agent opens', () => {
  it('keeps the subject as written (no "Re: ") and has nothing to answer', async () => {
    const mime = await asMime(composeReply(facts({ thread: [], opensThread: true, conversation: { number: 42, subject: '  Re:  your   refund ' } })));
    expect(mime.subject).toBe('Re: your refund');
    expect(mime.inReplyTo).toBeUndefined();
    expect(composeReply(facts({ thread: [], opensThread: true, conversation: { number: 42, subject: null } })).subject).toBe('[#42]');
    expect(composeReply(facts({ thread: [], conversation: { number: 42, subject: 'Your refund' } })).subject).toBe('Re: Your refund');
  });
});

describe('smtpFailure', () => {
  it('calls a 5xx reply permanent and a 4xx reply or a refused connection transient', () => {
    expect(smtpFailure(Object.assign(new Error('x'), { responseCode: 550, response: '550 5.1.1 no such user' }))).toEqual({
      permanent: true,
      code: 550,
      message: '550 5.1.1 no such user',
    });
    expect(smtpFailure(Object.assign(new Error('try later'), { responseCode: 451 })).permanent).toBe(false);
    expect(smtpFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ECONNECTION' }))).toMatchObject({
      permanent: false,
      code: null,
      message: 'connect ECONNREFUSED 127.0.0.1:2525',
    });
  });
});
