// Every endpoint refuses bad input with a clear JSON 4xx and leaves the database as it was:
// malformed JSON, missing fields, wrong types, oversize bodies, unknown ids, no or wrong token.
// Every route taking a body (read from the app's router, so a new route is covered at once) also
// gets 10,000 nested arrays and objects, invalid UTF-8, malformed JSON, a body over the limit and
// a NUL character (U+0000) in a string and in a key; every route gets a NUL in its query and in
// its path parameters. The process must answer /api/health after each.
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFingerprint } from './support/fingerprint.js';
import { apiRoutes } from './support/registered-routes.js';
import type { BadInputCase } from './support/bad-input-case.js';
import { signIn } from './support/fixtures.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let agent: string;
let admin: string;
let visitor: string;
let visitorCustomerId: string;
let otherVisitor: string;
let conversationId: string;

beforeAll(async () => {
  system = await startSystem();
  ({ agent, admin } = await signIn(system, 'agent', 'admin'));
  ({ token: visitor, customerId: visitorCustomerId } = await system.visitor('Owner'));
  otherVisitor = (await system.visitor('Stranger')).token;
  const adminSocket = await system.socket(admin);
  const started = await system.request('POST', '/api/widget/conversations', { token: visitor, body: { body: 'my order is late' } });
  conversationId = started.body.conversation.id;
  // Routing must have settled, so the workflow's own writes do not count as changes below.
  await adminSocket.waitForEvent((event) => event.type === 'conversation.assigned' && event.conversationId === conversationId);
});
afterAll(() => system?.stop());

const huge = 'x'.repeat(70 * 1024); // over the 64 KB body limit
const unknownId = randomUUID();
const nestedArrays = '['.repeat(10_000) + ']'.repeat(10_000); // 20 KB: under the size limit
const nestedObjects = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000); // 60 KB
const invalidUtf8 = new Uint8Array([...Buffer.from('{"body":"caf'), 0xc3, 0x28, 0xff, 0xfe, ...Buffer.from('"}')]);

type Case = BadInputCase;

