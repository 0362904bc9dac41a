// @vitest-environment happy-dom
// "Merge with another contact…" as a component: the search lists other contacts (never this one),
// picking one says what moves and which empty fields theirs fill, and only the confirmation
// merges; a refusal is said in words and nothing is handed on.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CustomerListItem, CustomerMergeView, CustomerProfileView } from '../../../contract/customer-views';
import { i18n, setLocale } from '../i18n/i18n';
import { toApiError } from '../shared/http';
import MergeDialog from './MergeDialog.vue';

const profileOf = (id: string, fields: Partial<CustomerProfileView> = {}): CustomerProfileView => ({
  id,
  name: null,
  email: null,
  phone: null,
  company: null,
  vip: false,
  tags: [],
  lastSeenAt: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  conversationCount: 0,
  locale: null,
  timeZone: null,
  notes: null,
  externalId: null,
  attributes: {},
  ticketCount: 0,
  conversations: [],
  tickets: [],
  ...fields,
});
const survivor = profileOf('a0000000-0000-4000-8000-000000000000', { name: '张伟', conversationCount: 1 });
const other = profileOf('b0000000-0000-4000-8000-000000000000', { name: 'Wei (mail)', email: 'wei@example.cn', conversationCount: 2, ticketCount: 1 });

const searched: string[] = [];
const merges: [string, string][] = [];
let mergeAnswer: () => Promise<CustomerMergeView>;
vi.mock('./contact-api', () => ({
  contactApi: {
    list: async (query: { q: string }) => {
      searched.push(query.q);
      return { customers: [survivor, other] as CustomerListItem[], total: 2, page: 1, pageSize: 10 };
    },
    get: async () => ({ customer: other }),
    merge: (id: string, otherId: string) => {
      merges.push([id, otherId]);
      return mergeAnswer();
    },
  },
}));

async function openAndPick() {
  const wrapper = mount(MergeDialog, { props: { survivor }, global: { plugins: [i18n] }, attachTo: document.body });
  await wrapper.get('[data-testid="merge-search"]').setValue('wei');
  await vi.runAllTimersAsync();
  await flushPromises();
  return wrapper;
}

describe('MergeDialog', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    searched.length = 0;
    merges.length = 0;
    mergeAnswer = async () => ({ customer: survivor, moved: { conversations: 2, tickets: 1, messages: 3, events: 9, attachments: 0 }, filled: ['email'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    setLocale('en');
    document.body.innerHTML = '';
  });

  it('lists the other contacts found, says what moves and what fills, and merges only when confirmed', async () => {
    const wrapper = await openAndPick();
    expect(searched).toEqual(['wei']);
    const results = wrapper.findAll('[data-testid="merge-result"]');
    expect(results.map((row) => row.attributes('data-customer-id'))).toEqual([other.id]);
    await results[0]!.get('[data-testid="merge-pick"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="merge-summary"]').text()).toBe(
      '2 conversations and 1 ticket move to 张伟, and Wei (mail) is deleted. This cannot be undone.',
    );
    expect(wrapper.get('[data-testid="merge-fills"]').text()).toBe('张伟 has no email: Wei (mail)’s fill them.');
    expect(merges).toEqual([]);
    await wrapper.get('[data-testid="merge-confirm"]').trigger('click');
    await flushPromises();
    expect(merges).toEqual([[survivor.id, other.id]]);
    expect(wrapper.emitted('merged')?.[0]?.[0]).toMatchObject({ moved: { conversations: 2 } });
  });

  it('says a refusal in words and hands nothing on', async () => {
    mergeAnswer = async () => {
      throw toApiError(409, { error: { code: 'customer_erased', message: 'An erased contact cannot be merged.' } });
    };
    setLocale('zh-CN');
    const wrapper = await openAndPick();
    await wrapper.get('[data-testid="merge-pick"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="merge-summary"]').text()).toBe('2 个会话和 1 个工单将移到 张伟，Wei (mail) 将被删除。此操作无法撤销。');
    await wrapper.get('[data-testid="merge-confirm"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="merge-error"]').text()).toContain('An erased contact cannot be merged.');
    expect(wrapper.emitted('merged')).toBeUndefined();
  });
});
