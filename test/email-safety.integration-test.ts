// Email safety on the real stack (PostgreSQL, Temporal dev server, API, worker, the local AI
// fallback over the demo knowledge base), mail posted to the inbound webhook: an auto-reply, a
// bounce and a sender past the hourly limit never get the bot or a rule — and so nothing the bot or
// a rule would have resolved asks for a CSAT rating — while a normal mail in the same setup gets
// both; they go to a person instead. A bounce about our mail marks the customer's address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventView } from '../domain/events.js';
import { defaultAutoReplyLimit } from '../infra/email/inbound/auto-reply-limit.js';
import { createOutgoingMessageId } from '../infra/email/threading.js';
import { dsnBounce, outOfOffice } from './support/mail-samples.js';
import type { TestSocket } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';

/** The replyDomain the API uses without MAIL_FROM (support@seamless.local). */
const replyDomain = 'seamless.local';
const channelAddress = 'support@seamless.local';
/** A question the demo knowledge base answers with confidence (test/self-service.integration-test.ts). */
const question = 'Why is my transfer still pending?';

let system: TestSystem;
let adminSocket: TestSocket;
let channelId: string;
let webhookSecret: string;
let ruleId: string;

beforeAll(async () => {
  system = await startSystem();
  const admin = await system.login('admin@seamless.local');
  adminSocket = await system.socket(admin);
  expect((await system.request('PATCH', '/api/settings/self-service', { token: admin, body: { enabled: true, threshold: null } })).status).toBe(200);
  // A rule on every customer message: it runs for the normal mail, never for the automated ones.
  const rule = await system.request('POST', '/api/rules', {
    token: admin,
    body: {
      name: 'Acknowledge every message',
      enabled: true,
      scope: 'conversation',
      trigger: { on: 'message_received', from: 'customer' },
      conditions: { all: [] },
      actions: [{ type: 'add_tag', tag: 'acknowledged' }],
    },
  });
  expect(rule.status).toBe(201);
  ruleId = rule.body.rule.id;
  channelId = (await system.db.channel.findFirstOrThrow({ where: { kind: 'email' } })).id;
  await system.db.channel.update({ where: { id: channelId }, data: { enabled: true, settings: { address: channelAddress } } });
  webhookSecret = (await system.request('POST', `/api/channels/${channelId}/inbound-email-secret`, { token: admin })).body.secret;
  // A person who takes what the bot may not answer (routing is what a quiet mail gets).
  await system.db.user.update({ where: { email: 'lina@seamless.local' }, data: { capacity: 500 } });
  const agent = await system.login('lina@seamless.local');
  expect((await system.request('PUT', '/api/me/presence', { token: agent, body: { presence: 'online' } })).status).toBe(200);
});
afterAll(() => system?.stop());

const post = async (raw: string) => {
  const response = await fetch(`${system.url}/api/inbound/email/${channelId}`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': webhookSecret },
    body: Buffer.from(raw),
  });
  expect(response.status).toBe(202);
  return (await response.json()) as { outcome: string; inboundEmailId: string; conversationId: string };
};

