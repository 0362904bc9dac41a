// @vitest-environment happy-dom
// A message's files in the console: an image as a thumbnail fetched with the agent's session
// (GET /api/attachments/:id, as a data: URL), another file as a download button; an email's
// inline images belong to its original and are not listed again.
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { createConsoleI18n } from '../i18n/create-i18n';
import type { MessageView } from '../shared/wire-types';
import MessageItem from './MessageItem.vue';

const attachment = vi.fn();
vi.mock('./inbox-api', () => ({ inboxApi: { attachment: (id: string) => attachment(id) } }));

const message: MessageView = {
  id: 'm1',
  conversationId: 'c1',
  authorKind: 'customer',
  authorUserId: null,
  authorName: 'Ann',
  body: 'Here are the screenshot and the statement',
  private: false,
  metadata: null,
  createdAt: '2026-01-01T10:00:00.000Z',
  attachments: [
    { id: 'img', fileName: 'screenshot.png', contentType: 'image/png', size: 7, inline: false },
    { id: 'doc', fileName: 'statement.pdf', contentType: 'application/pdf', size: 3000, inline: false },
    { id: 'cid', fileName: 'logo.png', contentType: 'image/png', size: 7, inline: true },
  ],
};

describe('MessageItem attachments', () => {
  it('shows an image thumbnail fetched with the session and a download button for other files, not inline images', async () => {
    attachment.mockImplementation(async () => new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], { type: 'image/png' }));
    const wrapper = mount(MessageItem, { props: { message }, global: { plugins: [createConsoleI18n('en')] } });
    await flushPromises();
    await vi.waitFor(() => expect(wrapper.find('[data-testid="attachment-thumb"]').exists()).toBe(true), { timeout: 2000 });
    expect(attachment.mock.calls.map(([id]) => id)).toEqual(['img']);
    expect(wrapper.findAll('[data-testid="message-attachment"]').map((item) => item.attributes('data-attachment-id'))).toEqual(['img', 'doc']);
    expect(wrapper.get('[data-testid="attachment-thumb"]').attributes('src')).toMatch(/^data:image\/png;base64,/);
    expect(wrapper.get('[data-kind="file"] [data-testid="attachment-download"]').text()).toContain('statement.pdf');
  });

  it('lists nothing for a message without files', () => {
    const wrapper = mount(MessageItem, { props: { message: { ...message, attachments: undefined } }, global: { plugins: [createConsoleI18n('en')] } });
    expect(wrapper.find('[data-testid="message-attachment"]').exists()).toBe(false);
  });
});
