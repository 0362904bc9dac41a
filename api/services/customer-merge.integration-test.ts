// Merging two contacts (customer-merge.ts) in-process: a chat visitor and an email sender with a
// conversation, a ticket and a mail thread each end up as one contact with one journey, and
// messages posted while the merge runs are each stored once, under the survivor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startCustomerConversation, type CustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';
import { visitorLookup } from '../../infra/auth/principal.js';
import { mergeCustomers } from './customer-merge.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string };
let channelId: string;
let secret: string;

beforeAll(async () => {
  api = await startInProcessApi({ inboundEmail: { replyDomain: 'support.example.com' } });
  tokens = await signIn(api, 'admin', 'agent');
  channelId = (await api.db.channel.findFirstOrThrow({ where: { kind: 'email' } })).id;
  await api.db.channel.update({ where: { id: channelId }, data: { enabled: true } });
  secret = (await api.request('POST', `/api/channels/${channelId}/inbound-email-secret`, { token: tokens.admin })).body.secret as string;
});
afterAll(() => api?.stop());

/** A mail from `from` to the support address, through the inbound webhook: its conversation and customer. */
async function mailIn(from: string, subject: string): Promise<{ conversationId: string; customerId: string }> {
  const raw = [
    `From: ${from}`,
    'To: support@example.com',
    `Subject: ${subject}`,
    `Message-ID: <${crypto.randomUUID()}@mail.example.net>`,
    'Date: Mon, 07 Dec 2026 01:00:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `About: ${subject}`,
    '',
  ].join('\r\n');
  const response = await fetch(`${api.url}/api/inbound/email/${channelId}`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': secret },
    body: raw,
  });
  expect(response.status).toBe(202);
  const { inboundEmailId } = (await response.json()) as { inboundEmailId: string };
  const row = await api.db.inboundEmail.findUniqueOrThrow({ where: { id: inboundEmailId }, include: { conversation: true } });
  return { conversationId: row.conversationId!, customerId: row.conversation!.customerId };
}

const agent = { actorKind: 'agent' as const, actorId: '' };

describe('mergeCustomers', () => {
  let chat: CustomerConversation;
  let mail: { conversationId: string; customerId: string };

  beforeAll(async () => {
    agent.actorId = (await api.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id;
    chat = await startCustomerConversation(api, { name: 'Wei Zhang', body: 'My card has not arrived' });
    mail = await mailIn('Wei Zhang <wei.zhang@example.net>', 'Card still missing');
    for (const customerId of [chat.visitor.customerId, mail.customerId]) {
      const ticket = await api.request('POST', '/api/tickets', { token: tokens.agent, body: { subject: `Ticket of ${customerId}`, customerId } });
      expect(ticket.status).toBe(201);
    }
    await api.db.customer.update({ where: { id: mail.customerId }, data: { phone: '+86 138 0000 0000', tags: ['mail'], vip: true } });
    await api.db.customer.update({ where: { id: chat.visitor.customerId }, data: { tags: ['chat'] } });
  });

  it('moves conversations, tickets, the mail thread and events to the survivor, fills its empty fields and deletes the merged contact', async () => {
    const survivorId = chat.visitor.customerId;
    const eventsBefore = await api.db.event.count({ where: { customerId: { in: [survivorId, mail.customerId] } } });
    const result = await mergeCustomers(api, { survivorId, mergedId: mail.customerId, actor: agent });

    expect(result.moved).toMatchObject({ conversations: 1, tickets: 1, messages: 1 });
    expect(result.filled.sort()).toEqual(['email', 'phone']);
    expect(await api.db.customer.findUnique({ where: { id: mail.customerId } })).toBeNull();
    const survivor = await api.db.customer.findUniqueOrThrow({ where: { id: survivorId } });
    expect(survivor).toMatchObject({ name: 'Wei Zhang', email: 'wei.zhang@example.net', phone: '+86 138 0000 0000', vip: true });
    expect(survivor.tags.sort()).toEqual(['chat', 'mail']);
    const conversations = await api.db.conversation.findMany({ where: { customerId: survivorId }, select: { id: true } });
    expect(conversations.map((row) => row.id).sort()).toEqual([chat.conversationId, mail.conversationId].sort());
    expect(await api.db.ticket.count({ where: { customerId: survivorId } })).toBe(2);
    expect(await api.db.inboundEmail.count({ where: { conversation: { customerId: survivorId } } })).toBe(1);
    expect(await api.db.message.count({ where: { customerId: mail.customerId } })).toBe(0);
    // Every event of both, plus the merge's own, is now the survivor's.
    expect(await api.db.event.count({ where: { customerId: mail.customerId } })).toBe(0);
    expect(await api.db.event.count({ where: { customerId: survivorId } })).toBe(eventsBefore + 1);

    const journey = await api.request('GET', `/api/customers/${survivorId}/events`, { token: tokens.agent });
    expect(journey.status).toBe(200);
    const events = journey.body.events as { type: string; conversationId: string | null; payload: Record<string, unknown> }[];
    const created = events.filter((event) => event.type === 'conversation.created').map((event) => event.conversationId);
    expect(created.sort()).toEqual([chat.conversationId, mail.conversationId].sort());
    expect(events.at(-1)).toMatchObject({
      type: 'customer.merged',
      payload: {
        survivorId,
        survivor: { id: survivorId, name: 'Wei Zhang', email: 'wei.zhang@example.net' },
        merged: { id: mail.customerId, email: 'wei.zhang@example.net' },
        filled: expect.any(Array),
      },
    });

    const audit = await api.request('GET', '/api/audit-events?type=customer.merged', { token: tokens.admin });
    expect(audit.status).toBe(200);
    expect(audit.body.events).toEqual([expect.objectContaining({ type: 'customer.merged', actorId: agent.actorId })]);
  });

  it('refuses the merged contact’s widget token afterwards, and a mail from the merged address finds the survivor', async () => {
    const visitor = await startCustomerConversation(api, { name: 'Old tab' });
    const survivor = await startCustomerConversation(api, { name: 'Survivor' });
    await mergeCustomers(api, { survivorId: survivor.visitor.customerId, mergedId: visitor.visitor.customerId, actor: agent });
    // The API remembers a visitor it saw for 30 s (infra/auth/principal.ts): until then the old token
    // finds nothing of its own any more; after it, the authenticator's lookup refuses it (401).
    const listed = await api.request('GET', '/api/widget/conversations', { token: visitor.visitor.token });
    expect(listed.status === 401 || (listed.status === 200 && listed.body.conversations.length === 0)).toBe(true);
    expect(await visitorLookup(api.db)(visitor.visitor.customerId)).toBe(false);
    // Even while this process still remembers the token, it starts nothing for a contact that is gone.
    const started = await api.request('POST', '/api/widget/conversations', { token: visitor.visitor.token, body: { body: 'Still there?' } });
    expect(started).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await api.db.message.count({ where: { body: 'Still there?' } })).toBe(0);
    expect(await visitorLookup(api.db)(survivor.visitor.customerId)).toBe(true);
    const mailed = await mailIn('Wei Zhang <wei.zhang@example.net>', 'One more thing');
    expect(mailed.customerId).toBe(chat.visitor.customerId);
  });

  it('answers 400 for a contact merged with itself and 404 for an unknown one, changing nothing', async () => {
    const one = await startCustomerConversation(api);
    await expect(mergeCustomers(api, { survivorId: one.visitor.customerId, mergedId: one.visitor.customerId, actor: agent })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_merge',
    });
    await expect(mergeCustomers(api, { survivorId: one.visitor.customerId, mergedId: crypto.randomUUID(), actor: agent })).rejects.toMatchObject({
      status: 404,
    });
    await expect(mergeCustomers(api, { survivorId: crypto.randomUUID(), mergedId: one.visitor.customerId, actor: agent })).rejects.toMatchObject({
      status: 404,
    });
    expect(await api.db.conversation.count({ where: { customerId: one.visitor.customerId } })).toBe(1);
  });
});

