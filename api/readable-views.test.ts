import { describe, expect, it } from 'vitest';
import type { StaffViewer } from '../domain/visibility.js';
import type { TicketView } from '../infra/views.js';
import { articleAnswer, mayRead, ticketAnswer } from './readable-views.js';
import type { ArticleView } from './services/knowledge-service.js';

const ticket = {
  id: 't1',
  number: 7,
  subject: 'My card was stolen in Lisbon',
  description: 'My card was stolen in Lisbon',
  status: 'new',
  customer: { id: 'c1', name: 'Dana Whitfield', email: 'dana@example.com' },
  createdAt: '2026-01-01T00:00:00.000Z',
} as unknown as TicketView;

const key = (...scopes: ('tickets:read' | 'tickets:write' | 'conversations:read' | 'knowledge:read' | 'knowledge:write')[]): StaffViewer => ({
  kind: 'integration',
  apiKeyId: 'k1',
  scopes,
});
const agent: StaffViewer = { kind: 'user', userId: 'u1', role: 'agent', teamId: null };

describe('ticketAnswer', () => {
  it('gives a key that may write tickets but not read them a receipt: no words, no customer', () => {
    expect(ticketAnswer(key('tickets:write'), ticket)).toEqual({ id: 't1', number: 7, status: 'new', createdAt: '2026-01-01T00:00:00.000Z' });
  });

  it('gives the full ticket to a key that may read tickets, and to people', () => {
    expect(ticketAnswer(key('tickets:write', 'tickets:read'), ticket)).toBe(ticket);
    expect(ticketAnswer(agent, ticket)).toBe(ticket);
  });
});

describe('mayRead', () => {
  it('lets people read what they see, and a key only the kinds its scopes name', () => {
    expect(mayRead(agent, 'conversations:read')).toBe(true);
    expect(mayRead(key('tickets:write', 'tickets:read'), 'conversations:read')).toBe(false);
    expect(mayRead(key('conversations:read'), 'conversations:read')).toBe(true);
  });
});

describe('articleAnswer', () => {
  const article = {
    id: 'a1',
    slug: 'lost-card',
    locale: 'en',
    title: 'Lost card',
    body: 'Freeze it in the app.',
    questions: ['卡丢了咋办'],
    status: 'draft',
    version: 3,
    updatedAt: '2026-01-01T00:00:00.000Z',
  } as unknown as ArticleView;

  it('gives a key that may edit articles but not read them a receipt: no title, body or questions', () => {
    expect(articleAnswer(key('knowledge:write'), article)).toEqual({
      id: 'a1',
      slug: 'lost-card',
      locale: 'en',
      status: 'draft',
      version: 3,
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('gives the full article to a key that may read articles, and to people', () => {
    expect(articleAnswer(key('knowledge:write', 'knowledge:read'), article)).toBe(article);
    expect(articleAnswer(agent, article)).toBe(article);
  });
});
