// Keyset paging in-process (conversation-finder.ts, keyset.ts): the inbox list, its search (by
// trigram index and, for 1-2 characters, by a bounded walk) and a conversation's messages, paged
// through to the end with many rows sharing one timestamp — every row once, in order — and a
// cursor the list did not hand out refused with 400 invalid_cursor.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startCustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';
import { shortSearchWalk } from './conversation-finder.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string };
let channelId: string;
let customerId: string;
/** The conversations tagged `paging`: 7 sharing one lastMessageAt, 3 a minute apart around them. */
const tagged: { id: string; lastMessageAt: Date }[] = [];
let thread: string;
const threadIds: string[] = [];

const tie = new Date('2026-03-01T10:00:00.000Z');

/** Conversations straight into the table: the list reads rows, whatever made them. */
async function insertConversations(count: number, data: (index: number) => { tags?: string[]; lastMessageAt: Date }): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, index) => ({ id: randomUUID(), workflowId: `paging-${randomUUID()}`, customerId, channelId, ...data(index) }));
  await api.db.conversation.createMany({ data: rows });
  return rows.map((row) => row.id);
}

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'admin', 'agent');
  const started = await startCustomerConversation(api, { name: 'Page Turner', body: 'the first message' });
  const conversation = await api.db.conversation.findUniqueOrThrow({ where: { id: started.conversationId } });
  ({ channelId, customerId } = conversation);
  thread = conversation.id;

  const times = [tie, tie, tie, new Date(tie.getTime() + 60_000), tie, tie, new Date(tie.getTime() - 60_000), tie, tie, new Date(tie.getTime() - 120_000)];
  const ids = await insertConversations(times.length, (index) => ({ tags: ['paging'], lastMessageAt: times[index]! }));
  ids.forEach((id, index) => tagged.push({ id, lastMessageAt: times[index]! }));
  // Messages in five of them to search for: "zebrafish" (trigram index) and 斑马 (two characters: the walk).
  await api.db.message.createMany({
    data: ids.slice(0, 5).map((id, index) => ({ conversationId: id, authorKind: 'customer' as const, body: `Zebrafish order ${index} 斑马` })),
  });

  // Eight messages in one thread sharing a timestamp, one before and one after them.
  const at = (offset: number) => new Date(conversation.createdAt.getTime() + 1_000 + offset);
  const bodies = Array.from({ length: 10 }, (_, index) => ({
    body: `thread message ${index}`,
    createdAt: index === 0 ? at(0) : index === 9 ? at(2_000) : at(1_000),
  }));
  await api.db.message.createMany({ data: bodies.map((row) => ({ conversationId: thread, authorKind: 'agent' as const, ...row })) });
}, 120_000);
afterAll(() => api?.stop());

/** Every page of a list, following nextCursor to the end. */
async function allPages<Row>(path: string, field: 'conversations' | 'messages', token = tokens.admin): Promise<{ pages: Row[][]; rows: Row[] }> {
  const pages: Row[][] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const answer = await api.request('GET', cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path, { token });
    expect(answer.status).toBe(200);
    pages.push(answer.body[field] as Row[]);
    cursor = answer.body.nextCursor as string | null;
    expect(pages.length).toBeLessThan(100);
  } while (cursor !== null);
  return { pages, rows: pages.flat() };
}

/** Newest first, ties by id descending: the list's own order. */
const inboxOrder = (rows: readonly { id: string; lastMessageAt: Date }[]) =>
  [...rows].sort((a, b) => b.lastMessageAt.getTime() - a.lastMessageAt.getTime() || (a.id < b.id ? 1 : -1)).map((row) => row.id);

