// Bulk actions on the real stack (POST /api/conversations/bulk): each conversation is checked
// and changed through the same workflow update or tag change as its single route, with its own
// outcome; one the caller may not see, or one the workflow refuses, changes nothing and does not
// stop the others.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/fixtures.js';
import type { TestSocket } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let admin: string;
let agent: string;
let adminSocket: TestSocket;

beforeAll(async () => {
  system = await startSystem();
  ({ admin, agent } = await signIn(system, 'admin', 'agent'));
  adminSocket = await system.socket(admin);
});
afterAll(() => system?.stop());

/** A widget conversation whose workflow runs (it has been queued or assigned). */
async function conversation(body: string): Promise<string> {
  const visitor = await system.visitor('Bulk visitor');
  const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body } });
  expect(started.status).toBe(201);
  const id = started.body.conversation.id as string;
  await adminSocket.waitForEvent((event) => event.conversationId === id && (event.type === 'conversation.queued' || event.type === 'conversation.assigned'));
  return id;
}

const bulk = (token: string, body: unknown) => system.request('POST', '/api/conversations/bulk', { token, body });
const statusOf = async (id: string) => (await system.db.conversation.findUniqueOrThrow({ where: { id } })).status;

describe('POST /api/conversations/bulk', () => {
  it('resolves three conversations in one action, each as its own resolve would', async () => {
    const agentId = (await system.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id;
    const ids = [await conversation('Bulk one: my parcel'), await conversation('Bulk two: my refund'), await conversation('Bulk three: my address')];
    const answer = await bulk(agent, { action: 'resolve', conversationIds: ids });
    expect(answer.status).toBe(200);
    expect(answer.body.results.map((result: { conversationId: string; ok: boolean }) => [result.conversationId, result.ok])).toEqual(
      ids.map((id) => [id, true]),
    );
    expect(answer.body.results.map((result: { conversation: { status: string } }) => result.conversation.status)).toEqual(['resolved', 'resolved', 'resolved']);
    for (const id of ids) {
      expect(await statusOf(id)).toBe('resolved');
      // The same path as the single action: the workflow recorded who resolved it.
      const resolved = await system.db.event.findFirst({ where: { conversationId: id, type: 'conversation.resolved' } });
      expect([resolved?.actorKind, resolved?.actorId]).toEqual(['agent', agentId]);
    }
  });

  it('reports each outcome: unknown, not visible to the caller and refused by the workflow change nothing, the others go through', async () => {
    const open = await conversation('Bulk mixed: open');
    const done = await conversation('Bulk mixed: done');
    expect((await system.request('POST', `/api/conversations/${done}/resolve`, { token: admin, body: {} })).status).toBe(200);
    const hidden = await conversation('Bulk mixed: specialists only');
    const specialists = await system.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
    expect((await system.request('POST', `/api/conversations/${hidden}/transfer`, { token: admin, body: { toTeamId: specialists.id } })).status).toBe(200);
    const unknown = randomUUID();

    const answer = await bulk(agent, { action: 'resolve', conversationIds: [unknown, hidden, done, open] });
    expect(answer.status).toBe(200);
    expect(answer.body.results).toEqual([
      { conversationId: unknown, ok: false, status: 404, error: expect.objectContaining({ code: 'not_found' }) },
      { conversationId: hidden, ok: false, status: 404, error: expect.objectContaining({ code: 'not_found' }) },
      { conversationId: done, ok: false, status: 409, error: expect.objectContaining({ code: 'invalid_transition' }) },
      { conversationId: open, ok: true, conversation: expect.objectContaining({ id: open, status: 'resolved' }) },
    ]);
    expect(await statusOf(hidden)).not.toBe('resolved');
  });

  it('tags, snoozes and assigns several at once', async () => {
    const ids = [await conversation('Bulk tags one'), await conversation('Bulk tags two')];
    const tagged = await bulk(agent, { action: 'tag', conversationIds: ids, add: ['bulk-vip'] });
    expect(tagged.body.results.every((result: { ok: boolean }) => result.ok)).toBe(true);
    for (const id of ids) expect((await system.db.conversation.findUniqueOrThrow({ where: { id } })).tags).toContain('bulk-vip');

    const agentId = (await system.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id;
    const assigned = await bulk(admin, { action: 'assign', conversationIds: ids, toAgentId: agentId });
    expect(assigned.body.results.map((result: { ok: boolean; conversation?: { assigneeId: string } }) => [result.ok, result.conversation?.assigneeId])).toEqual(
      [
        [true, agentId],
        [true, agentId],
      ],
    );

    const snoozed = await bulk(agent, { action: 'snooze', conversationIds: ids, until: null });
    expect(snoozed.body.results.every((result: { ok: boolean }) => result.ok)).toBe(true);
    for (const id of ids) expect(await statusOf(id)).toBe('snoozed');
  });
});
