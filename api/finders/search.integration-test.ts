// GET /api/search in-process (search-finder.ts): every status, both Chinese scripts, snippets with
// match ranges, tickets, paging, the inbox's visibility rule and the API keys' scopes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResults } from '../../contract/search.js';
import { createApiKey, signIn } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';
import type { ConversationStatus, TicketStatus } from '../../domain/vocabulary.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string; expert: string };
const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'admin', 'agent', 'expert');
  const channel = await api.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  const specialists = await api.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
  const customer = await api.db.customer.create({ data: { name: 'Wombat Customer', email: 'wombat.owner@example.com' } });
  const conversation = async (
    key: string,
    status: ConversationStatus,
    body: string | null,
    extra: { teamId?: string; subject?: string; minutesAgo: number },
  ) => {
    const row = await api.db.conversation.create({
      data: {
        workflowId: `search-${randomUUID()}`,
        customerId: customer.id,
        channelId: channel.id,
        status,
        teamId: extra.teamId ?? null,
        subject: extra.subject ?? null,
        lastMessageAt: new Date(Date.now() - extra.minutesAgo * 60_000),
      },
    });
    if (body) await api.db.message.create({ data: { conversationId: row.id, authorKind: 'customer', body } });
    ids[key] = row.id;
  };
  await conversation('open', 'open', 'Hello, my QUOKKA card was blocked', { minutesAgo: 1 });
  await conversation('snoozed', 'snoozed', 'quokka again, waiting', { minutesAgo: 2 });
  await conversation('resolved', 'resolved', `${'Long story. '.repeat(30)}The quokka refund arrived. ${'Thanks. '.repeat(30)}`, { minutesAgo: 3 });
  await conversation('closed', 'closed', null, { subject: 'Quokka invoice copy', minutesAgo: 4 });
  await conversation('specialists', 'resolved', 'a quokka question for specialists', { teamId: specialists.id, minutesAgo: 5 });
  await conversation('simplified', 'closed', '你好我的包裹被盗了请帮忙', { minutesAgo: 6 });
  await conversation('traditional', 'resolved', '你好我的包裹被盜了請幫忙', { minutesAgo: 7 });
  const ticket = async (key: string, status: TicketStatus, subject: string, description: string, teamId: string | null = null) => {
    const row = await api.db.ticket.create({ data: { workflowId: `search-${randomUUID()}`, customerId: customer.id, subject, description, status, teamId } });
    ids[key] = row.id;
  };
  await ticket('ticketPending', 'pending', 'Replace the quokka card', '');
  await ticket('ticketSolved', 'solved', 'Card replacement', 'The customer asked about a quokka sticker');
  await ticket('ticketSpecialists', 'open', 'Quokka fraud review', '', specialists.id);
}, 120_000);
afterAll(() => api?.stop());

