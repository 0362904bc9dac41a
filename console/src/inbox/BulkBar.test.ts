// @vitest-environment happy-dom
// The bulk bar: one request for all the selected conversations per action (resolve, assign to
// me, tag), the changed conversations handed up, and a summary that names why any did not change.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BulkConversationOutcome } from '../../../contract/views';
import { session } from '../auth/session';
import { i18n, setLocale } from '../i18n/i18n';
import type { ConversationView } from '../shared/wire-types';
import BulkBar from './BulkBar.vue';

const bulk = vi.fn<(input: unknown) => Promise<{ results: BulkConversationOutcome[] }>>();
vi.mock('./inbox-api', () => ({ inboxApi: { bulk: (input: unknown) => bulk(input) } }));

const resolved = (id: string) => ({ conversationId: id, ok: true as const, conversation: { id, status: 'resolved' } as ConversationView });

describe('BulkBar', () => {
  beforeEach(() => {
    bulk.mockReset();
    session.user = { id: 'me', name: 'Me', email: 'me@example.com', role: 'agent', teamId: null } as typeof session.user;
  });
  afterEach(() => setLocale('en'));

  it('resolves every selected conversation in one request and hands the changed ones up', async () => {
    bulk.mockResolvedValue({ results: [resolved('a'), resolved('b'), resolved('c')] });
    const wrapper = mount(BulkBar, { props: { ids: ['a', 'b', 'c'] }, global: { plugins: [i18n] } });
    expect(wrapper.get('[data-testid="bulk-count"]').text()).toBe('3 selected');
    await wrapper.get('[data-testid="bulk-resolve"]').trigger('click');
    await flushPromises();
    expect(bulk).toHaveBeenCalledExactlyOnceWith({ action: 'resolve', conversationIds: ['a', 'b', 'c'] });
    expect(wrapper.emitted('updated')?.[0]?.[0]).toEqual([resolved('a').conversation, resolved('b').conversation, resolved('c').conversation]);
    expect(wrapper.get('[data-testid="bulk-result"]').text()).toBe('3 conversations changed');
    // Resolved, the rows leave the list and the selection: the bar goes, its summary stays until the next selection.
    await wrapper.setProps({ ids: [] });
    expect(wrapper.find('[data-testid="bulk-bar"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="bulk-result"]').text()).toBe('3 conversations changed');
    await wrapper.setProps({ ids: ['d'] });
    expect(wrapper.find('[data-testid="bulk-result"]').exists()).toBe(false);
  });

  it('says which did not change and why, in English and Chinese', async () => {
    bulk.mockResolvedValue({
      results: [resolved('a'), { conversationId: 'b', ok: false, status: 409, error: { code: 'invalid_transition', message: 'It is already resolved.' } }],
    });
    const wrapper = mount(BulkBar, { props: { ids: ['a', 'b'] }, global: { plugins: [i18n] } });
    await wrapper.get('[data-testid="bulk-resolve"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="bulk-result"]').text()).toBe('1 conversation changed · 1 not changed: It is already resolved.');
    expect(wrapper.get('[data-testid="bulk-result"]').classes()).toContain('failed');
    expect(wrapper.emitted('updated')?.[0]?.[0]).toHaveLength(1);
    setLocale('zh-CN');
    await wrapper.get('[data-testid="bulk-resolve"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="bulk-result"]').text()).toBe('已更改 1 个会话 · 1 个未更改：It is already resolved.');
  });

  it('sends a selection longer than the server takes at once in turns, and sums them all up', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `c${i}`);
    bulk.mockImplementation(async (input) => ({ results: (input as { conversationIds: string[] }).conversationIds.map(resolved) }));
    const wrapper = mount(BulkBar, { props: { ids }, global: { plugins: [i18n] } });
    await wrapper.get('[data-testid="bulk-resolve"]').trigger('click');
    await flushPromises();
    expect(bulk.mock.calls.map(([input]) => (input as { conversationIds: string[] }).conversationIds)).toEqual([
      ids.slice(0, 50),
      ids.slice(50, 100),
      ids.slice(100),
    ]);
    expect(wrapper.get('[data-testid="bulk-result"]').text()).toBe('120 conversations changed');
  });

  it('assigns to me and adds a tag, each as one bulk action', async () => {
    bulk.mockResolvedValue({ results: [] });
    const wrapper = mount(BulkBar, { props: { ids: ['a', 'b'] }, global: { plugins: [i18n] } });
    await wrapper.get('[data-testid="bulk-assign"]').setValue('me');
    await flushPromises();
    expect(bulk).toHaveBeenLastCalledWith({ action: 'assign', toAgentId: 'me', conversationIds: ['a', 'b'] });
    await wrapper.get('[data-testid="bulk-tag"]').setValue('  vip ');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(bulk).toHaveBeenLastCalledWith({ action: 'tag', add: ['vip'], conversationIds: ['a', 'b'] });
    await wrapper.get('[data-testid="bulk-snooze"]').setValue('untilReply');
    await flushPromises();
    expect(bulk).toHaveBeenLastCalledWith({ action: 'snooze', until: null, conversationIds: ['a', 'b'] });
  });
});
