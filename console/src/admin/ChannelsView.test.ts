// @vitest-environment happy-dom
// The email channel's form as a component: how replies leave (From name, signature, reply-all, a
// ticket for each thread) saved without losing the other settings — the server replaces settings
// whole — and the server's problems shown at the setting they are about.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n, setLocale } from '../i18n/i18n';
import { toApiError } from '../shared/http';
import type { ChannelView } from './admin-types';
import ChannelsView from './ChannelsView.vue';

const stored: ChannelView = {
  id: '6f1c3a52-8f7e-4a55-9d7c-0a1b2c3d4e5f',
  kind: 'email',
  name: 'Support email',
  enabled: true,
  settings: { address: 'support@shop.example', fromName: 'Shop support', signature: 'The Shop team', replyAll: false, createTickets: true },
  createdAt: '2026-12-01T00:00:00.000Z',
  imap: null,
};

const patches: { channelId: string; change: { name?: string; enabled?: boolean; settings?: Record<string, unknown> } }[] = [];
let answer: (change: { settings?: Record<string, unknown> }) => Promise<{ channel: ChannelView }>;
vi.mock('./admin-api', () => ({
  adminApi: {
    channels: async () => ({ channels: [stored] }),
    updateChannel: (channelId: string, change: { settings?: Record<string, unknown> }) => {
      patches.push({ channelId, change });
      return answer(change);
    },
    rotateInboundEmailSecret: async () => ({ secret: 's', path: '', header: '' }),
  },
}));

async function openForm() {
  const wrapper = mount(ChannelsView, { global: { plugins: [i18n] }, attachTo: document.body });
  await flushPromises();
  await wrapper.get('[data-testid="channel-edit"]').trigger('click');
  await flushPromises();
  return wrapper;
}