const mail = (headers: Record<string, string>, body: string) =>
  Object.entries({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', To: channelAddress, ...headers })
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n') + `\r\n\r\n${body}\r\n`;

/** How the conversation's first message was dealt with: the bot answered or declined it, or a person got it without the bot. */
const settled = async (conversationId: string) => {
  const event = await adminSocket.waitForEvent(
    (candidate: EventView) => candidate.conversationId === conversationId && ['bot.answered', 'bot.declined', 'conversation.assigned'].includes(candidate.type),
    30_000,
  );
  return event.type;
};
const botEvents = (conversationId: string) =>
  adminSocket.events().filter((event) => event.conversationId === conversationId && event.type.startsWith('bot.')).length;
const ruleRuns = (conversationId: string) => system.db.ruleExecution.count({ where: { ruleId, conversationId } });
const conversation = (id: string) => system.db.conversation.findUniqueOrThrow({ where: { id } });

describe('automated mail on the real workflow', () => {
  it('the bot answers a normal mail and the rule runs on it', async () => {
    const { conversationId } = await post(mail({ From: 'erin@example.com', Subject: 'Transfer', 'Message-ID': '<erin-1@example.com>' }, question));
    expect(await settled(conversationId)).toBe('bot.answered');
    // The rule's tag comes after the bot's turn (rules run once the first message has been dealt with).
    await adminSocket.waitForEvent((event) => event.conversationId === conversationId && event.type === 'conversation.tag_added', 30_000);
    expect(await ruleRuns(conversationId)).toBeGreaterThan(0);
    expect((await conversation(conversationId)).tags).toContain('acknowledged');
  });

  it('an auto-reply asking the same gets neither the bot nor the rule: a person gets it, and nothing resolves it', async () => {
    const raw = outOfOffice
      .toString('utf8')
      .replace('reply+TOKEN@support.example.com', channelAddress)
      .replace('I am out of the office until Monday.', question);
    const { conversationId } = await post(raw);
    expect(await settled(conversationId)).toBe('conversation.assigned');
    expect(botEvents(conversationId)).toBe(0);
    expect(await ruleRuns(conversationId)).toBe(0);
    // Nothing resolved it, so nothing asks the customer for a rating.
    expect(await conversation(conversationId)).toMatchObject({ status: 'open', tags: [], resolvedAt: null });
  });

  it('a bounce about mail we sent never gets the bot or a rule, and marks the address; one naming no conversation is only recorded', async () => {
    const { conversationId } = await post(mail({ From: 'nobody@example.org', Subject: 'Question', 'Message-ID': '<nobody-1@example.org>' }, question));
    expect(await settled(conversationId)).toBe('bot.answered');
    // The rule on the customer's message runs after the bot's turn: counted once it has run.
    await adminSocket.waitForEvent((event) => event.conversationId === conversationId && event.type === 'conversation.tag_added', 30_000);
    const rulesBefore = await ruleRuns(conversationId);
    const bounce = dsnBounce
      .toString('utf8')
      .replace('reply+TOKEN@support.example.com', channelAddress)
      .replace('<11111111-2222-4333-8444-555555555555.abcdefghijklmnop@support.example.com>', createOutgoingMessageId(conversationId, replyDomain));
    expect(await post(bounce)).toMatchObject({ outcome: 'processed', conversationId });
    expect((await system.db.customer.findFirstOrThrow({ where: { email: 'nobody@example.org' } })).emailBounceReason).toBe('5.1.1');
    const note = await adminSocket.waitForEvent(
      (event) => event.conversationId === conversationId && event.type === 'message.created' && event.actorKind === 'system',
    );
    expect((note.payload.message as { authorKind: string }).authorKind).toBe('system');
    // The bot's conversation is as it was: the note woke nothing (no hand-off, no rule).
    expect((await conversation(conversationId)).status).toBe('bot');
    expect(await ruleRuns(conversationId)).toBe(rulesBefore);

    const stray = await post(
      dsnBounce
        .toString('utf8')
        .replace('reply+TOKEN@support.example.com', channelAddress)
        .replace('<20261201100000.ABC@mx.example.org>', '<stray-1@mx.example.org>'),
    );
    // Kept with its reason; no customer is made of the mailer-daemon and no conversation started.
    expect(stray).toMatchObject({ outcome: 'recorded', conversationId: null });
    expect(await system.db.inboundEmail.findUniqueOrThrow({ where: { id: stray.inboundEmailId } })).toMatchObject({ status: 'refused', conversationId: null });
    expect(await system.db.customer.count({ where: { email: { equals: 'mailer-daemon@mx.example.org', mode: 'insensitive' } } })).toBe(0);
  });

  it('50 unmarked auto-replies in a row from one sender: at most the limit get the bot or the rules, the rest go to a person', async () => {
    const conversationIds: string[] = [];
    for (let n = 1; n <= 50; n += 1) {
      const raw = mail({ From: 'responder@loop.example', Subject: `Re: your request (${n})`, 'Message-ID': `<loop-${n}@loop.example>` }, question);
      conversationIds.push((await post(raw)).conversationId);
    }
    const outcomes = [];
    for (const id of conversationIds) outcomes.push(await settled(id));
    const answered = outcomes.filter((outcome) => outcome !== 'conversation.assigned').length;
    expect(answered).toBeLessThanOrEqual(defaultAutoReplyLimit.max);
    expect(answered).toBeGreaterThan(0); // the first ones were answered: the limit, not a broken bot, held the rest
    const ruled = await system.db.ruleExecution.groupBy({ by: ['conversationId'], where: { ruleId, conversationId: { in: conversationIds } } });
    expect(ruled.length).toBeLessThanOrEqual(defaultAutoReplyLimit.max);
    for (const id of conversationIds.slice(defaultAutoReplyLimit.max)) expect(botEvents(id), id).toBe(0);
  });

  it('a conversation an auto-reply began gets no rule words to the customer on later events either (assigned): the rule runs, its reply is skipped', async () => {
    const admin = await system.login('admin@seamless.local');
    const rule = await system.request('POST', '/api/rules', {
      token: admin,
      body: {
        name: 'Greet on assignment',
        enabled: true,
        scope: 'conversation',
        trigger: { on: 'assigned' },
        conditions: { all: [] },
        actions: [
          { type: 'add_tag', tag: 'greeted' },
          { type: 'send_reply', text: 'Hello, an agent has your request.' },
        ],
      },
    });
    expect(rule.status).toBe(201);
    try {
      const raw = outOfOffice
        .toString('utf8')
        .replace('reply+TOKEN@support.example.com', channelAddress)
        .replace(/Message-ID: <[^>]+>/i, 'Message-ID: <oof-assigned@corp.example.net>');
      const { conversationId } = await post(raw);
      expect(await settled(conversationId)).toBe('conversation.assigned');
      // The rule ran on the assignment (its tag came), its reply to the customer did not.
      await adminSocket.waitForEvent((event) => event.conversationId === conversationId && event.type === 'conversation.tag_added', 30_000);
      // Each action's outcome is recorded as it runs: wait for the last one.
      const execution = await waitUntil(async () => {
        const found = await system.db.ruleExecution.findFirst({ where: { ruleId: rule.body.rule.id, conversationId } });
        return found && !(found.actions as { status: string }[]).some((action) => action.status === 'pending') ? found : null;
      }, 30_000);
      expect(execution.actions).toEqual([
        expect.objectContaining({ type: 'add_tag', status: 'done' }),
        expect.objectContaining({ type: 'send_reply', status: 'skipped', note: expect.stringContaining('auto-reply or a bounce') }),
      ]);
      expect(await system.db.message.count({ where: { conversationId, authorKind: { not: 'customer' } } })).toBe(0);
    } finally {
      await system.request('DELETE', `/api/rules/${rule.body.rule.id}`, { token: admin });
    }
  });
});
