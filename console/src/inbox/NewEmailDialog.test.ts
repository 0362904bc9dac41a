// @vitest-environment happy-dom
// "New email" as a component: the enabled email channels to send from, the request sent with an
// Idempotency-Key (the same one when the same form is sent again), the server's 400 problems at
// their fields, a 409 as a sentence in the agent's language, and the new conversation handed on.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConversationView, EmailChannelChoice } from '../../../contract/views';
import { i18n, setLocale } from '../i18n/i18n';
import { toApiError } from '../shared/http';
import NewEmailDialog from './NewEmailDialog.vue';

const channelOf = (id: string): EmailChannelChoice => ({ id, name: `Mail ${id}`, address: `${id}@shop.example` });
const conversation = { id: 'conv-1', number: 7, subject: 'Your order' } as ConversationView;

let channels: () => Promise<{ channels: EmailChannelChoice[] }>;
let answer: () => Promise<{ conversation: ConversationView }>;
const sent: { input: unknown; key: string }[] = [];
vi.mock('./inbox-api', () => ({
  inboxApi: {
    emailChannels: () => channels(),
    startEmailConversation: (input: unknown, key: string) => {
      sent.push({ input, key });
      return answer();
    },
  },
}));

async function openDialog() {
  const wrapper = mount(NewEmailDialog, { global: { plugins: [i18n] }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

async function fill(wrapper: Awaited<ReturnType<typeof openDialog>>) {
  await wrapper.get('[data-testid="new-email-customer-email"]').setValue('ann@example.com');
  await wrapper.get('[data-testid="new-email-subject"]').setValue('Your order');
  await wrapper.get('[data-testid="new-email-body"]').setValue('Hello Ann, your order has shipped.');
}

describe('NewEmailDialog', () => {
  beforeEach(() => {
    sent.length = 0;
    channels = async () => ({
      channels: [channelOf('support'), channelOf('sales')],
    });
    answer = async () => ({ conversation });
  });
  afterEach(() => {
    setLocale('en');
    document.body.innerHTML = '';
  });

  it('offers the email channels the API lists, the first chosen, and puts focus on the address', async () => {
    const wrapper = await openDialog();
    const options = wrapper.findAll('[data-testid="new-email-channel"] option');
    expect(options.map((option) => option.text())).toEqual(['Mail support (support@shop.example)', 'Mail sales (sales@shop.example)']);
    expect((wrapper.get('[data-testid="new-email-channel"]').element as HTMLSelectElement).value).toBe('support');
    expect(document.activeElement?.getAttribute('data-testid')).toBe('new-email-customer-email');
  });

  it('sends the form and hands on the new conversation', async () => {
    const wrapper = await openDialog();
    await fill(wrapper);
    await wrapper.get('[data-testid="new-email-channel"]').setValue('sales');
    await wrapper.get('[data-testid="new-email-customer-name"]').setValue('Ann Lee');
    await wrapper.get('[data-testid="new-email-form"]').trigger('submit');
    await flushPromises();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.input).toEqual({
      channelId: 'sales',
      customerEmail: 'ann@example.com',
      customerName: 'Ann Lee',
      subject: 'Your order',
      body: 'Hello Ann, your order has shipped.',
    });
    expect(sent[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(wrapper.emitted('created')).toEqual([[conversation]]);
  });

  it("shows the server's 400 problems at their fields, and sends the same form again with the same key", async () => {
    answer = async () => {
      throw toApiError(400, {
        error: {
          code: 'invalid_input',
          message: 'Invalid input',
          details: [
            { path: 'customerEmail', message: 'A valid email address' },
            { path: 'subject', message: 'A subject is needed' },
          ],
        },
      });
    };
    const wrapper = await openDialog();
    await wrapper.get('[data-testid="new-email-customer-email"]').setValue('not an address');
    await wrapper.get('[data-testid="new-email-body"]').setValue('Hello');
    await wrapper.get('[data-testid="new-email-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="new-email-error-customerEmail"]').text()).toBe('A valid email address');
    expect(wrapper.get('[data-testid="new-email-customer-email"]').attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('[data-testid="new-email-error-subject"]').text()).toBe('A subject is needed');
    expect(wrapper.find('[data-testid="new-email-error-body"]').exists()).toBe(false);
    expect(wrapper.emitted('created')).toBeUndefined();

    await wrapper.get('[data-testid="new-email-form"]').trigger('submit');
    await flushPromises();
    expect(sent.map((request) => request.key)).toEqual([sent[0]!.key, sent[0]!.key]);
    await wrapper.get('[data-testid="new-email-subject"]').setValue('Hi');
    await wrapper.get('[data-testid="new-email-form"]').trigger('submit');
    await flushPromises();
    expect(sent[2]!.key).not.toBe(sent[0]!.key);
  });

  it('says a refusal (409) in words, in the agent’s language, and reads the channels again', async () => {
    let reads = 0;
    const first = channels;
    channels = async () => {
      reads += 1;
      return first();
    };
    answer = async () => {
      throw toApiError(409, { error: { code: 'channel_disabled', message: 'The channel is disabled.' } });
    };
    setLocale('zh-CN');
    const wrapper = await openDialog();
    await fill(wrapper);
    await wrapper.get('[data-testid="new-email-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="new-email-form-error"]').text()).toBe('此邮件渠道已被关闭。请选择其他渠道，或请管理员将其开启。');
    expect(wrapper.emitted('created')).toBeUndefined();
    expect(reads).toBe(2);
  });

  it('says when no email channel is on, and sends nothing', async () => {
    channels = async () => ({ channels: [] });
    const wrapper = await openDialog();
    expect(wrapper.get('[data-testid="new-email-no-channel"]').text()).toBe('No email channel is on. An admin can set one up in Admin → Channels.');
    await fill(wrapper);
    await wrapper.get('[data-testid="new-email-form"]').trigger('submit');
    await flushPromises();
    expect(sent).toEqual([]);
    expect(wrapper.get('[data-testid="new-email-save"]').attributes('disabled')).toBeDefined();
  });

  it('closes on Cancel', async () => {
    const wrapper = await openDialog();
    await wrapper.get('[data-testid="new-email-cancel"]').trigger('click');
    expect(wrapper.emitted('close')).toHaveLength(1);
  });
});
