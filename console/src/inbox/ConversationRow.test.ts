// @vitest-environment happy-dom
// An inbox row as a component: the contact, the channel's icon, the last message, the agent's
// unread count and how long the customer has waited, in English and Chinese; the waiting time
// moves with the clock.
import { enableAutoUnmount, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { i18n, setLocale } from '../i18n/i18n';
import type { ConversationView } from '../shared/wire-types';
import ConversationRow from './ConversationRow.vue';

const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:any(.*)', component: defineComponent({ render: () => null }) }] });

const conversation = (overrides: Partial<ConversationView> = {}): ConversationView =>
  ({
    id: 'c1',
    number: 42,
    status: 'open',
    waitingOn: 'agent',
    priority: 'normal',
    tier: 'junior',
    assigneeId: 'me',
    teamId: null,
    customerId: 'cust-1',
    customer: { id: 'cust-1', name: '王芳', email: null },
    subject: null,
    channelKind: 'email',
    lastMessageAt: '2025-01-01T10:00:00.000Z',
    createdAt: '2025-01-01T09:00:00.000Z',
    resolvedAt: null,
    snoozedUntil: null,
    tags: [],
    lastMessage: {
      authorKind: 'customer',
      private: false,
      text: '我的包裹 还没到',
      files: 0,
      fileName: null,
      emailSubject: null,
      createdAt: '2025-01-01T10:00:00.000Z',
    },
    unreadCount: 3,
    waitingSince: '2025-01-01T09:48:00.000Z',
    ...overrides,
  }) as ConversationView;

const mountRow = (overrides: Partial<ConversationView> = {}) =>
  mount(ConversationRow, { props: { conversation: conversation(overrides), view: 'mine', active: false, sla: null }, global: { plugins: [i18n, router] } });

// The rows share one clock (composables/use-now.ts): each test's rows go, so the next starts it anew.
enableAutoUnmount(afterEach);

describe('ConversationRow', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date('2025-01-01T10:00:00.000Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
    setLocale('en');
  });

  it('tells conversations apart: contact, channel, preview, unread count and waiting time', async () => {
    const wrapper = mountRow();
    expect(wrapper.get('[data-testid="conversation-customer"]').text()).toBe('王芳');
    expect(wrapper.get('[data-testid="conversation-row-channel"]').attributes()).toMatchObject({ 'data-kind': 'email', 'aria-label': 'Email' });
    expect(wrapper.get('[data-testid="conversation-preview"]').text()).toBe('我的包裹 还没到');
    expect(wrapper.get('[data-testid="conversation-unread"]').text()).toBe('3');
    expect(wrapper.get('[data-testid="conversation-unread"]').attributes('aria-label')).toBe('3 unread messages');
    expect(wrapper.get('[data-testid="conversation-waiting"]').text()).toBe('waiting 12m');
    expect(wrapper.get('[data-testid="conversation-row"]').classes()).toContain('unread');

    setLocale('zh-CN');
    await wrapper.vm.$nextTick();
    expect(wrapper.get('[data-testid="conversation-waiting"]').text()).toBe('已等待 12分钟');
    expect(wrapper.get('[data-testid="conversation-row-channel"]').attributes('aria-label')).toBe('邮件');
    expect(wrapper.get('[data-testid="conversation-unread"]').attributes('aria-label')).toBe('3 条未读消息');
  });

  it('updates the waiting time as the clock moves', async () => {
    const wrapper = mountRow({ waitingSince: '2025-01-01T09:59:00.000Z' });
    expect(wrapper.get('[data-testid="conversation-waiting"]').text()).toBe('waiting 1m');
    vi.advanceTimersByTime(5 * 60_000);
    await wrapper.vm.$nextTick();
    expect(wrapper.get('[data-testid="conversation-waiting"]').text()).toBe('waiting 6m');
  });

  it('shows no count when all is read, and no waiting time once answered or for the bot', () => {
    const read = mountRow({ unreadCount: 0, waitingSince: null });
    expect(read.find('[data-testid="conversation-unread"]').exists()).toBe(false);
    expect(read.find('[data-testid="conversation-waiting"]').exists()).toBe(false);
    expect(read.get('[data-testid="conversation-row"]').classes()).not.toContain('unread');
    expect(mountRow({ status: 'bot' }).find('[data-testid="conversation-waiting"]').exists()).toBe(false);
    expect(mountRow({ unreadCount: 100 }).get('[data-testid="conversation-unread"]').text()).toBe('99+');
    expect(mountRow({ channelKind: 'web_chat' }).get('[data-testid="conversation-row-channel"]').attributes('aria-label')).toBe('Web chat');
  });
});
