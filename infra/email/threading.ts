// Email threading: our outgoing Message-IDs, the reply address that names a conversation, and the
// decision which conversation an inbound message continues.
//
// - Message-ID: `<conversation-uuid.random@domain>`: unique per message, and a reply's
//   In-Reply-To/References lead back to the conversation even before any lookup.
// - Reply address: `reply+<token>@domain`. The token is the conversation's uuid (base32) and an
//   HMAC-SHA256 tag over it under a key derived from the server secret, so a token can be neither
//   guessed nor forged for another conversation. Lower-case base32 only: some mail systems change
//   the case of local parts. 42 characters, inside the 64 a local part may have.
// - Matching order: a valid token in any recipient address (survives clients such as Outlook that
//   drop In-Reply-To/References), then In-Reply-To, then References (newest first) against every
//   Message-ID stored or sent, then — when enabled — a `[#123]` conversation number in the subject,
//   accepted only from an address already in that conversation (anyone can type a number).
//   Otherwise the message starts a new conversation.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
const tagBytes = 10;
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string, length: number): Buffer | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text.toLowerCase()) {
    const index = alphabet.indexOf(char);
    if (index === -1) return null;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out.length === length ? Buffer.from(out) : null;
}

const uuidBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex');
const uuidOf = (bytes: Buffer) => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** A Message-ID without angle brackets, trimmed; null when empty. */
export function bareMessageId(value: string): string | null {
  const bare = value.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  return bare === '' ? null : bare;
}

/** A new Message-ID for a message of this conversation: `<uuid.random@domain>`. */
export function createOutgoingMessageId(conversationId: string, domain: string): string {
  if (!uuidShape.test(conversationId)) throw new TypeError('the conversation id must be a uuid');
  return `<${conversationId.toLowerCase()}.${base32(randomBytes(10))}@${domain.toLowerCase()}>`;
}

