import { describe, expect, it } from 'vitest';
import { customerConversationFields, customerConversationView, customerMessageFields, customerMessageView } from '../domain/event-audience.js';
import type { ConversationView, CustomerConversationView, CustomerMessageView, MessageView } from './views.js';

const conversation: ConversationView = {
  id: 'c1',
  number: 12,
  status: 'open',
  waitingOn: 'agent',
  priority: 'urgent',
  tier: 'expert',
  assigneeId: 'a1',
  assigneeName: '李娜',
  teamId: 't1',
  customerId: 'u1',
  customer: { id: 'u1', name: '王小明', email: null },
  subject: '转账',
  channelKind: 'web_chat',
  lastMessageAt: '2026-01-01T10:00:00.000Z',
  resolvedAt: null,
  snoozedUntil: null,
  tags: ['vip'],
  slaState: 'warning',
  firstResponseDueAt: '2026-01-01T10:30:00.000Z',
  nextResponseDueAt: null,
  resolutionDueAt: null,
  createdAt: '2026-01-01T09:00:00.000Z',
};

const botAnswer: MessageView = {
  id: 'm1',
  conversationId: 'c1',
  authorKind: 'bot',
  authorUserId: null,
  authorName: null,
  body: 'Transfers take 1-2 days.',
  private: false,
  metadata: { kind: 'bot_answer', confidence: 0.8, citations: [{ id: 'a1', title: '转账多久到账', slug: 'transfer-time', locale: 'zh-CN' }] },
  createdAt: '2026-01-01T10:00:00.000Z',
};

describe("the customer's views", () => {
  it('name exactly the fields domain/event-audience.ts keeps for a customer', () => {
    const shown: CustomerConversationView = customerConversationView(conversation) as CustomerConversationView;
    expect(Object.keys(shown).sort()).toEqual([...customerConversationFields].sort());
    const keys: Record<keyof CustomerConversationView, true> = {
      id: true,
      number: true,
      status: true,
      subject: true,
      customerId: true,
      assigneeName: true,
      lastMessageAt: true,
      resolvedAt: true,
      createdAt: true,
    };
    expect(Object.keys(keys).sort()).toEqual([...customerConversationFields].sort());
  });

  it("keep a bot answer's citations, not its confidence", () => {
    const shown = customerMessageView(botAnswer) as CustomerMessageView;
    expect(shown.metadata).toEqual({ kind: 'bot_answer', citations: [{ id: 'a1', title: '转账多久到账', slug: 'transfer-time', locale: 'zh-CN' }] });
    const keys: Record<keyof CustomerMessageView, true> = {
      id: true,
      conversationId: true,
      authorKind: true,
      authorName: true,
      body: true,
      private: true,
      createdAt: true,
      metadata: true,
      attachments: true,
    };
    expect(Object.keys(keys).sort()).toEqual([...customerMessageFields, 'metadata', 'attachments'].sort());
  });

  it("keep a public message's files, only the fields the view names", () => {
    const file = { id: 'f1', fileName: '截图.png', contentType: 'image/png', size: 42, inline: false };
    const shown = customerMessageView({ ...botAnswer, metadata: null, attachments: [{ ...file, storageKey: 'secret' }] }) as CustomerMessageView;
    expect(shown.attachments).toEqual([file]);
    expect('attachments' in (customerMessageView({ ...botAnswer, attachments: [] }) as object)).toBe(false);
  });
});
