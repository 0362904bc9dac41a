// @vitest-environment happy-dom
// The action bar's "Assign to me" (issue 21): offered on a conversation that is not the agent's,
// it transfers the conversation to them and hands the updated conversation up; not offered on
// their own conversation nor on a resolved one. The transfer menu names teams by their names.
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConversationStatus } from '../../../domain/vocabulary';
import { i18n } from '../i18n/i18n';
import { ApiError } from '../shared/http';
import type { ConversationView } from '../shared/wire-types';
import ConversationActions from './ConversationActions.vue';
import { teams, users } from './users';

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

// The reminder panel in the bar lists the agent's reminders: none here.
vi.mock('./reminders', async (original) => ({
  ...(await original<typeof import('./reminders')>()),
  remindersApi: { list: async () => ({ reminders: [] }), set: vi.fn(), cancel: vi.fn() },
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

describe('ConversationActions: the transfer menu (issue 21)', () => {
  const person = (id: string, name: string, teamId: string) => ({
    id,
    email: `${id}@seamless.local`,
    name,
    role: 'agent' as const,
    tier: 'junior' as const,
    skills: [],
    teamId,
    capacity: 5,
    presence: 'online' as const,
    locale: 'en',
    timeZone: 'UTC',
    active: true,
  });
  const team = (id: string, name: string, memberCount: number) => ({
    id,
    name,
    tier: 'junior' as const,
    leadId: null,
    lead: null,
    businessHoursId: null,
    businessHours: null,
    timeZone: null,
    memberCount,
    createdAt: '2026-01-01T00:00:00.000Z',
  });

  beforeEach(() => {
    transfer.mockReset();
    refusal = null;
    users.value = [person('alex', 'Alex Agent', 't-front'), person('lina', '李娜', 't-front'), person('priya', 'Priya Expert', 't-spec')];
    teams.value = [team('t-spec', 'Specialists', 1), team('t-front', 'Frontline', 2), team('t-empty', 'Night shift', 0)];
  });

  it('names each team by its name, not its members, and transfers to the team chosen', async () => {
    transfer.mockResolvedValue({ conversation: conversation('queued', null) });
    const wrapper = mountBar(conversation('open', 'alex'));
    await wrapper.get('[data-testid="transfer-button"]').trigger('click');
    const groups = wrapper.findAll('[data-testid="transfer-select"] optgroup');
    const teamOptions = groups[1]!.findAll('option').map((option) => option.text());
    // A team nobody is in takes no conversation: not offered.
    expect(teamOptions).toEqual(['Frontline', 'Specialists']);
    expect(teamOptions.join(' ')).not.toMatch(/Alex|李娜|Priya/);
    // The agent who has it is not offered it again; the others are, by name.
    expect(groups[0]!.findAll('option').map((option) => option.text())).toEqual(['Priya Expert', '李娜']);
    await wrapper.get('[data-testid="transfer-select"]').setValue('team:t-spec');
    expect(wrapper.get('[data-testid="transfer-apply"]').attributes('disabled')).toBeUndefined();
    await wrapper.get('[data-testid="transfer-panel"]').trigger('submit');
    await flushPromises();
    expect(transfer).toHaveBeenCalledWith('c1', { toTeamId: 't-spec' });
  });
});
