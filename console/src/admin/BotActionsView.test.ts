// @vitest-environment happy-dom
// Admin → Bot actions: the list, a new action's JSON inputs refused in words when they are not a
// list, saved with the auth value sent once; "Test" calls the action with its sample inputs and
// shows the answer and the fields; the articles an action serves picked from the knowledge base; Chinese.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n, setLocale } from '../i18n/i18n';
import BotActionsView from './BotActionsView.vue';

const calls: { method: string; path: string; body?: unknown }[] = [];
const order = {
  id: 'a1',
  name: 'Order status',
  description: '',
  method: 'GET',
  urlTemplate: 'https://shop.example.com/orders/{{order}}',
  bodyTemplate: null,
  authHeaderName: 'Authorization',
  hasAuth: true,
  inputs: [{ name: 'order', type: 'string', description: 'order number', example: 'SO12345' }],
  responseFields: [{ name: 'status', path: 'order.status', label: 'Status' }],
  answerTemplate: 'Order {{order}} is {{status}}.',
  timeoutMs: 5000,
  questions: ['Where is my order?'],
  articleIds: [] as string[],
  enabled: true,
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
};
vi.mock('../auth/session', () => ({
  sessionRequest: async (method: string, path: string, options?: { body?: unknown }) => {
    calls.push({ method, path, ...(options?.body ? { body: options.body } : {}) });
    if (path.endsWith('/test'))
      return { result: { ok: true, status: 200, latencyMs: 12, fields: { status: 'shipped' }, answer: 'Order SO12345 is shipped.', error: null } };
    if (method === 'POST') return { action: order };
    if (path.startsWith('/api/knowledge/articles'))
      return {
        articles: [
          { id: 'k1', title: 'Tracking your order', locale: 'en' },
          { id: 'k2', title: '查询订单物流', locale: 'zh-CN' },
          ...Array.from({ length: 8 }, (_, i) => ({ id: `r${i}`, title: `Refund rule ${i}`, locale: 'en' })),
        ],
      };
    return { actions: [order] };
  },
}));

describe('BotActionsView', () => {
  beforeEach(() => {
    calls.length = 0;
  });
  afterEach(() => setLocale('en'));

  it('tests an action with its example inputs and shows the answer and the fields only', async () => {
    const wrapper = mount(BotActionsView, { global: { plugins: [i18n] } });
    await flushPromises();
    expect(wrapper.get('[data-testid="bot-action-row"]').text()).toContain('Order status');
    await wrapper.get('[data-testid="bot-action-test"]').trigger('click');
    expect(wrapper.get<HTMLInputElement>('[data-testid="bot-action-test-order"]').element.value).toBe('SO12345');
    await wrapper.get('[data-testid="bot-action-test-form"]').trigger('submit');
    await flushPromises();
    expect(calls.at(-1)).toEqual({ method: 'POST', path: '/api/bot-actions/a1/test', body: { inputs: { order: 'SO12345' } } });
    const result = wrapper.get('[data-testid="bot-action-test-result"]').text();
    expect(result).toContain('HTTP 200 in 12 ms');
    expect(result).toContain('Order SO12345 is shipped.');
    expect(result).toContain('shipped');
  });

  it('refuses inputs that are not a JSON list before sending, then creates the action', async () => {
    const wrapper = mount(BotActionsView, { global: { plugins: [i18n] } });
    await flushPromises();
    await wrapper.get('[data-testid="bot-action-new"]').trigger('click');
    await wrapper.get('[data-testid="bot-action-name"]').setValue('Balance');
    await wrapper.get('[data-testid="bot-action-url"]').setValue('https://bank.example.com/balance');
    await wrapper.get('[data-testid="bot-action-inputs"]').setValue('{');
    await wrapper.get('[data-testid="bot-action-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.text()).toContain('Write a JSON list, e.g. [].');
    expect(calls.filter((call) => call.method === 'POST')).toEqual([]);
    await wrapper.get('[data-testid="bot-action-inputs"]').setValue('[]');
    await wrapper.get('[data-testid="bot-action-auth-value"]').setValue('Bearer t');
    await wrapper.get('[data-testid="bot-action-questions"]').setValue('What is my balance?\n\nHow much money do I have');
    const articles = wrapper.findAll<HTMLInputElement>('[data-testid="bot-action-article"]');
    expect(wrapper.get('[data-testid="bot-action-articles"]').text()).toContain('查询订单物流');
    await articles[1]!.setValue(true);
    await wrapper.get('[data-testid="bot-action-form"]').trigger('submit');
    await flushPromises();
    expect(calls.find((call) => call.method === 'POST')?.body).toMatchObject({
      name: 'Balance',
      method: 'GET',
      urlTemplate: 'https://bank.example.com/balance',
      authHeaderValue: 'Bearer t',
      inputs: [],
      questions: ['What is my balance?', 'How much money do I have'],
      articleIds: ['k2'],
    });
  });

  it('narrows a long list of articles by title, keeping the ticked ones in view', async () => {
    const wrapper = mount(BotActionsView, { global: { plugins: [i18n] } });
    await flushPromises();
    await wrapper.get('[data-testid="bot-action-new"]').trigger('click');
    await flushPromises();
    const titles = () => wrapper.findAll('[data-testid="bot-action-articles"] label').map((label) => label.text());
    expect(titles()).toHaveLength(10);
    await wrapper.findAll<HTMLInputElement>('[data-testid="bot-action-article"]')[0]!.setValue(true);
    await wrapper.get('[data-testid="bot-action-article-filter"]').setValue('RULE 3');
    expect(titles()).toEqual(['Tracking your order en', 'Refund rule 3 en']);
  });

  it('speaks Chinese', async () => {
    setLocale('zh-CN');
    const wrapper = mount(BotActionsView, { global: { plugins: [i18n] } });
    await flushPromises();
    expect(wrapper.get('h1').text()).toBe('机器人操作');
    expect(wrapper.get('[data-testid="bot-action-test"]').text()).toBe('测试');
  });
});
