// @vitest-environment happy-dom
// A colleague's mail in the conversation (issue 17): a mail from someone the customer copied,
// stored with metadata.sender, names that person as its author — not the customer — with a
// "CC" hint; the customer's own mail names the customer.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n, setLocale } from '../i18n/i18n';
import type { MessageView } from '../shared/wire-types';
import MessageItem from './MessageItem.vue';

vi.mock('./inbox-api', () => ({ inboxApi: {} }));

const mail = (extra: Record<string, unknown> = {}, authorName: string | null = 'Ann Customer'): MessageView => ({
  id: 'm1',
  conversationId: 'c1',
  authorKind: 'customer',
  authorUserId: null,
  authorName,
  body: 'Adding Bob, who ordered it.',
  private: false,
  metadata: {
    email: { inboundEmailId: 'e1', subject: 'Re: Your order', from: 'bob@shop.example', to: ['support@example.com'], cc: [], automated: false },
    ...extra,
  } as MessageView['metadata'],
  createdAt: '2026-12-01T02:15:02.000Z',
});

const mountItem = (message: MessageView) => mount(MessageItem, { props: { message }, global: { plugins: [i18n] } });

describe('MessageItem, a mail from someone copied', () => {
  afterEach(() => setLocale('en'));

  it('names the sender, not the customer, with the address and a CC hint', async () => {
    const wrapper = mountItem(mail({ sender: { name: 'Bob Stone', address: 'bob@shop.example' } }, 'Ann Customer'));
    const author = wrapper.get('[data-testid="message-author"]');
    expect(author.text()).toBe('Bob Stone');
    expect(author.attributes('data-sender')).toBe('bob@shop.example');
    expect(wrapper.get('[data-testid="message-sender-address"]').text()).toBe('bob@shop.example');
    expect(wrapper.get('[data-testid="message-cc-hint"]').text()).toBe('CC');
    expect(wrapper.text()).not.toContain('Ann Customer');
    setLocale('zh-CN');
    await flushPromises();
    expect(wrapper.get('[data-testid="message-cc-hint"]').text()).toBe('抄送');
  });

  it('names a sender without a name by the address alone', () => {
    const wrapper = mountItem(mail({ sender: { name: null, address: 'bob@shop.example' } }, null));
    expect(wrapper.get('[data-testid="message-author"]').text()).toBe('bob@shop.example');
    expect(wrapper.find('[data-testid="message-sender-address"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="message-cc-hint"]').exists()).toBe(true);
  });

  it("names the customer on the customer's own mail, with no hint", () => {
    const wrapper = mountItem(mail());
    expect(wrapper.get('[data-testid="message-author"]').text()).toBe('Ann Customer');
    expect(wrapper.get('[data-testid="message-author"]').attributes('data-sender')).toBeUndefined();
    expect(wrapper.find('[data-testid="message-cc-hint"]').exists()).toBe(false);
  });
});
