import { describe, expect, it } from 'vitest';
import {
  bareMessageId,
  conversationOfMessageId,
  createOutgoingMessageId,
  createReplyTokens,
  decideThread,
  matchThread,
  parseSubjectReference,
  subjectReference,
  threadCandidates,
  type ThreadableMessage,
  type ThreadLookups,
} from './threading.js';

const secret = 'a-test-server-secret-of-enough-length';
const conversation = '0b6f7c3e-9a51-4d2e-8f60-1c2d3e4f5a6b';
const other = 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b';
const domain = 'support.example.com';
const tokens = createReplyTokens({ secret, domain });

describe('outgoing Message-IDs', () => {
  it('are <conversation-uuid.random@domain>, unique, and lead back to the conversation', () => {
    const first = createOutgoingMessageId(conversation, domain);
    const second = createOutgoingMessageId(conversation, domain);
    expect(first).toMatch(/^<0b6f7c3e-9a51-4d2e-8f60-1c2d3e4f5a6b\.[a-z2-7]{16}@support\.example\.com>$/);
    expect(second).not.toBe(first);
    expect(conversationOfMessageId(first, domain)).toBe(conversation);
    expect(conversationOfMessageId(bareMessageId(first)!, 'SUPPORT.example.com')).toBe(conversation);
  });

  it('are not claimed for other domains or shapes', () => {
    expect(conversationOfMessageId(createOutgoingMessageId(conversation, domain), 'other.example')).toBeNull();
    expect(conversationOfMessageId('<CAFx8Jk2mQ@mail.gmail.com>', domain)).toBeNull();
    expect(conversationOfMessageId(`<${conversation}@${domain}>`, domain)).toBeNull();
  });
});

describe('reply addresses', () => {
  it('carry a token that names the conversation and verifies', () => {
    const address = tokens.replyAddress(conversation);
    expect(address).toMatch(/^reply\+[a-z2-7]{42}@support\.example\.com$/);
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(tokens.conversationOfAddress(address)).toBe(conversation);
    // Some systems upper-case local parts; a forwarding domain may differ.
    expect(tokens.conversationOfAddress(address.toUpperCase())).toBe(conversation);
    expect(tokens.conversationOfAddress(`<${address.replace(domain, 'mail.customer.example')}>`)).toBe(conversation);
  });

  it('cannot be forged: another conversation’s id with this tag, a changed tag, another secret', () => {
    const token = tokens.token(conversation);
    const forgedId = tokens.token(other).slice(0, 26) + token.slice(26);
    expect(tokens.verify(forgedId)).toBeNull();
    const flipped = token.slice(0, 41) + (token[41] === 'a' ? 'b' : 'a');
    expect(tokens.verify(flipped)).toBeNull();
    const elsewhere = createReplyTokens({ secret: 'another-server-secret-entirely!!', domain });
    expect(elsewhere.verify(token)).toBeNull();
    expect(tokens.verify('short')).toBeNull();
    expect(tokens.conversationOfAddress('support@support.example.com')).toBeNull();
    expect(tokens.conversationOfAddress(`noreply+${token}@${domain}`)).toBeNull();
  });

  it('refuses a short secret', () => {
    expect(() => createReplyTokens({ secret: 'short', domain })).toThrow(RangeError);
  });
});

describe('subject references', () => {
  it('round-trips [#123] and ignores other brackets', () => {
    expect(subjectReference(123)).toBe('[#123]');
    expect(parseSubjectReference('RE: 回复: Refund [#123]')).toBe(123);
    expect(parseSubjectReference('[Ticket 123] #123 [#0]')).toBeNull();
  });
});

const message = (overrides: Partial<ThreadableMessage>): ThreadableMessage => ({
  recipients: [],
  from: 'ann@example.com',
  inReplyTo: [],
  references: [],
  subject: 'Hello',
  ...overrides,
});