describe('ChannelsView, an email channel', () => {
  beforeEach(() => {
    patches.length = 0;
    answer = async (change) => ({ channel: { ...stored, settings: change.settings ?? stored.settings } });
  });
  afterEach(() => {
    setLocale('en');
    document.body.innerHTML = '';
  });

  it('shows the stored From name, signature and both switches in the form', async () => {
    const wrapper = await openForm();
    expect((wrapper.get('[data-testid="channel-input-fromName"]').element as HTMLInputElement).value).toBe('Shop support');
    expect((wrapper.get('[data-testid="channel-input-signature"]').element as HTMLTextAreaElement).value).toBe('The Shop team');
    expect((wrapper.get('[data-testid="channel-input-replyAll"]').element as HTMLInputElement).checked).toBe(false);
    expect((wrapper.get('[data-testid="channel-input-createTickets"]').element as HTMLInputElement).checked).toBe(true);
    expect(wrapper.text()).toContain('Reply to everyone in the thread');
    setLocale('zh-CN');
    await flushPromises();
    expect(wrapper.text()).toContain('为每个新的邮件往来创建工单');
  });

  it('saves a changed signature with every other setting kept', async () => {
    const wrapper = await openForm();
    await wrapper.get('[data-testid="channel-input-signature"]').setValue('Best wishes, the Shop');
    await wrapper.get('[data-testid="channel-form"]').trigger('submit');
    await flushPromises();
    expect(patches).toEqual([
      {
        channelId: stored.id,
        change: {
          settings: { address: 'support@shop.example', fromName: 'Shop support', signature: 'Best wishes, the Shop', replyAll: false, createTickets: true },
        },
      },
    ]);
    expect(wrapper.find('[data-testid="channel-form"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="channel-saved"]').exists()).toBe(true);
  });

  it('sums up how replies leave on the card, and follows a save', async () => {
    const wrapper = await openForm();
    await wrapper.get('[data-testid="channel-input-replyAll"]').setValue(true);
    await wrapper.get('[data-testid="channel-input-createTickets"]').setValue(false);
    await wrapper.get('[data-testid="channel-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="channel-email-replies"]').text()).toBe(
      'Replies from Shop support · reply to everyone: On · a ticket for each new thread: Off',
    );
    setLocale('zh-CN');
    await flushPromises();
    expect(wrapper.get('[data-testid="channel-email-replies"]').text()).toContain('回复所有人');
  });

  it('saves a switched toggle with every other setting kept, and an emptied From name left out', async () => {
    const wrapper = await openForm();
    await wrapper.get('[data-testid="channel-input-replyAll"]').setValue(true);
    await wrapper.get('[data-testid="channel-input-fromName"]').setValue('  ');
    await wrapper.get('[data-testid="channel-form"]').trigger('submit');
    await flushPromises();
    expect(patches[0]?.change).toEqual({ settings: { address: 'support@shop.example', signature: 'The Shop team', replyAll: true, createTickets: true } });
  });

  it('edits the address, the name and the switch in one save, and the card then shows the new address (issue 21)', async () => {
    answer = async (change) => ({ channel: { ...stored, ...change, settings: change.settings ?? stored.settings } as ChannelView });
    const wrapper = await openForm();
    expect((wrapper.get('[data-testid="channel-input-address"]').element as HTMLInputElement).value).toBe('support@shop.example');
    await wrapper.get('[data-testid="channel-input-address"]').setValue(' billing@shop.example ');
    await wrapper.get('[data-testid="channel-input-name"]').setValue('Billing email');
    await wrapper.get('[data-testid="channel-input-enabled"]').setValue(false);
    await wrapper.get('[data-testid="channel-form"]').trigger('submit');
    await flushPromises();
    expect(patches).toEqual([
      {
        channelId: stored.id,
        change: {
          name: 'Billing email',
          enabled: false,
          settings: { address: 'billing@shop.example', fromName: 'Shop support', signature: 'The Shop team', replyAll: false, createTickets: true },
        },
      },
    ]);
    expect(wrapper.get('[data-testid="channel-name"]').text()).toBe('Billing email');
    expect(wrapper.get('[data-testid="channel-email-address"]').text()).toBe('billing@shop.example');
    expect(wrapper.get('[data-testid="channel-webhook-state"]').attributes('data-enabled')).toBe('false');
  });

  it('shows a refused address at the address field', async () => {
    answer = async () => {
      throw toApiError(400, {
        error: { code: 'invalid_input', message: 'Invalid input', details: [{ path: 'settings.address', message: 'Invalid email address' }] },
      });
    };
    const wrapper = await openForm();
    await wrapper.get('[data-testid="channel-input-address"]').setValue('billing at shop');
    await wrapper.get('[data-testid="channel-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="channel-error-address"]').text()).toContain('Invalid email address');
    expect(wrapper.find('[data-testid="channel-form"]').exists()).toBe(true);
  });

  it('sends nothing when nothing changed', async () => {
    const wrapper = await openForm();
    await wrapper.get('[data-testid="channel-form"]').trigger('submit');
    await flushPromises();
    expect(patches).toEqual([]);
    expect(wrapper.find('[data-testid="channel-form"]').exists()).toBe(false);
  });

  it("shows the server's problem at the setting it is about and keeps the form open", async () => {
    answer = async () => {
      throw toApiError(400, {
        error: {
          code: 'invalid_input',
          message: 'Invalid input',
          details: [{ path: 'settings.fromName', message: 'Too big: expected at most 100 characters' }],
        },
      });
    };
    const wrapper = await openForm();
    await wrapper.get('[data-testid="channel-input-fromName"]').setValue('x'.repeat(20));
    await wrapper.get('[data-testid="channel-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="channel-error-fromName"]').text()).toBe('Too big: expected at most 100 characters');
    expect(wrapper.get('[data-testid="channel-input-fromName"]').attributes('aria-invalid')).toBe('true');
    expect(wrapper.find('[data-testid="channel-error-signature"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="channel-form"]').exists()).toBe(true);
  });
});
