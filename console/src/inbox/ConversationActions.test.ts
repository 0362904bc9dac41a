// @vitest-environment happy-dom
// The action bar's "Assign to me" (issue 21): offered on a conversation that is not the agent's,
// it transfers the conversation to them and hands the updated conversation up; not offered on
// their own conversation nor on a resolved one.
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConversationStatus } from '../../../domain/vocabulary';
import { i18n } from '../i18n/i18n';
import { ApiError } from '../shared/http';
import type { ConversationView } from '../shared/wire-types';
import ConversationActions from './ConversationActions.vue';

const transfer = vi.fn();
/** A refusal, thrown by the fake API itself (a mock's rejected result is reported as the test's error). */
let refusal: ApiError | null = null;
vi.mock('./inbox-api', () => ({
  inboxApi: {
    transfer: async (...args: unknown[]) => {
      if (refusal) throw refusal;
      return transfer(...args);
    },
  },
}));

const conversation = (status: ConversationStatus, assigneeId: string | null): ConversationView => ({
  id: 'c1',
  number: 7,
  status,
  waitingOn: 'agent',
  priority: 'normal',
  tier: 'junior',
  assigneeId,
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
  tags: [],
});

const mountBar = (view: ConversationView) =>
  mount(ConversationActions, { props: { conversation: view, meId: 'me' }, global: { plugins: [i18n], stubs: { CreateTicketPanel: true } } });

describe('ConversationActions: assign to me', () => {
  beforeEach(() => {
    transfer.mockReset();
    refusal = null;
  });

  it('takes a queued conversation: a transfer to the signed-in agent, and the updated conversation goes up', async () => {
    transfer.mockResolvedValue({ conversation: conversation('open', 'me') });
    const wrapper = mountBar(conversation('queued', null));
    const button = wrapper.get('[data-testid="assign-to-me-button"]');
    expect(button.text()).toBe('Assign to me');
    await button.trigger('click');
    await flushPromises();
    expect(transfer).toHaveBeenCalledWith('c1', { toAgentId: 'me' });
    expect(wrapper.emitted('updated')?.[0]?.[0]).toMatchObject({ status: 'open', assigneeId: 'me' });
  });

  it("offers it on a teammate's conversation, not on the agent's own nor on a resolved one", () => {
    expect(mountBar(conversation('open', 'someone-else')).find('[data-testid="assign-to-me-button"]').exists()).toBe(true);
    expect(mountBar(conversation('open', 'me')).find('[data-testid="assign-to-me-button"]').exists()).toBe(false);
    expect(mountBar(conversation('resolved', null)).find('[data-testid="assign-to-me-button"]').exists()).toBe(false);
  });

  it("shows the server's refusal", async () => {
    refusal = new ApiError(409, 'conflict', 'Cannot transfer a conversation that is resolved.');
    const wrapper = mountBar(conversation('queued', null));
    await wrapper.get('[data-testid="assign-to-me-button"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="action-error"]').text()).toContain('Cannot transfer');
    expect(wrapper.emitted('updated')).toBeUndefined();
  });
});
