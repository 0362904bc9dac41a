// @vitest-environment happy-dom
// Admin → Privacy: the visitor retention period loads, a bad number is refused in words before
// anything is sent, a number is saved as days and an empty field as the deployment's default; the
// call-recordings box is saved with it.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n, setLocale } from '../i18n/i18n';
import PrivacyView from './PrivacyView.vue';

const calls: { method: string; path: string; body?: unknown }[] = [];
let stored: number | null = null;
let sharesRecordings = false;
vi.mock('../auth/session', () => ({
  sessionRequest: async (method: string, path: string, options?: { body?: { visitorRetentionDays: number | null; customerSeesCallRecordings: boolean } }) => {
    calls.push({ method, path, ...(options?.body ? { body: options.body } : {}) });
    if (options?.body) {
      stored = options.body.visitorRetentionDays;
      sharesRecordings = options.body.customerSeesCallRecordings;
    }
    return { privacy: { visitorRetentionDays: stored, customerSeesCallRecordings: sharesRecordings } };
  },
}));

const field = (wrapper: ReturnType<typeof mount>) => wrapper.get<HTMLInputElement>('[data-testid="visitor-retention-days"]');

describe('PrivacyView', () => {
  beforeEach(() => {
    calls.length = 0;
    stored = 14;
    sharesRecordings = false;
  });
  afterEach(() => setLocale('en'));

  it('shows the period in force, refuses a bad number in words, saves days or the default', async () => {
    const wrapper = mount(PrivacyView, { global: { plugins: [i18n] } });
    await flushPromises();
    expect(field(wrapper).element.value).toBe('14');
    await field(wrapper).setValue('2.5');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="privacy-error"]').text()).toBe('Enter a whole number of days from 0 to 3650, or leave it empty for the default.');
    expect(calls.filter((call) => call.method === 'PATCH')).toEqual([]);
    await field(wrapper).setValue('7');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(calls.at(-1)).toEqual({ method: 'PATCH', path: '/api/settings/privacy', body: { visitorRetentionDays: 7, customerSeesCallRecordings: false } });
    await field(wrapper).setValue('');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    await wrapper.get<HTMLInputElement>('[data-testid="privacy-share-recordings"]').setValue(true);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(calls.at(-1)).toEqual({ method: 'PATCH', path: '/api/settings/privacy', body: { visitorRetentionDays: null, customerSeesCallRecordings: true } });
    expect(field(wrapper).element.value).toBe('');
  });

  it('speaks Chinese', async () => {
    setLocale('zh-CN');
    const wrapper = mount(PrivacyView, { global: { plugins: [i18n] } });
    await flushPromises();
    expect(wrapper.get('h1').text()).toBe('隐私');
    expect(wrapper.get('[data-testid="privacy-save"]').text()).toBe('保存');
  });
});
