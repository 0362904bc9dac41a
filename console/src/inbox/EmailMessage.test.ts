// @vitest-environment happy-dom
// An email in the conversation view (MessageItem with EmailMessage): its headers and the
// "Automated" badge, the original loaded on request with its quoted history collapsed and remote
// images withheld until "Show images", and the delivery status of a reply that leaves as mail.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n, setLocale } from '../i18n/i18n';
import type { EmailOriginalView, MessageView } from '../shared/wire-types';
import MessageItem from './MessageItem.vue';

const messageEmail = vi.fn();
/** A failure to answer with instead of calling the mock. */
let failWith: Error | null = null;
const inlineImage = vi.fn();
const remoteImage = vi.fn();
vi.mock('./inbox-api', () => ({
  inboxApi: {
    messageEmail: async (...args: unknown[]) => (failWith ? Promise.reject(failWith) : messageEmail(...args)),
    inlineImage: (...args: unknown[]) => inlineImage(...args),
    remoteImage: (...args: unknown[]) => remoteImage(...args),
  },
}));

const emailMessage = (email: Record<string, unknown> = {}): MessageView => ({
  id: 'm1',
  conversationId: 'c1',
  authorKind: 'customer',
  authorUserId: null,
  authorName: 'Ann Customer',
  body: 'Thanks, that worked!',
  private: false,
  metadata: {
    email: {
      inboundEmailId: 'e1',
      subject: 'Re: Your refund [#42]',
      from: 'ann@example.com',
      to: ['support@example.com'],
      cc: ['bob@example.com'],
      automated: false,
      ...email,
    },
  } as MessageView['metadata'],
  createdAt: '2026-12-01T02:15:02.000Z',
});

const original = (overrides: Partial<EmailOriginalView> = {}): EmailOriginalView => ({
  messageId: 'm1',
  conversationId: 'c1',
  inboundEmailId: 'e1',
  subject: 'Re: Your refund [#42]',
  from: { name: 'Ann Customer', address: 'ann@example.com' },
  to: [{ name: '', address: 'support@example.com' }],
  cc: [],
  date: '2026-12-01T02:15:02.000Z',
  receivedAt: '2026-12-01T02:15:03.000Z',
  html: '<div>Thanks, that worked!</div><img data-remote-src="https://track.example/p.gif"><blockquote data-email-part="quote">your refund was sent</blockquote>',
  htmlWithoutQuote: '<div>Thanks, that worked!</div><img data-remote-src="https://track.example/p.gif">',
  text: 'Thanks, that worked!\n\n> your refund was sent',
  textWithoutQuote: 'Thanks, that worked!',
  remoteImages: 1,
  htmlTruncated: false,
  automated: false,
  ...overrides,
});

const mountMessage = (message: MessageView) => mount(MessageItem, { props: { message }, global: { plugins: [i18n] } });
const frameDocument = (wrapper: ReturnType<typeof mountMessage>) => wrapper.get('[data-testid="email-original-frame"]').attributes('srcdoc') ?? '';