/** The conversation named by one of our Message-IDs, or null for anyone else's. */
export function conversationOfMessageId(messageId: string, domain: string): string | null {
  const bare = bareMessageId(messageId);
  if (!bare) return null;
  const at = bare.lastIndexOf('@');
  if (at === -1 || bare.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return null;
  const [uuid, random, ...rest] = bare.slice(0, at).split('.');
  if (rest.length > 0 || !uuid || !random || !uuidShape.test(uuid) || !/^[a-z2-7]{16}$/.test(random)) return null;
  return uuid.toLowerCase();
}

export function isOwnMessageId(messageId: string, domain: string): boolean {
  return conversationOfMessageId(messageId, domain) !== null;
}

export interface ReplyTokens {
  /** `reply+<token>@domain` for this conversation. */
  replyAddress(conversationId: string): string;
  token(conversationId: string): string;
  /** The conversation a token names, or null when it is malformed or its tag does not verify. */
  verify(token: string): string | null;
  /** The conversation named by an address of the form `<localPart>+<token>@any-domain`, or null. */
  conversationOfAddress(address: string): string | null;
}

export interface ReplyTokenOptions {
  /** The server secret (SEAMLESS_SECRET); a key for this purpose only is derived from it. */
  secret: string;
  /** The domain reply addresses use. */
  domain: string;
  /** The local part before the `+` (default "reply"). */
  localPart?: string;
}

export function createReplyTokens(options: ReplyTokenOptions): ReplyTokens {
  if (options.secret.length < 16) throw new RangeError('the server secret is too short to derive a key from');
  const key = Buffer.from(hkdfSync('sha256', options.secret, 'seamless/email-reply-token/v1', 'reply-address', 32));
  const localPart = (options.localPart ?? 'reply').toLowerCase();
  const tagOf = (id: Buffer) => createHmac('sha256', key).update(id).digest().subarray(0, tagBytes);
  const token = (conversationId: string) => {
    if (!uuidShape.test(conversationId)) throw new TypeError('the conversation id must be a uuid');
    const id = uuidBytes(conversationId);
    return base32(id) + base32(tagOf(id));
  };
  const verify = (candidate: string): string | null => {
    if (!/^[a-z2-7]{42}$/i.test(candidate)) return null;
    const id = fromBase32(candidate.slice(0, 26), 16);
    const tag = fromBase32(candidate.slice(26), tagBytes);
    if (!id || !tag) return null;
    return timingSafeEqual(tag, tagOf(id)) ? uuidOf(id) : null;
  };
  return {
    token,
    verify,
    replyAddress: (conversationId) => `${localPart}+${token(conversationId)}@${options.domain.toLowerCase()}`,
    conversationOfAddress(address) {
      const bare = address.trim().replace(/^<|>$/g, '');
      const at = bare.lastIndexOf('@');
      if (at === -1) return null;
      const local = bare.slice(0, at).toLowerCase();
      if (!local.startsWith(`${localPart}+`)) return null;
      return verify(local.slice(localPart.length + 1));
    },
  };
}

/** `[#123]`: the conversation number as it is put in our subjects. */
export function subjectReference(conversationNumber: number): string {
  return `[#${conversationNumber}]`;
}

const subjectReferencePattern = /\[#(\d{1,12})\]/;

/** The conversation number a subject refers to (`Re: Refund [#123]` → 123), or null. */
export function parseSubjectReference(subject: string): number | null {
  const match = subjectReferencePattern.exec(subject);
  const number = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(number) && number > 0 ? number : null;
}

export interface ThreadableMessage {
  /** Every address the message was delivered to: To, Cc, Delivered-To, X-Original-To, the SMTP envelope. */
  recipients: readonly string[];
  /** The sender's address. */
  from: string | null;
  inReplyTo: readonly string[];
  /** As written, oldest first. */
  references: readonly string[];
  subject: string;
}

export interface ThreadCandidates {
  /** Conversations named by a verified reply token, in recipient order. */
  tokenConversations: string[];
  /** Message-IDs to look up, most telling first: In-Reply-To, then References newest first. */
  messageIds: { id: string; from: 'in-reply-to' | 'references' }[];
  /** The `[#123]` number, when subject references are enabled. */
  subjectNumber: number | null;
}

export interface ThreadingOptions {
  tokens: ReplyTokens;
  /** Match `[#123]` in the subject (default true). */
  subjectReferences?: boolean;
}

/** What to look up for a message (pure). */
export function threadCandidates(message: ThreadableMessage, options: ThreadingOptions): ThreadCandidates {
  const tokenConversations: string[] = [];
  for (const recipient of message.recipients) {
    const conversation = options.tokens.conversationOfAddress(recipient);
    if (conversation && !tokenConversations.includes(conversation)) tokenConversations.push(conversation);
  }
  const messageIds: ThreadCandidates['messageIds'] = [];
  const seen = new Set<string>();
  const add = (value: string, from: 'in-reply-to' | 'references') => {
    const id = bareMessageId(value);
    if (id && !seen.has(id)) {
      seen.add(id);
      messageIds.push({ id, from });
    }
  };
  for (const id of message.inReplyTo) add(id, 'in-reply-to');
  for (const id of [...message.references].reverse()) add(id, 'references');
  return {
    tokenConversations,
    messageIds,
    subjectNumber: options.subjectReferences === false ? null : parseSubjectReference(message.subject),
  };
}

/** What the database said about the candidates. */
export interface ThreadFacts {
  /** Of tokenConversations, those that exist. */
  existingConversations: ReadonlySet<string>;
  /** Message-ID → conversation, for the candidates that were found (stored or sent by us). */
  knownMessageIds: ReadonlyMap<string, string>;
  /** The conversation with the subject's number, and the addresses that took part in it. */
  subjectConversation: { conversationId: string; participants: readonly string[] } | null;
}

export type ThreadMatch = { kind: 'existing'; conversationId: string; by: 'token' | 'in-reply-to' | 'references' | 'subject' } | { kind: 'new' };

/** Which conversation the message continues, or new (pure). */
export function decideThread(message: ThreadableMessage, candidates: ThreadCandidates, facts: ThreadFacts): ThreadMatch {
  for (const conversationId of candidates.tokenConversations) {
    if (facts.existingConversations.has(conversationId)) return { kind: 'existing', conversationId, by: 'token' };
  }
  for (const { id, from } of candidates.messageIds) {
    const conversationId = facts.knownMessageIds.get(id);
    if (conversationId) return { kind: 'existing', conversationId, by: from };
  }
  if (candidates.subjectNumber !== null && facts.subjectConversation && message.from) {
    const sender = message.from.trim().toLowerCase();
    if (facts.subjectConversation.participants.some((address) => address.trim().toLowerCase() === sender)) {
      return { kind: 'existing', conversationId: facts.subjectConversation.conversationId, by: 'subject' };
    }
  }
  return { kind: 'new' };
}

export interface ThreadLookups {
  /** Which of these conversation ids exist (in this channel). */
  existingConversations(ids: string[]): Promise<Iterable<string>>;
  /** Message-ID → conversation for the ids stored or sent in this channel. */
  conversationsByMessageId(ids: string[]): Promise<Iterable<[string, string]>>;
  /** The conversation with this number and its participants' addresses (customer, CC'd senders). */
  conversationByNumber(conversationNumber: number): Promise<{ conversationId: string; participants: string[] } | null>;
}

/** threadCandidates → the lookups → decideThread. */
export async function matchThread(message: ThreadableMessage, options: ThreadingOptions, lookups: ThreadLookups): Promise<ThreadMatch> {
  const candidates = threadCandidates(message, options);
  const existing = candidates.tokenConversations.length > 0 ? new Set(await lookups.existingConversations(candidates.tokenConversations)) : new Set<string>();
  if ([...existing].length > 0)
    return decideThread(message, candidates, { existingConversations: existing, knownMessageIds: new Map(), subjectConversation: null });
  const known =
    candidates.messageIds.length > 0
      ? new Map(await lookups.conversationsByMessageId(candidates.messageIds.map((entry) => entry.id)))
      : new Map<string, string>();
  const subjectConversation = known.size === 0 && candidates.subjectNumber !== null ? await lookups.conversationByNumber(candidates.subjectNumber) : null;
  return decideThread(message, candidates, { existingConversations: existing, knownMessageIds: known, subjectConversation });
}
