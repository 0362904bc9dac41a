// @vitest-environment happy-dom
// The tag editor as a component: Enter adds the typed tag through the API and hands the updated
// conversation up; × removes one.
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../i18n/i18n';
import type { ConversationView } from '../shared/wire-types';
import TagEditor from './TagEditor.vue';

const changeTags = vi.fn();
vi.mock('./inbox-api', () => ({ inboxApi: { changeTags: (...args: unknown[]) => changeTags(...args) } }));

const conversation = (tags: string[]): ConversationView => ({
  id: 'c1',
  number: 7,
  status: 'open',
  waitingOn: 'agent',
  priority: 'normal',
  tier: 'junior',
  assigneeId: null,
  assigneeName: null,
  teamId: null,
  customerId: 'u1',
  customer: { id: 'u1', name: null, email: null },
  subject: null,
  channelKind: 'web_chat',
  lastMessageAt: '2026-01-01T00:00:00.000Z',
  resolvedAt: null,
  snoozedUntil: null,
  slaState: 'none',
  firstResponseDueAt: null,
  nextResponseDueAt: null,
  resolutionDueAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  tags,
});

describe('TagEditor', () => {
  beforeEach(() => changeTags.mockReset());

  it('adds the typed tag on Enter and emits the updated conversation', async () => {
    changeTags.mockResolvedValue({ conversation: conversation(['vip', '退款']) });
    const wrapper = mount(TagEditor, { props: { conversation: conversation(['vip']) }, global: { plugins: [i18n] } });
    const input = wrapper.get('[data-testid="tag-input"]');
    await input.setValue('  退款 ');
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(changeTags).toHaveBeenCalledWith('c1', { add: ['退款'] });
    expect(wrapper.emitted('updated')?.[0]?.[0]).toMatchObject({ tags: ['vip', '退款'] });
    expect((input.element as HTMLInputElement).value).toBe('');
  });

  it('removes a tag with its × button, which is labelled for screen readers', async () => {
    changeTags.mockResolvedValue({ conversation: conversation([]) });
    const wrapper = mount(TagEditor, { props: { conversation: conversation(['vip']) }, global: { plugins: [i18n] } });
    const remove = wrapper.get('button.remove');
    expect(remove.attributes('aria-label')).toBe('Remove tag vip');
    await remove.trigger('click');
    await flushPromises();
    expect(changeTags).toHaveBeenCalledWith('c1', { remove: ['vip'] });
  });
});