const cases: Case[] = [
  // Calls (api/routes/call-routes.ts)
  {
    name: 'a call with an unknown media',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/calls`,
    options: () => ({ token: agent, body: { media: 'hologram' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: "a visitor's call with an unknown field",
    method: 'POST',
    path: () => `/api/widget/conversations/${conversationId}/calls`,
    options: () => ({ token: visitor, body: { media: 'audio', record: true } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a call that does not exist',
    method: 'POST',
    path: () => `/api/calls/${unknownId}/accept`,
    options: () => ({ token: admin }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a call id that is no uuid',
    method: 'GET',
    path: () => '/api/widget/calls/42',
    options: () => ({ token: visitor }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a call transferred to no uuid',
    method: 'POST',
    path: () => `/api/calls/${unknownId}/transfer`,
    options: () => ({ token: admin, body: { agentId: 'lina' } }),
    status: 400,
    code: 'invalid_input',
  },
  // /api/team-members (api/routes/team-member-routes.ts) and the one-time links
  {
    name: 'an invitation with a malformed email',
    method: 'POST',
    path: () => '/api/team-members/invitations',
    options: () => ({ token: admin, body: { email: 'not-an-email', name: 'Mei' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'an invitation with an unknown role and no capacity',
    method: 'POST',
    path: () => '/api/team-members/invitations',
    options: () => ({ token: admin, body: { email: 'mei@example.com', name: 'Mei', role: 'owner', capacity: 0 } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'an invitation to an unknown team',
    method: 'POST',
    path: () => '/api/team-members/invitations',
    options: () => ({ token: admin, body: { email: 'mei@example.com', name: 'Mei', teamId: unknownId } }),
    status: 400,
    code: 'unknown_team',
  },
  {
    name: 'an invitation for an email that has an account',
    method: 'POST',
    path: () => '/api/team-members/invitations',
    options: () => ({ token: admin, body: { email: 'AGENT@seamless.local', name: 'Alex again' } }),
    status: 409,
    code: 'email_taken',
  },
  {
    name: 'deactivating a member by a malformed id',
    method: 'POST',
    path: () => '/api/team-members/42/deactivate',
    options: () => ({ token: admin }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'deactivating an unknown member',
    method: 'POST',
    path: () => `/api/team-members/${unknownId}/deactivate`,
    options: () => ({ token: admin }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'deactivating a member with a body',
    method: 'POST',
    path: () => `/api/team-members/${unknownId}/deactivate`,
    options: () => ({ token: admin, body: { reason: 'left' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'deactivating a member as an agent',
    method: 'POST',
    path: () => `/api/team-members/${unknownId}/deactivate`,
    options: () => ({ token: agent }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a reset link for an unknown member',
    method: 'POST',
    path: () => `/api/team-members/${unknownId}/reset-link`,
    options: () => ({ token: admin }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a password link with a malformed token',
    method: 'POST',
    path: () => '/api/auth/password-link',
    options: () => ({ body: { token: 'sst_not-a-link' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'using a password link no one made',
    method: 'POST',
    path: () => '/api/auth/password-link/use',
    options: () => ({ body: { token: `rst_${'B'.repeat(43)}`, password: 'violet-harbour-tangerine-42' } }),
    status: 404,
    code: 'link_invalid',
  },
  {
    name: 'using a password link with a password over 1024 characters',
    method: 'POST',
    path: () => '/api/auth/password-link/use',
    options: () => ({ body: { token: `inv_${'C'.repeat(43)}`, password: 'x'.repeat(1025) } }),
    status: 400,
    code: 'invalid_input',
  },
  // POST /api/auth/login
  {
    name: 'login with malformed JSON',
    method: 'POST',
    path: () => '/api/auth/login',
    options: () => ({ rawBody: '{"email": ' }),
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'login without a password',
    method: 'POST',
    path: () => '/api/auth/login',
    options: () => ({ body: { email: 'agent@seamless.local' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'login with a number as email',
    method: 'POST',
    path: () => '/api/auth/login',
    options: () => ({ body: { email: 42, password: 'x' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'login with an oversize body',
    method: 'POST',
    path: () => '/api/auth/login',
    options: () => ({ body: { email: huge, password: 'x' } }),
    status: 413,
    code: 'payload_too_large',
  },
  // POST /api/auth/logout, GET /api/auth/me
  { name: 'logout without a token', method: 'POST', path: () => '/api/auth/logout', options: () => ({}), status: 401, code: 'unauthorized' },
  { name: 'me with a forged token', method: 'GET', path: () => '/api/auth/me', options: () => ({ token: 'sst_forged' }), status: 401, code: 'unauthorized' },
  { name: 'me with a visitor token', method: 'GET', path: () => '/api/auth/me', options: () => ({ token: visitor }), status: 403, code: 'forbidden' },
  // PUT /api/me/presence
  {
    name: 'presence with an unknown value',
    method: 'PUT',
    path: () => '/api/me/presence',
    options: () => ({ token: agent, body: { presence: 'asleep' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'presence with an unknown field',
    method: 'PUT',
    path: () => '/api/me/presence',
    options: () => ({ token: agent, body: { presence: 'away', mood: 'happy' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'presence without a token',
    method: 'PUT',
    path: () => '/api/me/presence',
    options: () => ({ body: { presence: 'away' } }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'presence with a visitor token',
    method: 'PUT',
    path: () => '/api/me/presence',
    options: () => ({ token: visitor, body: { presence: 'away' } }),
    status: 403,
    code: 'forbidden',
  },
  // POST /api/widget/visitors
  {
    name: 'visitor with an invalid email',
    method: 'POST',
    path: () => '/api/widget/visitors',
    options: () => ({ body: { email: 'not-an-email' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'visitor with a name that is an array',
    method: 'POST',
    path: () => '/api/widget/visitors',
    options: () => ({ body: { name: ['a'] } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'visitor with malformed JSON',
    method: 'POST',
    path: () => '/api/widget/visitors',
    options: () => ({ rawBody: '[1,' }),
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'visitor with an identity claim without a user id',
    method: 'POST',
    path: () => '/api/widget/visitors',
    options: () => ({ body: { identity: { email: 'a@example.com', userHash: 'ab' } } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'visitor of a channel that is not web chat',
    method: 'POST',
    path: () => '/api/widget/visitors',
    options: () => ({ body: { channelId: randomUUID(), identity: { userId: 'u1' } } }),
    status: 404,
    code: 'not_found',
  },
  // GET /api/widget/config, POST /api/widget/pre-chat
  {
    name: 'widget config with a channel id that is not a uuid',
    method: 'GET',
    path: () => '/api/widget/config?channelId=nope',
    options: () => ({}),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'pre-chat answers without a token',
    method: 'POST',
    path: () => '/api/widget/pre-chat',
    options: () => ({ body: { name: 'Ann' } }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'pre-chat answers with a field key that is not one',
    method: 'POST',
    path: () => '/api/widget/pre-chat',
    options: () => ({ token: visitor, body: { fields: { 'Not A Key': 'x' } } }),
    status: 400,
    code: 'invalid_input',
  },
  // GET/POST /api/widget/conversations
  {
    name: 'widget conversations without a token',
    method: 'GET',
    path: () => '/api/widget/conversations',
    options: () => ({}),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'widget conversations with an agent token',
    method: 'GET',
    path: () => '/api/widget/conversations',
    options: () => ({ token: agent }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'new conversation with an empty message',
    method: 'POST',
    path: () => '/api/widget/conversations',
    options: () => ({ token: visitor, body: { body: '   ' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'new conversation without a body field',
    method: 'POST',
    path: () => '/api/widget/conversations',
    options: () => ({ token: visitor, body: {} }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'new conversation with an object as message',
    method: 'POST',
    path: () => '/api/widget/conversations',
    options: () => ({ token: visitor, body: { body: { html: '<b>' } } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'new conversation with an oversize body',
    method: 'POST',
    path: () => '/api/widget/conversations',
    options: () => ({ token: visitor, body: { body: huge } }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'new conversation with a bad Idempotency-Key',
    method: 'POST',
    path: () => '/api/widget/conversations',
    options: () => ({ token: visitor, body: { body: 'hi' }, headers: { 'idempotency-key': 'has spaces' } }),
    status: 400,
    code: 'invalid_idempotency_key',
  },
  {
    name: 'new conversation with an agent token',
    method: 'POST',
    path: () => '/api/widget/conversations',
    options: () => ({ token: agent, body: { body: 'hi' } }),
    status: 403,
    code: 'forbidden',
  },
  // /api/widget/conversations/:id/queue
  {
    name: "another customer's place in the queue",
    method: 'GET',
    path: () => `/api/widget/conversations/${conversationId}/queue`,
    options: () => ({ token: otherVisitor }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'queue place with a malformed id',
    method: 'GET',
    path: () => '/api/widget/conversations/not-a-uuid/queue',
    options: () => ({ token: visitor }),
    status: 400,
    code: 'invalid_input',
  },
  // /api/widget/conversations/:id/messages
  {
    name: "another customer's messages",
    method: 'GET',
    path: () => `/api/widget/conversations/${conversationId}/messages`,
    options: () => ({ token: otherVisitor }),
    status: 404,
    code: 'not_found',
  },
  {
    name: "posting into another customer's conversation",
    method: 'POST',
    path: () => `/api/widget/conversations/${conversationId}/messages`,
    options: () => ({ token: otherVisitor, body: { body: 'hi' } }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'widget messages of an unknown conversation',
    method: 'GET',
    path: () => `/api/widget/conversations/${unknownId}/messages`,
    options: () => ({ token: visitor }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'widget messages with a malformed id',
    method: 'GET',
    path: () => '/api/widget/conversations/not-a-uuid/messages',
    options: () => ({ token: visitor }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'widget message with a number as body',
    method: 'POST',
    path: () => `/api/widget/conversations/${conversationId}/messages`,
    options: () => ({ token: visitor, body: { body: 7 } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'widget message with an unknown field',
    method: 'POST',
    path: () => `/api/widget/conversations/${conversationId}/messages`,
    options: () => ({ token: visitor, body: { body: 'hi', private: true } }),
    status: 400,
    code: 'invalid_input',
  },
  // /api/conversations
  { name: 'conversation list without a token', method: 'GET', path: () => '/api/conversations', options: () => ({}), status: 401, code: 'unauthorized' },
  {
    name: 'conversation list with a visitor token',
    method: 'GET',
    path: () => '/api/conversations',
    options: () => ({ token: visitor }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'conversation list with an unknown status',
    method: 'GET',
    path: () => '/api/conversations?status=lost',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'conversation list with a cursor it did not hand out',
    method: 'GET',
    path: () => '/api/conversations?cursor=bm90LWEtY3Vyc29y',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_cursor',
  },
  {
    name: 'conversation list with a page size over 200',
    method: 'GET',
    path: () => '/api/conversations?limit=201',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'messages with a cursor they did not hand out',
    method: 'GET',
    path: () => `/api/conversations/${conversationId}/messages?cursor=${'x'.repeat(40)}`,
    options: () => ({ token: admin }),
    status: 400,
    code: 'invalid_cursor',
  },
  {
    name: 'messages with a page size that is not a number',
    method: 'GET',
    path: () => `/api/conversations/${conversationId}/messages?limit=many`,
    options: () => ({ token: admin }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'an unknown conversation',
    method: 'GET',
    path: () => `/api/conversations/${unknownId}`,
    options: () => ({ token: agent }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a conversation with a malformed id',
    method: 'GET',
    path: () => "/api/conversations/1' OR '1'='1",
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'messages of an unknown conversation',
    method: 'GET',
    path: () => `/api/conversations/${unknownId}/messages`,
    options: () => ({ token: agent }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'explanations of an unknown conversation',
    method: 'GET',
    path: () => `/api/conversations/${unknownId}/explanations`,
    options: () => ({ token: agent }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'explanations of a conversation with a malformed id',
    method: 'GET',
    path: () => '/api/conversations/not-a-uuid/explanations',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  // Scheduled messages (api/routes/scheduled-message-routes.ts)
  {
    name: 'a message scheduled in the past',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/scheduled-messages`,
    options: () => ({ token: agent, body: { body: 'Later', sendAt: '2020-01-01T09:00:00Z' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a message scheduled more than a year ahead',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/scheduled-messages`,
    options: () => ({ token: agent, body: { body: 'Later', sendAt: new Date(Date.now() + 400 * 24 * 60 * 60 * 1000).toISOString() } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a scheduled message with an empty body and a time that is no date',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/scheduled-messages`,
    options: () => ({ token: agent, body: { body: '  ', sendAt: 'tomorrow' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a message scheduled in an unknown conversation',
    method: 'POST',
    path: () => `/api/conversations/${unknownId}/scheduled-messages`,
    options: () => ({ token: agent, body: { body: 'Later', sendAt: '2099-01-01T09:00:00Z' } }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a visitor scheduling a message',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/scheduled-messages`,
    options: () => ({ token: visitor, body: { body: 'Later', sendAt: '2099-01-01T09:00:00Z' } }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'scheduled messages listed with an unknown filter value',
    method: 'GET',
    path: () => '/api/scheduled-messages?mine=perhaps',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'an edit of a scheduled message that changes nothing',
    method: 'PATCH',
    path: () => `/api/scheduled-messages/${unknownId}`,
    options: () => ({ token: agent, body: {} }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'an edit of an unknown scheduled message',
    method: 'PATCH',
    path: () => `/api/scheduled-messages/${unknownId}`,
    options: () => ({ token: agent, body: { body: 'Edited' } }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a cancel of an unknown scheduled message',
    method: 'POST',
    path: () => `/api/scheduled-messages/${unknownId}/cancel`,
    options: () => ({ token: agent, body: {} }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a reply with private as a string',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/messages`,
    options: () => ({ token: agent, body: { body: 'hi', private: 'yes' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a reply with malformed JSON',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/messages`,
    options: () => ({ token: agent, rawBody: '{"body":"hi"' }),
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'a reply with invalid UTF-8 (it would be stored mangled)',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/messages`,
    options: () => ({ token: agent, rawBody: invalidUtf8 }),
    status: 400,
    code: 'invalid_utf8',
  },
  {
    name: 'a reply with 10,000 nested arrays in an extra field',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/messages`,
    options: () => ({ token: agent, rawBody: `{"body":"hi","x":${nestedArrays}}` }),
    status: 400,
    code: 'too_deeply_nested',
  },
  {
    name: 'a reply with SQL in an unknown field',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/messages`,
    options: () => ({ token: agent, body: { body: 'hi', '\'; DROP TABLE "Message"; --': '<script>alert(1)</script>' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a reply with an oversize body',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/messages`,
    options: () => ({ token: agent, body: { body: huge } }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'a reply with a visitor token',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/messages`,
    options: () => ({ token: visitor, body: { body: 'hi' } }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a reply into an unknown conversation',
    method: 'POST',
    path: () => `/api/conversations/${unknownId}/messages`,
    options: () => ({ token: agent, body: { body: 'hi' } }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'resolving an unknown conversation',
    method: 'POST',
    path: () => `/api/conversations/${unknownId}/resolve`,
    options: () => ({ token: admin }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'resolving with a visitor token',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/resolve`,
    options: () => ({ token: visitor }),
    status: 403,
    code: 'forbidden',
  },
  // lifecycle actions: /api/conversations/:id/{reopen,snooze,transfer,priority,merge}
  {
    name: 'reopening an open conversation',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/reopen`,
    options: () => ({ token: agent }),
    status: 409,
    code: 'invalid_transition',
  },
  {
    name: 'marking an unknown conversation read',
    method: 'POST',
    path: () => `/api/conversations/${unknownId}/read`,
    options: () => ({ token: agent, body: {} }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'marking a conversation read with an unknown field',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/read`,
    options: () => ({ token: agent, body: { at: '2020-01-01T00:00:00Z' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'notification preferences with a field missing',
    method: 'PUT',
    path: () => '/api/me/notifications',
    options: () => ({ token: agent, body: { desktop: true } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'notification preferences with a non-boolean',
    method: 'PUT',
    path: () => '/api/me/notifications',
    options: () => ({ token: agent, body: { desktop: 'yes', sound: false, assigned: true, mention: true, customerMessage: true, slaWarning: true } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a bulk action on no conversation',
    method: 'POST',
    path: () => '/api/conversations/bulk',
    options: () => ({ token: agent, body: { action: 'resolve', conversationIds: [] } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a bulk action naming a conversation twice',
    method: 'POST',
    path: () => '/api/conversations/bulk',
    options: () => ({ token: agent, body: { action: 'resolve', conversationIds: [conversationId, conversationId] } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'an unknown bulk action',
    method: 'POST',
    path: () => '/api/conversations/bulk',
    options: () => ({ token: agent, body: { action: 'delete', conversationIds: [conversationId] } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a bulk assignment to both an agent and a team',
    method: 'POST',
    path: () => '/api/conversations/bulk',
    options: () => ({ token: agent, body: { action: 'assign', conversationIds: [conversationId], toAgentId: unknownId, toTeamId: unknownId } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a bulk action on more than 50 conversations',
    method: 'POST',
    path: () => '/api/conversations/bulk',
    options: () => ({ token: agent, body: { action: 'resolve', conversationIds: Array.from({ length: 51 }, () => randomUUID()) } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a bulk action with a visitor token',
    method: 'POST',
    path: () => '/api/conversations/bulk',
    options: () => ({ token: visitor, body: { action: 'resolve', conversationIds: [conversationId] } }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'resolving with an unknown field',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/resolve`,
    options: () => ({ token: agent, body: { reason: 'x' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'snoozing until a non-date',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/snooze`,
    options: () => ({ token: agent, body: { until: 'tomorrow' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'snoozing until the past',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/snooze`,
    options: () => ({ token: agent, body: { until: '2020-01-01T00:00:00Z' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a transfer to both an agent and a team',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/transfer`,
    options: () => ({ token: agent, body: { toAgentId: unknownId, toTeamId: unknownId } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a transfer to nobody',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/transfer`,
    options: () => ({ token: agent, body: {} }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a transfer to an unknown team',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/transfer`,
    options: () => ({ token: agent, body: { toTeamId: unknownId } }),
    status: 409,
    code: 'transfer_refused',
  },
  {
    name: 'a transfer to an unknown agent',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/transfer`,
    options: () => ({ token: agent, body: { toAgentId: unknownId } }),
    status: 409,
    code: 'transfer_refused',
  },
  {
    name: 'an unknown priority',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/priority`,
    options: () => ({ token: agent, body: { priority: 'critical' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a priority change with a visitor token',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/priority`,
    options: () => ({ token: visitor, body: { priority: 'high' } }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'merging into itself',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/merge`,
    options: () => ({ token: agent, body: { intoConversationId: conversationId } }),
    status: 409,
    code: 'merge_refused',
  },
  {
    name: 'merging into an unknown conversation',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/merge`,
    options: () => ({ token: agent, body: { intoConversationId: unknownId } }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'merging with a malformed target id',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/merge`,
    options: () => ({ token: agent, body: { intoConversationId: 'abc' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'snoozing an unknown conversation',
    method: 'POST',
    path: () => `/api/conversations/${unknownId}/snooze`,
    options: () => ({ token: agent, body: {} }),
    status: 404,
    code: 'not_found',
  },
  // /api/channels/:id/identity-secret
  {
    name: "a channel's identity secret as an agent",
    method: 'GET',
    path: () => `/api/channels/${unknownId}/identity-secret`,
    options: () => ({ token: agent }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a new identity secret for an unknown channel',
    method: 'POST',
    path: () => `/api/channels/${unknownId}/identity-secret`,
    options: () => ({ token: admin }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'an identity secret for a channel id that is not a uuid',
    method: 'POST',
    path: () => '/api/channels/nope/identity-secret',
    options: () => ({ token: admin }),
    status: 400,
    code: 'invalid_input',
  },
  // /api/users
  { name: 'the team list without a token', method: 'GET', path: () => '/api/users', options: () => ({}), status: 401, code: 'unauthorized' },
  {
    name: "changing an agent's capacity as an agent",
    method: 'PATCH',
    path: () => `/api/users/${unknownId}`,
    options: () => ({ token: agent, body: { capacity: 9 } }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'changing an unknown user',
    method: 'PATCH',
    path: () => `/api/users/${unknownId}`,
    options: () => ({ token: admin, body: { capacity: 9 } }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a capacity that is not a whole number',
    method: 'PATCH',
    path: () => `/api/users/${unknownId}`,
    options: () => ({ token: admin, body: { capacity: 2.5 } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'an unknown agent field',
    method: 'PATCH',
    path: () => `/api/users/${unknownId}`,
    options: () => ({ token: admin, body: { role: 'admin' } }),
    status: 400,
    code: 'invalid_input',
  },
  // /api/customers/:id/export and /erase (api/routes/data-rights-routes.ts): admins only, the erasure confirmed by name or ERASE
  {
    name: 'exporting a contact as an agent',
    method: 'GET',
    path: () => `/api/customers/${visitorCustomerId}/export`,
    options: () => ({ token: agent }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'exporting an unknown contact',
    method: 'GET',
    path: () => `/api/customers/${unknownId}/export`,
    options: () => ({ token: admin }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'exporting a contact in an unknown format',
    method: 'GET',
    path: () => `/api/customers/${visitorCustomerId}/export?format=csv`,
    options: () => ({ token: admin }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'erasing a contact as an agent',
    method: 'POST',
    path: () => `/api/customers/${visitorCustomerId}/erase`,
    options: () => ({ token: agent, body: { confirm: 'ERASE' } }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'erasing a contact without a confirmation',
    method: 'POST',
    path: () => `/api/customers/${visitorCustomerId}/erase`,
    options: () => ({ token: admin, body: {} }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'erasing a contact with a confirmation that is not their name',
    method: 'POST',
    path: () => `/api/customers/${visitorCustomerId}/erase`,
    options: () => ({ token: admin, body: { confirm: 'Someone else' } }),
    status: 400,
    code: 'confirmation_mismatch',
  },
  {
    name: 'erasing an unknown contact',
    method: 'POST',
    path: () => `/api/customers/${unknownId}/erase`,
    options: () => ({ token: admin, body: { confirm: 'ERASE' } }),
    status: 404,
    code: 'not_found',
  },
  // /api/customers, /api/customers/:id, /api/customers/:id/merge, /api/customer-attributes
  { name: 'the contacts list as a visitor', method: 'GET', path: () => '/api/customers', options: () => ({ token: visitor }), status: 403, code: 'forbidden' },
  {
    name: 'the contacts list with a page that is not a number',
    method: 'GET',
    path: () => '/api/customers?page=first',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'the contacts list with an unknown filter',
    method: 'GET',
    path: () => '/api/customers?sort=name',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'the profile of an unknown contact',
    method: 'GET',
    path: () => `/api/customers/${unknownId}`,
    options: () => ({ token: agent }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'editing a contact with an email that is not one',
    method: 'PATCH',
    path: () => `/api/customers/${unknownId}`,
    options: () => ({ token: agent, body: { email: 'not an email' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'editing a contact with VIP as text',
    method: 'PATCH',
    path: () => `/api/customers/${unknownId}`,
    options: () => ({ token: agent, body: { vip: 'yes' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'editing an unknown contact',
    method: 'PATCH',
    path: () => `/api/customers/${unknownId}`,
    options: () => ({ token: agent, body: { name: 'Nobody' } }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'editing a contact as a visitor',
    method: 'PATCH',
    path: () => `/api/customers/${unknownId}`,
    options: () => ({ token: visitor, body: { name: 'Me' } }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'merging a contact with a malformed id',
    method: 'POST',
    path: () => `/api/customers/${unknownId}/merge`,
    options: () => ({ token: agent, body: { otherId: 'abc' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'merging an unknown contact',
    method: 'POST',
    path: () => `/api/customers/${unknownId}/merge`,
    options: () => ({ token: agent, body: { otherId: randomUUID() } }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'merging a contact with itself',
    method: 'POST',
    path: () => `/api/customers/${unknownId}/merge`,
    options: () => ({ token: agent, body: { otherId: unknownId } }),
    status: 400,
    code: 'invalid_merge',
  },
  {
    name: 'custom attributes as an agent',
    method: 'PUT',
    path: () => '/api/customer-attributes',
    options: () => ({ token: agent, body: { attributes: [] } }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a select attribute without options',
    method: 'PUT',
    path: () => '/api/customer-attributes',
    options: () => ({ token: admin, body: { attributes: [{ key: 'plan', labelEn: 'Plan', labelZh: '套餐', type: 'select' }] } }),
    status: 400,
    code: 'invalid_input',
  },
  // /api/customers/:id/events
  {
    name: 'the journey of an unknown customer',
    method: 'GET',
    path: () => `/api/customers/${unknownId}/events`,
    options: () => ({ token: agent }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a journey with a visitor token',
    method: 'GET',
    path: () => `/api/customers/${unknownId}/events`,
    options: () => ({ token: visitor }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a journey without a token',
    method: 'GET',
    path: () => `/api/customers/${unknownId}/events`,
    options: () => ({}),
    status: 401,
    code: 'unauthorized',
  },
  // POST /api/widget/conversations/:id/bot-feedback
  {
    name: 'bot feedback with an unknown outcome',
    method: 'POST',
    path: () => `/api/widget/conversations/${conversationId}/bot-feedback`,
    options: () => ({ token: visitor, body: { outcome: 'meh' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: "bot feedback on another visitor's conversation",
    method: 'POST',
    path: () => `/api/widget/conversations/${conversationId}/bot-feedback`,
    options: () => ({ token: otherVisitor, body: { outcome: 'helpful' } }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'bot feedback when no bot holds the conversation',
    method: 'POST',
    path: () => `/api/widget/conversations/${conversationId}/bot-feedback`,
    options: () => ({ token: visitor, body: { outcome: 'helpful' } }),
    status: 409,
    code: 'invalid_transition',
  },
  {
    name: 'bot feedback with an agent token',
    method: 'POST',
    path: () => `/api/widget/conversations/${conversationId}/bot-feedback`,
    options: () => ({ token: agent, body: { outcome: 'helpful' } }),
    status: 403,
    code: 'forbidden',
  },
  // The person's own account: PUT /api/me/password, /api/me/locale, /api/me/two-factor/*, /api/me/sessions/*
  {
    name: 'password change without the current password',
    method: 'PUT',
    path: () => '/api/me/password',
    options: () => ({ token: agent, body: { newPassword: 'a long enough new passphrase' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'password change without a token',
    method: 'PUT',
    path: () => '/api/me/password',
    options: () => ({ body: { currentPassword: 'x', newPassword: 'y' } }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'password change with a visitor token',
    method: 'PUT',
    path: () => '/api/me/password',
    options: () => ({ token: visitor, body: { currentPassword: 'x', newPassword: 'y' } }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a language the console does not have',
    method: 'PUT',
    path: () => '/api/me/locale',
    options: () => ({ token: agent, body: { locale: 'fr' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'two-factor enrolment with a body',
    method: 'POST',
    path: () => '/api/me/two-factor/enrolment',
    options: () => ({ token: agent, body: { secret: 'MINE' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'two-factor confirmation with a number as code',
    method: 'POST',
    path: () => '/api/me/two-factor/confirm',
    options: () => ({ token: agent, body: { code: 123456 } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'turning two-factor off with both a code and a recovery code',
    method: 'POST',
    path: () => '/api/me/two-factor/disable',
    options: () => ({ token: agent, body: { password: 'x', code: '123456', recoveryCode: 'abcde-fghij' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'new recovery codes without the password',
    method: 'POST',
    path: () => '/api/me/two-factor/recovery-codes',
    options: () => ({ token: agent, body: {} }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'two-factor status with an API-key-shaped token',
    method: 'GET',
    path: () => '/api/me/two-factor',
    options: () => ({ token: 'sk_live_forged' }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'the second sign-in step with a forged challenge',
    method: 'POST',
    path: () => '/api/auth/login/two-factor',
    options: () => ({ body: { challenge: 'eyJhbGciOiJIUzI1NiJ9.e30.forged', code: '123456' } }),
    status: 400,
    code: 'challenge_expired',
  },
  {
    name: 'the second sign-in step without a code',
    method: 'POST',
    path: () => '/api/auth/login/two-factor',
    options: () => ({ body: { challenge: 'x' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'ending a session by a malformed id',
    method: 'DELETE',
    path: () => '/api/me/sessions/not-a-uuid',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'ending a session that is not one of mine',
    method: 'DELETE',
    path: () => `/api/me/sessions/${unknownId}`,
    options: () => ({ token: agent }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'ending the other sessions with a body',
    method: 'POST',
    path: () => '/api/me/sessions/revoke-others',
    options: () => ({ token: agent, body: { all: true } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: "an agent turning off someone's two-factor sign-in",
    method: 'DELETE',
    path: () => `/api/users/${unknownId}/two-factor`,
    options: () => ({ token: agent }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'turning off the two-factor sign-in of an unknown user',
    method: 'DELETE',
    path: () => `/api/users/${unknownId}/two-factor`,
    options: () => ({ token: admin }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'turning off two-factor sign-in by a malformed user id',
    method: 'DELETE',
    path: () => '/api/users/not-a-uuid/two-factor',
    options: () => ({ token: admin }),
    status: 400,
    code: 'invalid_input',
  },
  // GET/PATCH /api/settings/privacy (the visitor retention period)
  {
    name: 'the privacy settings as an agent',
    method: 'GET',
    path: () => '/api/settings/privacy',
    options: () => ({ token: agent }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a visitor retention of a negative number of days',
    method: 'PATCH',
    path: () => '/api/settings/privacy',
    options: () => ({ token: admin, body: { visitorRetentionDays: -1 } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a visitor retention as text',
    method: 'PATCH',
    path: () => '/api/settings/privacy',
    options: () => ({ token: admin, body: { visitorRetentionDays: '30 days' } }),
    status: 400,
    code: 'invalid_input',
  },
  // GET/PATCH /api/settings/security
  {
    name: 'security settings read by an agent',
    method: 'GET',
    path: () => '/api/settings/security',
    options: () => ({ token: agent }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'security settings changed by an agent',
    method: 'PATCH',
    path: () => '/api/settings/security',
    options: () => ({ token: agent, body: { adminsRequireTwoFactor: false } }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'security settings with nothing to change',
    method: 'PATCH',
    path: () => '/api/settings/security',
    options: () => ({ token: admin, body: {} }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'security settings with a string for a switch',
    method: 'PATCH',
    path: () => '/api/settings/security',
    options: () => ({ token: admin, body: { adminsRequireTwoFactor: 'yes' } }),
    status: 400,
    code: 'invalid_input',
  },
  // GET/PATCH /api/settings/self-service
  {
    name: 'self-service settings without a token',
    method: 'GET',
    path: () => '/api/settings/self-service',
    options: () => ({}),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'self-service settings changed by an agent',
    method: 'PATCH',
    path: () => '/api/settings/self-service',
    options: () => ({ token: agent, body: { enabled: true } }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a threshold above 1',
    method: 'PATCH',
    path: () => '/api/settings/self-service',
    options: () => ({ token: admin, body: { threshold: 1.5 } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'no self-service change at all',
    method: 'PATCH',
    path: () => '/api/settings/self-service',
    options: () => ({ token: admin, body: {} }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'an unknown self-service setting',
    method: 'PATCH',
    path: () => '/api/settings/self-service',
    options: () => ({ token: admin, body: { model: 'gpt' } }),
    status: 400,
    code: 'invalid_input',
  },
  // GET /api/settings/self-service/calibration, POST …/calibration/recalibrate
  {
    name: 'the calibration read by an agent',
    method: 'GET',
    path: () => '/api/settings/self-service/calibration',
    options: () => ({ token: agent }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a recalibration asked without a token',
    method: 'POST',
    path: () => '/api/settings/self-service/calibration/recalibrate',
    options: () => ({ body: {} }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a recalibration with a field',
    method: 'POST',
    path: () => '/api/settings/self-service/calibration/recalibrate',
    options: () => ({ token: admin, body: { locale: 'en' } }),
    status: 400,
    code: 'invalid_input',
  },
  // GET /api/reports/*
  {
    name: 'a report period that ends before it starts',
    method: 'GET',
    path: () => '/api/reports/self-service?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_period',
  },
  {
    name: 'a report date that is not a date',
    method: 'GET',
    path: () => '/api/reports/ai-usage?from=last-week',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a report with a visitor token',
    method: 'GET',
    path: () => '/api/reports/self-service',
    options: () => ({ token: visitor }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'the resolution report in an unknown time zone',
    method: 'GET',
    path: () => '/api/reports/resolution?timeZone=Mars%2FOlympus',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'the resolution.csv report in an unknown language',
    method: 'GET',
    path: () => '/api/reports/resolution.csv?locale=fr',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'the agents report with a period that ends before it starts',
    method: 'GET',
    path: () => '/api/reports/agents?from=2025-04-21T00:00:00Z&to=2025-04-07T00:00:00Z',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'the agents.csv report with a date that is not a date',
    method: 'GET',
    path: () => '/api/reports/agents.csv?from=last-week',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'the busiest-hours report with a field it does not take',
    method: 'GET',
    path: () => '/api/reports/busiest-hours?bucket=day',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'the busiest-hours.csv report over more than 366 days',
    method: 'GET',
    path: () => '/api/reports/busiest-hours.csv?from=2024-01-01T00:00:00Z&to=2025-01-02T00:00:01Z',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'live operations with a query field',
    method: 'GET',
    path: () => '/api/reports/live?teamId=all',
    options: () => ({ token: admin }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'live operations for an agent who leads no team',
    method: 'GET',
    path: () => '/api/reports/live',
    options: () => ({ token: agent }),
    status: 403,
    code: 'forbidden',
  },
  // POST /api/conversations/:id/draft
  {
    name: 'a draft for an unknown conversation',
    method: 'POST',
    path: () => `/api/conversations/${unknownId}/draft`,
    options: () => ({ token: agent }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a draft with a visitor token',
    method: 'POST',
    path: () => `/api/conversations/${conversationId}/draft`,
    options: () => ({ token: visitor }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a draft for a conversation id that is not a uuid',
    method: 'POST',
    path: () => '/api/conversations/42/draft',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_input',
  },
  // unknown routes
  { name: 'an unknown API route', method: 'GET', path: () => '/api/nothing-here', options: () => ({ token: agent }), status: 404, code: 'route_not_found' },
  // NUL (U+0000): PostgreSQL cannot store it. The visitor, message, search and slug cases reached a
  // query (a 500, PostgreSQL's 22021) before the edge refused them; the help pages answered HTML.
  {
    name: 'login with a NUL in the email (no sign-in needed)',
    method: 'POST',
    path: () => '/api/auth/login',
    options: () => ({ body: { email: 'agent\u0000@seamless.local', password: 'x' } }),
    status: 400,
    code: 'invalid_character',
  },
  {
    name: 'a visitor named with a NUL (no sign-in needed)',
    method: 'POST',
    path: () => '/api/widget/visitors',
    options: () => ({ body: { name: 'Eve\u0000' } }),
    status: 400,
    code: 'invalid_character',
  },
  {
    name: 'a widget message holding a NUL',
    method: 'POST',
    path: () => `/api/widget/conversations/${conversationId}/messages`,
    options: () => ({ token: visitor, rawBody: '{"body":"hello\\u0000there"}' }),
    status: 400,
    code: 'invalid_character',
  },
  {
    name: 'a conversation search for a NUL',
    method: 'GET',
    path: () => '/api/conversations?q=a%00b',
    options: () => ({ token: agent }),
    status: 400,
    code: 'invalid_character',
  },
  {
    name: 'a public article slug holding a NUL',
    method: 'GET',
    path: () => '/api/public/knowledge/articles/card%00lost',
    options: () => ({}),
    status: 400,
    code: 'invalid_character',
  },
  {
    name: 'a help-center page slug holding a NUL',
    method: 'GET',
    path: () => '/help/en/card%00lost',
    options: () => ({}),
    status: 400,
    code: 'invalid_character',
  },
  { name: 'a help-center search for a NUL', method: 'GET', path: () => '/help/en?q=%00', options: () => ({}), status: 400, code: 'invalid_character' },
  // /api/webhooks (api/routes/webhook-routes.ts): admins only
  {
    name: 'a webhook without event types',
    method: 'POST',
    path: () => '/api/webhooks',
    options: () => ({ token: admin, body: { url: 'https://hooks.example.com/in', events: [] } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a webhook subscribed to an unknown event type',
    method: 'POST',
    path: () => '/api/webhooks',
    options: () => ({ token: admin, body: { url: 'https://hooks.example.com/in', events: ['auth.signed_in'] } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a webhook to a private address',
    method: 'POST',
    path: () => '/api/webhooks',
    options: () => ({ token: admin, body: { url: 'http://192.168.1.10/hook', events: ['message.created'] } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a webhook with a secret too short',
    method: 'POST',
    path: () => '/api/webhooks',
    options: () => ({ token: admin, body: { url: 'https://hooks.example.com/in', events: ['message.created'], secret: 'short' } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a webhook change that sets and rotates the secret at once',
    method: 'PATCH',
    path: () => `/api/webhooks/${unknownId}`,
    options: () => ({ token: admin, body: { secret: 'a-long-enough-secret-1234', rotateSecret: true } }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'an unknown webhook',
    method: 'PATCH',
    path: () => `/api/webhooks/${unknownId}`,
    options: () => ({ token: admin, body: { enabled: false } }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a delivery log page of 0',
    method: 'GET',
    path: () => `/api/webhooks/${unknownId}/deliveries?limit=0`,
    options: () => ({ token: admin }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a redelivery of an unknown delivery',
    method: 'POST',
    path: () => `/api/webhooks/${unknownId}/deliveries/${unknownId}/redeliver`,
    options: () => ({ token: admin }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a test event to an unknown webhook',
    method: 'POST',
    path: () => `/api/webhooks/${unknownId}/test`,
    options: () => ({ token: admin }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'webhooks listed by an agent',
    method: 'GET',
    path: () => '/api/webhooks',
    options: () => ({ token: agent }),
    status: 403,
    code: 'forbidden',
  },
];

const bodyRoutes = apiRoutes().filter((route) => ['POST', 'PUT', 'PATCH'].includes(route.method));
const bodyCases: Case[] = bodyRoutes.flatMap(({ method, path: routePath }) => {
  const path = () => routePath.replace(/:\w+/g, unknownId);
  const base = { method, path };
  return [
    {
      ...base,
      name: `${method} ${routePath} with 10,000 nested arrays`,
      options: () => ({ token: admin, rawBody: nestedArrays }),
      status: 400,
      code: 'too_deeply_nested',
    },
    {
      ...base,
      name: `${method} ${routePath} with 10,000 nested objects`,
      options: () => ({ token: admin, rawBody: nestedObjects }),
      status: 400,
      code: 'too_deeply_nested',
    },
    { ...base, name: `${method} ${routePath} with invalid UTF-8`, options: () => ({ token: admin, rawBody: invalidUtf8 }), status: 400, code: 'invalid_utf8' },
    {
      ...base,
      name: `${method} ${routePath} with malformed JSON`,
      options: () => ({ token: admin, rawBody: '{"body": "unterminated' }),
      status: 400,
      code: 'invalid_json',
    },
    {
      ...base,
      name: `${method} ${routePath} with a body over 64 KB`,
      options: () => ({ token: admin, body: { body: huge } }),
      status: 413,
      code: 'payload_too_large',
    },
    // JSON.parse turns the escape into the character: the check runs on the parsed body.
    {
      ...base,
      name: `${method} ${routePath} with a NUL in a string value`,
      options: () => ({ token: admin, rawBody: '{"name":"a\\u0000b","body":"x"}' }),
      status: 400,
      code: 'invalid_character',
    },
    {
      ...base,
      name: `${method} ${routePath} with a NUL in a key`,
      options: () => ({ token: admin, rawBody: '{"items":[{"a\\u0000b":1}]}' }),
      status: 400,
      code: 'invalid_character',
    },
  ];
});

/** Every route, each method: a NUL in the query, and in every path parameter (`%00` is how a URL carries it). */
const urlCases: Case[] = apiRoutes().flatMap(({ method, path: routePath }) => {
  const withUnknownIds = routePath.replace(/:\w+/g, unknownId);
  const query: Case = {
    method,
    name: `${method} ${routePath} with a NUL in the query`,
    path: () => `${withUnknownIds}?q=a%00b`,
    options: () => ({ token: admin }),
    status: 400,
    code: 'invalid_character',
  };
  if (!routePath.includes(':')) return [query];
  const param: Case = {
    method,
    name: `${method} ${routePath} with a NUL in a path parameter`,
    path: () => routePath.replace(/:\w+/g, 'a%00b'),
    options: () => ({ token: admin }),
    status: 400,
    code: 'invalid_character',
  };
  return [query, param];
});

describe('bad input on every endpoint', () => {
  it('covers every route that takes a body', () => {
    expect(bodyRoutes.length).toBeGreaterThanOrEqual(40);
  });

  /** The case gets its 4xx JSON error, and the database is exactly as before. */
  async function expectRefusedUnchanged({ method, path, options, status, code }: (typeof cases)[number]) {
    const before = await databaseFingerprint(system.db);
    const response = await system.request(method, path(), options());
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(typeof response.body.error.message).toBe('string');
    expect(await databaseFingerprint(system.db)).toEqual(before);
  }

  it.each(bodyCases)('refuses $name with $status $code, changes nothing and stays healthy', async (badCase) => {
    await expectRefusedUnchanged(badCase);
    expect((await system.request('GET', '/api/health')).status).toBe(200);
  });

  it.each(cases)('refuses $name with $status $code and changes nothing', async (badCase) => {
    await expectRefusedUnchanged(badCase);
  });

  it.each(urlCases)('refuses $name with $status $code and changes nothing', async (badCase) => {
    await expectRefusedUnchanged(badCase);
  });

  it('refuses a wrong password with 401 invalid_credentials and changes nothing but the audit trail of the failed sign-in', async () => {
    const before = await databaseFingerprint(system.db);
    const lastEvent = await system.db.event.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    const response = await system.request('POST', '/api/auth/login', { body: { email: 'agent@seamless.local', password: 'wrong-password' } });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('invalid_credentials');
    const events = await system.db.event.findMany({ where: { id: { gt: lastEvent?.id ?? 0n } }, select: { type: true } });
    expect(events).toEqual([{ type: 'auth.sign_in_failed' }]);
    expect({ ...(await databaseFingerprint(system.db)), Event: before.Event }).toEqual(before);
  });

  it('refuses a NUL in a header (Idempotency-Key) before the app: Node answers 400 and nothing is stored', async () => {
    // fetch() will not send such a header, so this one goes over a plain socket.
    const before = await databaseFingerprint(system.db);
    const { host, hostname, port } = new URL(system.url);
    const body = JSON.stringify({ body: 'hi' });
    const request = [
      `POST /api/widget/conversations HTTP/1.1`,
      `Host: ${host}`,
      `Authorization: Bearer ${visitor}`,
      'Content-Type: application/json',
      `Content-Length: ${body.length}`,
      'Idempotency-Key: a\u0000b',
      'Connection: close',
      '',
      body,
    ].join('\r\n');
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => socket.end(request));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(await databaseFingerprint(system.db)).toEqual(before);
  });

  it('stays healthy after all of them', async () => {
    expect((await system.request('GET', '/api/health')).status).toBe(200);
  });
});
