// @vitest-environment happy-dom
// An email channel's inbound settings as a component: the address to forward to, the webhook URL
// and its state, a generated secret shown once with Copy (and gone after Done), a refusal said.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n, setLocale } from '../i18n/i18n';
import type { ChannelView } from './admin-types';
import EmailChannelInbound from './EmailChannelInbound.vue';

let answer: () => Promise<{ secret: string; path: string; header: string }>;
const rotated: string[] = [];
vi.mock('./admin-api', () => ({
  adminApi: {
    rotateInboundEmailSecret: (channelId: string) => {
      rotated.push(channelId);
      return answer();
    },
  },
}));

const channel = (overrides: Partial<ChannelView> = {}): ChannelView =>
  ({
    id: '6f1c3a52-8f7e-4a55-9d7c-0a1b2c3d4e5f',
    kind: 'email',
    name: 'Support email',
    enabled: true,
    settings: { address: 'support@shop.example' },
    createdAt: '2026-12-01T00:00:00.000Z',
    ...overrides,
  }) as ChannelView;

const mountInbound = (view: ChannelView) => mount(EmailChannelInbound, { props: { channel: view }, global: { plugins: [i18n] } });

describe('EmailChannelInbound', () => {
  beforeEach(() => {
    rotated.length = 0;
    answer = async () => ({ secret: 'whsec_abc123', path: '/api/inbound/email/x', header: 'X-Inbound-Secret' });
  });
  afterEach(() => setLocale('en'));

  it('shows the address to forward to, the webhook URL on this server and whether it is on', async () => {
    const wrapper = mountInbound(channel());
    expect(wrapper.get('[data-testid="channel-email-address"]').text()).toBe('support@shop.example');
    expect(wrapper.get('[data-testid="channel-webhook-url"]').text()).toBe(`${window.location.origin}/api/inbound/email/6f1c3a52-8f7e-4a55-9d7c-0a1b2c3d4e5f`);
    expect(wrapper.get('[data-testid="channel-webhook-state"]').attributes('data-enabled')).toBe('true');
    expect(wrapper.find('[data-testid="channel-imap"]').exists()).toBe(true);
    const off = mountInbound(channel({ enabled: false, settings: {} }));
    expect(off.get('[data-testid="channel-email-address"]').text()).toBe('No address set');
    expect(off.get('[data-testid="channel-webhook-state"]').text()).toBe('Off: the channel is off');
    setLocale('zh-CN');
    await flushPromises();
    expect(off.get('[data-testid="channel-webhook-state"]').text()).toBe('已关闭：渠道已关闭');
  });

  it('generates a secret and shows it once, with Copy; Done puts it away', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const wrapper = mountInbound(channel());
    expect(wrapper.find('[data-testid="channel-secret-once"]').exists()).toBe(false);
    await wrapper.get('[data-testid="channel-secret-generate"]').trigger('click');
    await flushPromises();
    expect(rotated).toEqual(['6f1c3a52-8f7e-4a55-9d7c-0a1b2c3d4e5f']);
    expect((wrapper.get('[data-testid="channel-secret-value"]').element as HTMLInputElement).value).toBe('whsec_abc123');
    await wrapper.get('[data-testid="channel-secret-copy"]').trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith('whsec_abc123');
    expect(wrapper.get('[data-testid="channel-secret-copy-state"]').text()).toBe('Copied.');
    await wrapper.get('[data-testid="channel-secret-done"]').trigger('click');
    expect(wrapper.find('[data-testid="channel-secret-value"]').exists()).toBe(false);
    expect(wrapper.html()).not.toContain('whsec_abc123');
  });

  it('says when the secret could not be generated', async () => {
    answer = () => Promise.reject(new Error('refused'));
    const wrapper = mountInbound(channel());
    await wrapper.get('[data-testid="channel-secret-generate"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="channel-secret-error"]').text()).toMatch(/^Could not generate a secret: /);
    expect(wrapper.find('[data-testid="channel-secret-once"]').exists()).toBe(false);
  });
});
