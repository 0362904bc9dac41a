// @vitest-environment happy-dom
// What an admin may do to a team member, as a component: the actions fit the member's status,
// each asks first in words that say what follows (en and zh-CN), only the confirmation calls the
// server, and a refusal is said in the server's words.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsoleI18n } from '../i18n/create-i18n';
import { ApiError } from '../shared/http';
import MemberActions from './MemberActions.vue';
import type { TeamMemberView } from './team-members-api';

const calls: string[] = [];
let answer: () => Promise<unknown> = async () => ({});
vi.mock('./team-members-api', () => ({
  teamMembersApi: Object.fromEntries(
    ['resetLink', 'signOutEverywhere', 'turnOffTwoFactor', 'deactivate', 'reactivate', 'remove'].map((name) => [
      name,
      (id: string) => {
        calls.push(`${name} ${id}`);
        return answer();
      },
    ]),
  ),
}));

const mei: TeamMemberView = {
  id: 'u-mei',
  email: 'mei@example.com',
  name: 'Mei Lin',
  role: 'agent',
  tier: 'junior',
  skills: [],
  teamId: null,
  capacity: 5,
  presence: 'online',
  status: 'active',
  twoFactorEnabled: false,
  deactivatedAt: null,
  createdAt: '2026-12-01T00:00:00.000Z',
};

const mountActions = (member: TeamMemberView, locale: 'en' | 'zh-CN' = 'en') =>
  mount(MemberActions, { props: { member }, global: { plugins: [createConsoleI18n(locale)] }, attachTo: document.body });

afterEach(() => {
  calls.length = 0;
  answer = async () => ({});
  document.body.innerHTML = '';
});

describe('MemberActions', () => {
  it('offers reset, sign out, deactivate and delete to an active member; reactivate and delete to a deactivated one', () => {
    const ids = (wrapper: ReturnType<typeof mountActions>) => wrapper.findAll('button').map((button) => button.attributes('data-testid'));
    expect(ids(mountActions(mei))).toEqual(['member-resetPassword', 'member-signOutEverywhere', 'member-deactivate', 'member-delete']);
    expect(ids(mountActions({ ...mei, status: 'deactivated' }))).toEqual(['member-reactivate', 'member-delete']);
  });

  it("offers to turn off a member's two-factor sign-in only when it is on, and asks first", async () => {
    const ids = (wrapper: ReturnType<typeof mountActions>) => wrapper.findAll('button').map((button) => button.attributes('data-testid'));
    expect(ids(mountActions(mei))).not.toContain('member-turnOffTwoFactor');
    const wrapper = mountActions({ ...mei, twoFactorEnabled: true }, 'zh-CN');
    await wrapper.get('[data-testid="member-turnOffTwoFactor"]').trigger('click');
    expect(wrapper.get('[data-testid="member-confirm-text"]').text()).toContain('恢复码');
    expect(calls).toEqual([]);
    await wrapper.get('[data-testid="member-confirm-turnOffTwoFactor"]').trigger('click');
    await flushPromises();
    expect(calls).toEqual(['turnOffTwoFactor u-mei']);
    expect(wrapper.emitted('done')?.[0]?.[0]).toMatchObject({ action: 'turnOffTwoFactor', member: { id: 'u-mei' } });
  });

  it('asks before deactivating, saying what follows, and only the confirmation calls the server', async () => {
    const deactivated = { ...mei, status: 'deactivated' as const };
    answer = async () => ({ member: deactivated });
    const wrapper = mountActions(mei);
    await wrapper.get('[data-testid="member-deactivate"]').trigger('click');
    expect(wrapper.get('[data-testid="member-confirm-text"]').text()).toContain('Deactivate Mei Lin? They are signed out at once');
    expect(calls).toEqual([]);
    expect(document.activeElement).toBe(wrapper.get('[data-testid="member-confirm-deactivate"]').element);
    await wrapper.get('[data-testid="member-cancel"]').trigger('click');
    expect(calls).toEqual([]);

    await wrapper.get('[data-testid="member-deactivate"]').trigger('click');
    await wrapper.get('[data-testid="member-confirm-deactivate"]').trigger('click');
    await flushPromises();
    expect(calls).toEqual(['deactivate u-mei']);
    expect(wrapper.emitted('done')).toEqual([[{ action: 'deactivate', member: deactivated }]]);
  });

  it('asks in Chinese too, and says a refusal in the server’s words', async () => {
    answer = async () => {
      throw new ApiError(409, 'last_admin', 'This is the last active admin: make someone else an admin first.');
    };
    const wrapper = mountActions(mei, 'zh-CN');
    await wrapper.get('[data-testid="member-delete"]').trigger('click');
    expect(wrapper.get('[data-testid="member-confirm-text"]').text()).toContain('删除 Mei Lin？此操作无法撤销');
    await wrapper.get('[data-testid="member-confirm-delete"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="member-error"]').text()).toBe('This is the last active admin: make someone else an admin first.');
    expect(wrapper.emitted('done')).toBeUndefined();
  });
});