describe('GET /api/conversations, a page at a time', () => {
  it('pages through ties on lastMessageAt without missing or repeating a row, in the list order', async () => {
    const { pages, rows } = await allPages<{ id: string }>('/api/conversations?tag=paging&limit=3', 'conversations');
    expect(pages.map((page) => page.length)).toEqual([3, 3, 3, 1]);
    expect(rows.map((row) => row.id)).toEqual(inboxOrder(tagged));
  });

  it('ends with nextCursor null on a last page that is exactly full', async () => {
    const { pages } = await allPages<{ id: string }>('/api/conversations?tag=paging&limit=5', 'conversations');
    expect(pages.map((page) => page.length)).toEqual([5, 5]);
  });

  it('pages a search found by the trigram index', async () => {
    const { pages, rows } = await allPages<{ id: string }>('/api/conversations?q=ZEBRAFISH&limit=2', 'conversations');
    expect(pages.length).toBe(3);
    expect(rows.map((row) => row.id)).toEqual(inboxOrder(tagged.slice(0, 5)));
  });

  it('pages a two-character search by walking the inbox, carrying on past a walk that found too few', async () => {
    const { rows } = await allPages<{ id: string }>(`/api/conversations?q=${encodeURIComponent('斑馬')}&limit=2`, 'conversations');
    expect(rows.map((row) => row.id)).toEqual(inboxOrder(tagged.slice(0, 5)));

    // A whole walk newer than the matches: its page is empty, and its cursor leads on to them.
    const newer = new Date(tie.getTime() + 3_600_000);
    await insertConversations(shortSearchWalk, () => ({ lastMessageAt: newer }));
    const first = await api.request('GET', `/api/conversations?q=${encodeURIComponent('斑马')}`, { token: tokens.admin });
    expect(first.body).toMatchObject({ conversations: [], nextCursor: expect.any(String) });
    const { rows: again } = await allPages<{ id: string }>(`/api/conversations?q=${encodeURIComponent('斑马')}`, 'conversations');
    expect(again.map((row) => row.id)).toEqual(inboxOrder(tagged.slice(0, 5)));
  });

  it('keeps an agent to what they may see on every page', async () => {
    const specialists = await api.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
    await api.db.conversation.update({ where: { id: tagged[1]!.id }, data: { teamId: specialists.id } });
    const { rows } = await allPages<{ id: string }>('/api/conversations?tag=paging&limit=2', 'conversations', tokens.agent);
    expect(rows.map((row) => row.id)).toEqual(inboxOrder(tagged.filter((_, index) => index !== 1)));
    await api.db.conversation.update({ where: { id: tagged[1]!.id }, data: { teamId: null } });
  });
});

describe('GET /api/conversations/:id/messages, newest page first', () => {
  it('pages back through messages sharing a timestamp: each once, each page oldest first', async () => {
    const { pages, rows } = await allPages<{ id: string; body: string; createdAt: string }>(`/api/conversations/${thread}/messages?limit=3`, 'messages');
    const stored = await api.db.message.findMany({ where: { conversationId: thread }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    expect(pages.map((page) => page.length)).toEqual([3, 3, 3, 2]);
    // Older pages go before the ones already shown: the pages reversed are the thread in order.
    expect(
      pages
        .reverse()
        .flat()
        .map((row) => row.id),
    ).toEqual(stored.map((row) => row.id));
    expect(pages[pages.length - 1]!.at(-1)!.body).toBe('thread message 9');
    threadIds.push(...rows.map((row) => row.id));
    expect(new Set(threadIds).size).toBe(stored.length);
  });

  it('sends the whole of a short conversation in one page, as before', async () => {
    const started = await startCustomerConversation(api, { name: 'Short Thread', body: 'just one' });
    const answer = await api.request('GET', `/api/conversations/${started.conversationId}/messages`, { token: tokens.admin });
    expect(answer.body).toMatchObject({ messages: [{ body: 'just one' }], nextCursor: null });
  });
});

describe('a cursor the list did not hand out', () => {
  it('is refused with 400 invalid_cursor, whatever is wrong with it', async () => {
    const messagesCursor = (await api.request('GET', `/api/conversations/${thread}/messages?limit=1`, { token: tokens.admin })).body.nextCursor as string;
    const conversationsCursor = (await api.request('GET', '/api/conversations?tag=paging&limit=1', { token: tokens.admin })).body.nextCursor as string;
    const forged = Buffer.from(JSON.stringify({ k: 'conversations', t: 'yesterday', i: 'x' })).toString('base64url');
    for (const [path, cursor] of [
      ['/api/conversations', 'not a cursor!'],
      ['/api/conversations', forged],
      ['/api/conversations', messagesCursor],
      [`/api/conversations/${thread}/messages`, conversationsCursor],
      [`/api/conversations/${thread}/messages`, 'e30'],
    ] as const) {
      const answer = await api.request('GET', `${path}?cursor=${encodeURIComponent(cursor)}`, { token: tokens.admin });
      expect({ path, cursor, status: answer.status, code: answer.body.error?.code }).toEqual({ path, cursor, status: 400, code: 'invalid_cursor' });
    }
  });

  it('refuses a page size out of range as invalid input', async () => {
    const answer = await api.request('GET', `/api/conversations/${thread}/messages?limit=0`, { token: tokens.admin });
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_input', details: [{ path: 'limit' }] } } });
  });
});