function lookups(data: {
  conversations?: string[];
  messageIds?: Record<string, string>;
  numbers?: Record<number, { conversationId: string; participants: string[] }>;
}): ThreadLookups {
  return {
    existingConversations: async (ids) => ids.filter((id) => data.conversations?.includes(id)),
    conversationsByMessageId: async (ids) => ids.flatMap((id) => (data.messageIds?.[id] ? [[id, data.messageIds[id]] as [string, string]] : [])),
    conversationByNumber: async (number) => data.numbers?.[number] ?? null,
  };
}

describe('matchThread', () => {
  const options = { tokens };

  it('threads an Outlook reply that dropped In-Reply-To and References by its token address', async () => {
    const outlook = message({ recipients: [tokens.replyAddress(conversation)], subject: 'RE: Invoice' });
    expect(await matchThread(outlook, options, lookups({ conversations: [conversation] }))).toEqual({
      kind: 'existing',
      conversationId: conversation,
      by: 'token',
    });
  });

  it('prefers In-Reply-To, then References newest first', async () => {
    const reply = message({ inReplyTo: ['<b@x>'], references: ['<a@x>', '<b@x>'] });
    expect(await matchThread(reply, options, lookups({ messageIds: { 'a@x': other, 'b@x': conversation } }))).toEqual({
      kind: 'existing',
      conversationId: conversation,
      by: 'in-reply-to',
    });
    const referencesOnly = message({ references: ['<a@x>', '<c@x>', '<unknown@x>'] });
    expect(await matchThread(referencesOnly, options, lookups({ messageIds: { 'a@x': other, 'c@x': conversation } }))).toEqual({
      kind: 'existing',
      conversationId: conversation,
      by: 'references',
    });
  });

  it('takes a subject reference only from an address already in that conversation', async () => {
    const data = { numbers: { 77: { conversationId: conversation, participants: ['Ann@Example.com'] } } };
    expect(await matchThread(message({ subject: 'RE: Invoice [#77]' }), options, lookups(data))).toEqual({
      kind: 'existing',
      conversationId: conversation,
      by: 'subject',
    });
    expect(await matchThread(message({ subject: 'RE: Invoice [#77]', from: 'stranger@evil.example' }), options, lookups(data))).toEqual({ kind: 'new' });
    expect(await matchThread(message({ subject: 'RE: Invoice [#77]' }), { tokens, subjectReferences: false }, lookups(data))).toEqual({ kind: 'new' });
  });

  it('starts a new conversation when nothing matches, and ignores a forged or stale token', async () => {
    const forged = `reply+${tokens.token(other).slice(0, 26)}${tokens.token(conversation).slice(26)}@${domain}`;
    expect(
      await matchThread(message({ recipients: [forged, 'support@support.example.com'] }), options, lookups({ conversations: [conversation, other] })),
    ).toEqual({ kind: 'new' });
    // A token for a conversation that no longer exists falls through to the other signals.
    const stale = message({ recipients: [tokens.replyAddress(other)], inReplyTo: ['<b@x>'] });
    expect(await matchThread(stale, options, lookups({ messageIds: { 'b@x': conversation } }))).toEqual({
      kind: 'existing',
      conversationId: conversation,
      by: 'in-reply-to',
    });
  });

  it('lists the candidates to look up without any I/O', () => {
    const candidates = threadCandidates(
      message({ recipients: [tokens.replyAddress(conversation)], inReplyTo: ['<b@x>'], references: ['<a@x>', '<b@x>'], subject: '[#5]' }),
      options,
    );
    expect(candidates).toEqual({
      tokenConversations: [conversation],
      messageIds: [
        { id: 'b@x', from: 'in-reply-to' },
        { id: 'a@x', from: 'references' },
      ],
      subjectNumber: 5,
    });
    expect(decideThread(message({}), candidates, { existingConversations: new Set(), knownMessageIds: new Map(), subjectConversation: null })).toEqual({
      kind: 'new',
    });
  });
});