const search = async (query: string, token = tokens.admin) => {
  const answer = await api.request('GET', `/api/search?${query}`, { token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as SearchResults;
};
const conversationKeys = (results: SearchResults) => results.conversations.map((hit) => Object.entries(ids).find(([, id]) => id === hit.conversation.id)?.[0]);
const ticketKeys = (results: SearchResults) => results.tickets.map((hit) => Object.entries(ids).find(([, id]) => id === hit.ticket.id)?.[0]);
const highlighted = (match: { text: string; highlights: { start: number; end: number }[] } | null) =>
  match?.highlights.map((range) => match.text.slice(range.start, range.end));

describe('GET /api/search', () => {
  it('finds conversations of every status and tickets, newest first, each with a snippet and its matches', async () => {
    const results = await search('q=quokka');
    expect(conversationKeys(results)).toEqual(['open', 'snoozed', 'resolved', 'closed', 'specialists']);
    expect(ticketKeys(results)).toEqual(['ticketSpecialists', 'ticketSolved', 'ticketPending']);
    const [open, , resolved, closed] = results.conversations;
    expect(open!.match).toMatchObject({ field: 'message', text: 'Hello, my QUOKKA card was blocked' });
    expect(highlighted(open!.match)).toEqual(['QUOKKA']);
    // A long message: a stretch around the match, cut with ellipses.
    expect(resolved!.match!.text).toMatch(/^….*The quokka refund arrived\..*…$/);
    expect(highlighted(resolved!.match)).toEqual(['quokka']);
    expect(closed!.match).toMatchObject({ field: 'subject', messageId: null });
    expect(highlighted(closed!.match)).toEqual(['Quokka']);
    const solved = results.tickets.find((hit) => hit.ticket.id === ids.ticketSolved)!;
    expect(solved.match).toMatchObject({ field: 'description' });
    expect(highlighted(solved.match)).toEqual(['quokka']);
  });

  it('finds Chinese inside text without spaces, in both scripts whichever is typed', async () => {
    for (const query of ['被盗', '被盜', '包裹被盗了']) {
      const results = await search(`q=${encodeURIComponent(query)}`);
      expect(conversationKeys(results), query).toEqual(['simplified', 'traditional']);
      expect(highlighted(results.conversations[0]!.match)).toEqual([query === '包裹被盗了' ? '包裹被盗了' : '被盗']);
      expect(highlighted(results.conversations[1]!.match)).toEqual([query === '包裹被盗了' ? '包裹被盜了' : '被盜']);
    }
  });

  it('matches the customer’s name and email', async () => {
    const results = await search('q=wombat.owner');
    expect(results.conversations.length).toBeGreaterThanOrEqual(7);
    expect(results.conversations.every((hit) => hit.match?.field === 'customer_email' || hit.match?.field === 'message')).toBe(true);
    expect(results.conversations.find((hit) => hit.conversation.id === ids.closed)!.match).toMatchObject({ field: 'customer_email' });
  });

  it('narrows by status: a conversation status to those conversations, a ticket status to those tickets', async () => {
    const resolved = await search('q=quokka&status=resolved');
    expect(conversationKeys(resolved)).toEqual(['resolved', 'specialists']);
    expect(resolved.tickets).toEqual([]);
    const pending = await search('q=quokka&status=pending');
    expect(pending.conversations).toEqual([]);
    expect(ticketKeys(pending)).toEqual(['ticketPending']);
    const open = await search('q=quokka&status=open');
    expect(conversationKeys(open)).toEqual(['open']);
    expect(ticketKeys(open)).toEqual(['ticketSpecialists']);
  });

  it('pages the conversations; the tickets come with the first page', async () => {
    const first = await search('q=quokka&limit=2');
    expect(conversationKeys(first)).toEqual(['open', 'snoozed']);
    expect(first.tickets).toHaveLength(3);
    const second = await search(`q=quokka&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(conversationKeys(second)).toEqual(['resolved', 'closed']);
    expect(second.tickets).toEqual([]);
    // Two characters: no trigram, the bounded walk; still every status.
    expect(conversationKeys(await search(`q=${encodeURIComponent('被盗')}&limit=1`))).toEqual(['simplified']);
  });

  it('shows each agent only what the inbox shows them', async () => {
    const agent = await search('q=quokka', tokens.agent);
    expect(conversationKeys(agent)).toEqual(['open', 'snoozed', 'resolved', 'closed']);
    expect(ticketKeys(agent)).toEqual(['ticketSolved', 'ticketPending']);
    const expert = await search('q=quokka', tokens.expert);
    expect(conversationKeys(expert)).toContain('specialists');
    expect(ticketKeys(expert)).toContain('ticketSpecialists');
  });

  it('answers API keys by scope: tickets only with tickets:read, nothing without conversations:read', async () => {
    const conversationsOnly = await createApiKey(api, tokens.admin, ['conversations:read'], 'search conversations');
    const both = await createApiKey(api, tokens.admin, ['conversations:read', 'tickets:read'], 'search both');
    const ticketsOnly = await createApiKey(api, tokens.admin, ['tickets:read'], 'search tickets');
    const narrow = await search('q=quokka', conversationsOnly);
    expect(narrow.conversations).toHaveLength(5);
    expect(narrow.tickets).toEqual([]);
    expect((await search('q=quokka', both)).tickets).toHaveLength(3);
    const refused = await api.request('GET', '/api/search?q=quokka', { token: ticketsOnly });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('missing_scope');
    expect((await api.request('GET', '/api/search?q=quokka')).status).toBe(401);
  });

  it('refuses bad queries with 400', async () => {
    for (const query of [
      '',
      'q=',
      'q=%20%20',
      `q=${'x'.repeat(201)}`,
      'q=quokka&status=archived',
      'q=quokka&limit=0',
      'q=quokka&cursor=nonsense',
      'q=quokka&sort=new',
    ]) {
      const answer = await api.request('GET', `/api/search?${query}`, { token: tokens.admin });
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.code, query).toMatch(/^invalid_/);
    }
  });
});
