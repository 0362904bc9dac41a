// @vitest-environment happy-dom
// The ticket's reply box with the API replaced: the conversation's latest messages (notes
// marked), a reply sent with Ctrl+Enter as a public message (and said to go by email in an email
// conversation), a note sent as a private one, and a refused send kept in the box with its reason.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../i18n/i18n';
import { ApiError } from '../shared/http';
import type { ConversationView, MessageView } from '../shared/wire-types';
import TicketReplyBox from './TicketReplyBox.vue';
import { latestMessages } from './ticket-reply';

const message = (id: string, minute: number, extra: Partial<MessageView> = {}): MessageView => ({
  id,
  conversationId: 'c1',
  authorKind: 'customer',
  authorUserId: null,
  authorName: 'Wang Fang',
  body: `message ${id}`,
  private: false,
  metadata: null,
  createdAt: `2026-12-07T10:${String(minute).padStart(2, '0')}:00.000Z`,
  ...extra,
});
const api = vi.hoisted(() => ({ listMessages: vi.fn(), sendMessage: vi.fn() }));
vi.mock('../inbox/inbox-api', () => ({ inboxApi: api }));
const conversation = (channelKind: 'email' | 'web_chat') => ({ id: 'c1', number: 7, channelKind }) as ConversationView;

describe('TicketReplyBox', () => {
  afterEach(() => {
    api.listMessages.mockReset();
    api.sendMessage.mockReset();
  });

  it('shows the thread, sends a reply with Ctrl+Enter and a note as private', async () => {
    api.listMessages.mockResolvedValue({
      messages: [message('m1', 1), message('m2', 2, { authorKind: 'agent', authorName: 'Alex', private: true })],
      nextCursor: null,
    });
    api.sendMessage.mockImplementation(async (_id: string, input: { body: string; private: boolean }) => ({
      message: message('m3', 3, { authorKind: 'agent', authorName: 'Alex', body: input.body, private: input.private }),
    }));
    const wrapper = mount(TicketReplyBox, { props: { conversation: conversation('email') }, global: { plugins: [i18n] } });
    await flushPromises();
    const shown = wrapper.findAll('[data-testid="ticket-thread-message"]');
    expect(shown.map((row) => row.attributes('data-private'))).toEqual(['false', 'true']);
    expect(wrapper.get('[data-testid="ticket-reply-hint"]').text()).toContain('Sent by email to the requester');

    const input = wrapper.get('[data-testid="ticket-reply-input"]');
    await input.setValue('Your refund was sent today.');
    await input.trigger('keydown', { key: 'Enter' });
    expect(api.sendMessage).not.toHaveBeenCalled();
    await input.trigger('keydown', { key: 'Enter', ctrlKey: true });
    await flushPromises();
    expect(api.sendMessage).toHaveBeenLastCalledWith('c1', { body: 'Your refund was sent today.', private: false }, expect.any(String));
    expect((input.element as HTMLTextAreaElement).value).toBe('');
    expect(wrapper.findAll('[data-testid="ticket-thread-message"]')).toHaveLength(3);

    await wrapper.get('[data-testid="ticket-reply-mode-note"]').setValue(true);
    expect(wrapper.get('[data-testid="ticket-reply-hint"]').text()).toContain('Only your team sees notes');
    await input.setValue('Checked with finance');
    await wrapper.get('[data-testid="ticket-reply-send"]').trigger('click');
    await flushPromises();
    expect(api.sendMessage).toHaveBeenLastCalledWith('c1', { body: 'Checked with finance', private: true }, expect.any(String));
    wrapper.unmount();
  });

  it('keeps a refused reply in the box with the reason, and says where a chat reply goes', async () => {
    api.listMessages.mockResolvedValue({ messages: [], nextCursor: null });
    api.sendMessage.mockRejectedValue(new ApiError(409, 'conversation_closed', 'The conversation is closed.'));
    const wrapper = mount(TicketReplyBox, { props: { conversation: conversation('web_chat') }, global: { plugins: [i18n] } });
    await flushPromises();
    expect(wrapper.get('[data-testid="ticket-reply-hint"]').text()).toContain('conversation #7');
    const input = wrapper.get('[data-testid="ticket-reply-input"]');
    await input.setValue('Hello again');
    await input.trigger('keydown', { key: 'Enter', metaKey: true });
    await flushPromises();
    expect(wrapper.get('[data-testid="ticket-reply-error"]').text()).not.toBe('');
    expect((input.element as HTMLTextAreaElement).value).toBe('Hello again');
    wrapper.unmount();
  });
});

describe('latestMessages', () => {
  it('keeps the newest ten, oldest first', () => {
    const many = Array.from({ length: 12 }, (_, i) => message(`m${i}`, 59 - i));
    expect(latestMessages(many).map((m) => m.id)).toEqual(['m9', 'm8', 'm7', 'm6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
  });
});
