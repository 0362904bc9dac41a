// @mentions in private notes, on the real stack: the mentioned colleagues are told live and find
// it in GET /api/me/mentions; a colleague who cannot see the conversation cannot be mentioned
// (400, nothing stored); a public reply cannot mention; a retried note does not mention twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startCustomerConversation } from './support/fixtures.js';
import { startSystem, type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';

let system: TestSystem;
let alex: string;
let admin: string;
let ids: Record<'admin' | 'lina' | 'expert', string>;
let conversationId: string;

beforeAll(async () => {
  system = await startSystem();
  ({ agent: alex, admin } = await signIn(system, 'agent', 'admin'));
  const idOf = async (email: string) => (await system.db.user.findUniqueOrThrow({ where: { email } })).id;
  ids = { admin: await idOf('admin@seamless.local'), lina: await idOf('lina@seamless.local'), expert: await idOf('expert@seamless.local') };
  ({ conversationId } = await startCustomerConversation(system, { name: 'Mo Mention', body: 'My card was charged twice' }));
  // The Frontline team has it: Alex and Lina see it, the Specialists do not.
  const frontline = await system.db.team.findUniqueOrThrow({ where: { name: 'Frontline' } });
  await waitUntil(async () => (await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).teamId !== null || null);
  await system.db.conversation.update({ where: { id: conversationId }, data: { teamId: frontline.id } });
});
afterAll(() => system?.stop());

const note = (body: object, token = alex, headers?: Record<string, string>) =>
  system.request('POST', `/api/conversations/${conversationId}/messages`, { token, body, headers });

describe('@mentions', () => {
  it('tells each mentioned colleague, live and in their list, once even when the note is retried', async () => {
    const adminSocket = await system.socket(admin);
    const body = { body: '@Ada Admin @Lina could you check the duplicate charge?', private: true, mentions: [ids.admin, ids.lina] };
    const first = await note(body, alex, { 'Idempotency-Key': 'mention-1' });
    expect(first.status).toBe(201);
    const live = await adminSocket.waitForEvent((event) => event.type === 'conversation.mentioned' && event.payload.mentionedUserId === ids.admin);
    expect(live.payload).toMatchObject({ messageId: first.body.message.id, by: { name: 'Alex Agent' }, conversationNumber: expect.any(Number) });
    expect((await note(body, alex, { 'Idempotency-Key': 'mention-1' })).status).toBe(200);

    const mine = await system.request('GET', '/api/me/mentions', { token: admin });
    expect(mine.body.mentions).toHaveLength(1);
    expect(mine.body.mentions[0]).toMatchObject({ conversationId, messageId: first.body.message.id, excerpt: body.body });
    const lina = await system.request('GET', '/api/me/mentions', { token: await system.login('lina@seamless.local') });
    expect(lina.body.mentions.map((mention: { conversationId: string }) => mention.conversationId)).toEqual([conversationId]);
    expect(await system.db.event.count({ where: { type: 'conversation.mentioned', conversationId } })).toBe(2);
  });

  it('refuses to mention someone who cannot see the conversation, or in a public reply, storing nothing', async () => {
    const before = await system.db.message.count({ where: { conversationId } });
    const outsider = await note({ body: '@Erin have a look', private: true, mentions: [ids.lina, ids.expert] });
    expect(outsider.status).toBe(400);
    expect(outsider.body.error).toMatchObject({ code: 'invalid_mention', details: [{ path: 'mentions.1' }] });
    const publicReply = await note({ body: '@Lina see this', private: false, mentions: [ids.lina] });
    expect(publicReply.status).toBe(400);
    expect(publicReply.body.error.details).toEqual([expect.objectContaining({ path: 'mentions' })]);
    expect(await system.db.message.count({ where: { conversationId } })).toBe(before);
  });

  it("drops a mention from the colleague's list once the conversation moves where they cannot see it", async () => {
    const lina = await system.login('lina@seamless.local');
    const listed = async () =>
      (await system.request('GET', '/api/me/mentions', { token: lina })).body.mentions.map((mention: { conversationId: string }) => mention.conversationId);
    expect(await listed()).toContain(conversationId);
    const specialists = await system.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
    await system.db.conversation.update({ where: { id: conversationId }, data: { teamId: specialists.id, assigneeId: null } });
    expect(await listed()).not.toContain(conversationId);
  });
});