describe('mergeCustomers under concurrent messages', () => {
  it('stores every message accepted during the merge exactly once, under the survivor; a refused one not at all', async () => {
    const merged = await startCustomerConversation(api, { name: 'Busy visitor' });
    const survivor = await startCustomerConversation(api, { name: 'Survivor of a busy merge' });
    const conversationId = merged.conversationId;
    const count = 12;
    const post = (token: string, body: string) => api.request('POST', `/api/conversations/${conversationId}/messages`, { token, body: { body } });
    const postAsCustomer = (body: string) =>
      api.request('POST', `/api/widget/conversations/${conversationId}/messages`, { token: merged.visitor.token, body: { body } });

    const writes = Array.from({ length: count }, (_, index) => [post(tokens.agent, `agent ${index}`), postAsCustomer(`customer ${index}`)]).flat();
    const merging = mergeCustomers(api, { survivorId: survivor.visitor.customerId, mergedId: merged.visitor.customerId, actor: agent });
    const [answers] = await Promise.all([Promise.all(writes), merging]);

    const accepted = answers.filter((answer) => answer.status === 201);
    // Agents may always write; the merged contact's own messages are accepted until the merge moves the conversation.
    expect(answers.filter((answer) => answer.status !== 201).every((answer) => answer.status === 404 || answer.status === 401)).toBe(true);
    expect(accepted.length).toBeGreaterThanOrEqual(count);
    const acceptedIds = accepted.map((answer) => answer.body.message.id as string);
    const stored = await api.db.message.findMany({ where: { conversationId }, select: { id: true, body: true, authorKind: true, customerId: true } });
    // The first message, then exactly the accepted ones: none lost, none twice, no refused one stored.
    expect(stored.map((row) => row.id).sort()).toEqual([merged.messageId, ...acceptedIds].sort());
    for (const row of stored.filter((message) => message.authorKind === 'customer')) expect(row.customerId).toBe(survivor.visitor.customerId);
    expect((await api.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).customerId).toBe(survivor.visitor.customerId);

    const events = await api.db.event.findMany({ where: { conversationId, type: 'message.created' }, select: { customerId: true, payload: true } });
    const eventMessageIds = events.map((event) => (event.payload as { message: { id: string } }).message.id);
    expect(eventMessageIds.sort()).toEqual([merged.messageId, ...acceptedIds].sort());
    expect(events.every((event) => event.customerId === survivor.visitor.customerId)).toBe(true);

    // Later events carry the survivor's id.
    const later = await post(tokens.agent, 'after the merge');
    expect(later.status).toBe(201);
    const event = await api.db.event.findFirstOrThrow({ where: { conversationId, type: 'message.created' }, orderBy: { id: 'desc' } });
    expect(event.customerId).toBe(survivor.visitor.customerId);
  });
});