describe('an email message', () => {
  beforeEach(() => {
    messageEmail.mockReset();
    inlineImage.mockReset();
    remoteImage.mockReset();
    failWith = null;
  });
  afterEach(() => setLocale('en'));

  it('shows the subject, sender and recipients above the reply text; no badge for a person’s mail', () => {
    const wrapper = mountMessage(emailMessage());
    expect(wrapper.get('[data-testid="message-item"]').attributes('data-email')).toBe('true');
    expect(wrapper.get('[data-testid="email-subject"]').text()).toBe('Re: Your refund [#42]');
    expect(wrapper.get('[data-testid="email-from"]').text()).toBe('ann@example.com');
    expect(wrapper.get('[data-testid="email-to"]').text()).toBe('support@example.com');
    expect(wrapper.get('[data-testid="email-cc"]').text()).toBe('bob@example.com');
    expect(wrapper.get('[data-testid="message-body"]').text()).toBe('Thanks, that worked!');
    expect(wrapper.find('[data-testid="email-automated"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="email-original"]').exists()).toBe(false);
  });

  it('badges automated mail, with its reasons in the tooltip, in both languages', async () => {
    const wrapper = mountMessage(emailMessage({ automated: true, automatedReasons: ['auto_submitted'], cc: [] }));
    const badge = wrapper.get('[data-testid="email-automated"]');
    expect(badge.text()).toBe('Automated');
    expect(badge.attributes('title')).toContain('auto_submitted');
    expect(wrapper.find('[data-testid="email-cc"]').exists()).toBe(false);
    setLocale('zh-CN');
    await flushPromises();
    expect(wrapper.get('[data-testid="email-automated"]').text()).toBe('自动邮件');
  });

  it('loads the original on request, with the quoted history collapsed until "Show quoted text"', async () => {
    messageEmail.mockResolvedValue({ email: original() });
    const wrapper = mountMessage(emailMessage());
    await wrapper.get('[data-testid="email-original-toggle"]').trigger('click');
    await flushPromises();
    expect(messageEmail).toHaveBeenCalledWith('c1', 'm1');
    const frame = wrapper.get('[data-testid="email-original-frame"]');
    // The second wall: nothing in the frame may run.
    expect(frame.attributes('sandbox')).not.toContain('allow-scripts');
    expect(frameDocument(wrapper)).toContain('Thanks, that worked!');
    expect(frameDocument(wrapper)).not.toContain('your refund was sent');
    await wrapper.get('[data-testid="email-quoted-toggle"]').trigger('click');
    expect(frameDocument(wrapper)).toContain('your refund was sent');
    expect(wrapper.get('[data-testid="email-quoted-toggle"]').text()).toBe('Hide quoted text');
    // Hiding and showing again does not fetch twice.
    await wrapper.get('[data-testid="email-original-toggle"]').trigger('click');
    await wrapper.get('[data-testid="email-original-toggle"]').trigger('click');
    expect(messageEmail).toHaveBeenCalledTimes(1);
  });

  it('withholds remote images until "Show images" is clicked, then shows them fetched through the server as data: URLs', async () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    remoteImage.mockImplementation(async (_conversationId: string, _messageId: string, index: number) => (index === 0 ? png : null));
    messageEmail.mockResolvedValue({ email: original() });
    const wrapper = mountMessage(emailMessage());
    await wrapper.get('[data-testid="email-original-toggle"]').trigger('click');
    await flushPromises();
    expect(frameDocument(wrapper)).not.toMatch(/\ssrc="https:\/\/track/);
    expect(frameDocument(wrapper)).toContain('img-src data:;');
    expect(remoteImage).not.toHaveBeenCalled();
    await wrapper.get('[data-testid="email-show-images"]').trigger('click');
    await flushPromises();
    expect(remoteImage.mock.calls).toEqual([['c1', 'm1', 0]]);
    expect(frameDocument(wrapper)).toContain(`<img src="${png}">`);
    expect(frameDocument(wrapper)).not.toContain('src="https://track.example');
    // The frame's policy stays data: only.
    expect(frameDocument(wrapper)).toContain('img-src data:;');
    expect(wrapper.find('[data-testid="email-show-images"]').exists()).toBe(false);
  });

  it("shows the mail's own inline images at once, fetched as data: URLs", async () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    inlineImage.mockImplementation(async (id: string) => (id === 'att-1' ? png : null));
    messageEmail.mockResolvedValue({
      email: original({ html: '<p>See:</p><img data-attachment-id="att-1" alt="chart">', htmlWithoutQuote: null, remoteImages: 0 }),
    });
    const wrapper = mountMessage(emailMessage());
    await wrapper.get('[data-testid="email-original-toggle"]').trigger('click');
    await flushPromises();
    expect(inlineImage).toHaveBeenCalledWith('att-1');
    expect(frameDocument(wrapper)).toContain(`<img src="${png}" alt="chart">`);
    expect(wrapper.find('[data-testid="email-show-images"]').exists()).toBe(false);
  });

  it('shows a plain-text mail as text, its quoted part collapsed too, and no image button', async () => {
    messageEmail.mockResolvedValue({ email: original({ html: null, htmlWithoutQuote: null, remoteImages: 0 }) });
    const wrapper = mountMessage(emailMessage());
    await wrapper.get('[data-testid="email-original-toggle"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="email-original-frame"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="email-original-text"]').text()).toBe('Thanks, that worked!');
    await wrapper.get('[data-testid="email-quoted-toggle"]').trigger('click');
    expect(wrapper.get('[data-testid="email-original-text"]').text()).toContain('> your refund was sent');
    expect(wrapper.find('[data-testid="email-show-images"]').exists()).toBe(false);
  });

  it('says when the original cannot be loaded', async () => {
    failWith = new TypeError('Failed to fetch');
    const wrapper = mountMessage(emailMessage());
    await wrapper.get('[data-testid="email-original-toggle"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="email-original-error"]').text()).toMatch(/^Could not load the original: /);
  });
});

describe('the delivery of a reply that leaves as mail', () => {
  const reply = (delivery?: { status: string; error?: string }): MessageView =>
    ({
      id: 'm2',
      conversationId: 'c1',
      authorKind: 'agent',
      authorUserId: 'u1',
      authorName: 'Alex Agent',
      body: 'Your refund is on its way.',
      private: false,
      metadata: null,
      createdAt: '2026-12-01T03:00:00.000Z',
      ...(delivery ? { delivery } : {}),
    }) as MessageView;

  it('shows Sending…, Sent and Not delivered (with the reason), and nothing for a chat reply', () => {
    const status = (message: MessageView) => mountMessage(message).find('[data-testid="delivery-status"]');
    expect(status(reply()).exists()).toBe(false);
    expect(status(reply({ status: 'queued' })).text()).toBe('· Sending…');
    expect(status(reply({ status: 'sent' })).attributes('data-status')).toBe('sent');
    const failed = status(reply({ status: 'failed', error: '550 mailbox unavailable' }));
    expect(failed.text()).toBe('· Not delivered');
    expect(failed.attributes('title')).toBe('Not delivered: 550 mailbox unavailable');
  });
});
