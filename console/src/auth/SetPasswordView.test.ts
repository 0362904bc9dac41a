// @vitest-environment happy-dom
// The page every one-time link lands on: it greets the invited person by name, refuses a
// mismatched repeat before asking the server, says the policy's refusal in the reader's language,
// asks the first admin's email and name on the setup link, signs in on success, and says why a
// link cannot be used (expired, used) instead of showing the form.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { i18n, setLocale } from '../i18n/i18n';
import { ApiError } from '../shared/http';
import SetPasswordView from './SetPasswordView.vue';

const token = `inv_${'a'.repeat(43)}`;
let inspect: () => Promise<unknown>;
let use: () => Promise<unknown>;
const used: unknown[] = [];
const signedIn: unknown[] = [];
vi.mock('./password-link-api', async (original) => ({
  ...(await original<typeof import('./password-link-api')>()),
  passwordLinkApi: {
    inspect: () => inspect(),
    use: (body: unknown) => {
      used.push(body);
      return use();
    },
  },
}));
vi.mock('./session', () => ({ signedInByLink: (result: unknown) => void signedIn.push(result), saveLocale: () => {}, session: { user: null, token: null } }));

async function open(linkToken = token) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/set-password', component: SetPasswordView },
      { path: '/login', component: { template: '<p>login</p>' } },
      { path: '/inbox/mine', component: { template: '<p>inbox</p>' } },
    ],
  });
  await router.push({ path: '/set-password', query: { token: linkToken } });
  const wrapper = mount(SetPasswordView, { global: { plugins: [i18n, router] } });
  await flushPromises();
  return { wrapper, router };
}

async function submit(wrapper: Awaited<ReturnType<typeof open>>['wrapper'], password: string, repeat = password) {
  await wrapper.get('[data-testid="set-password-password"]').setValue(password);
  await wrapper.get('[data-testid="set-password-repeat"]').setValue(repeat);
  await wrapper.get('[data-testid="set-password-form"]').trigger('submit');
  await flushPromises();
}

describe('SetPasswordView', () => {
  beforeEach(() => {
    used.length = 0;
    signedIn.length = 0;
    inspect = async () => ({ link: { purpose: 'invite', email: 'mei@example.com', name: 'Mei Lin', expiresAt: '2026-12-14T00:00:00.000Z' } });
    use = async () => ({ token: 'sst_x', expiresAt: '2026-12-07T03:00:00.000Z', user: { id: 'u1', name: 'Mei Lin' } });
  });
  afterEach(() => setLocale('en'));

  it('greets the invited person, refuses a repeat that differs without asking the server, and signs in', async () => {
    const { wrapper, router } = await open();
    expect(wrapper.get('[data-testid="set-password-title"]').text()).toBe('Welcome, Mei Lin');
    await submit(wrapper, 'violet-harbour-tangerine-42', 'violet-harbour-tangerine-43');
    expect(wrapper.get('[data-testid="set-password-error"]').text()).toBe('The two passwords differ.');
    expect(used).toEqual([]);
    await submit(wrapper, 'violet-harbour-tangerine-42');
    expect(used).toEqual([{ token, password: 'violet-harbour-tangerine-42' }]);
    expect(signedIn).toHaveLength(1);
    expect(router.currentRoute.value.path).toBe('/inbox/mine');
  });

  it('says the policy’s refusal in Chinese and stays', async () => {
    setLocale('zh-CN');
    use = async () => {
      throw new ApiError(400, 'password_too_common', 'This password is too easy to guess.');
    };
    const { wrapper, router } = await open();
    await submit(wrapper, 'password1234');
    expect(wrapper.get('[data-testid="set-password-error"]').text()).toBe('新密码太容易被猜到：请使用更长的短语或更不常见的词语。');
    expect(signedIn).toEqual([]);
    expect(router.currentRoute.value.path).toBe('/set-password');
  });

  it('asks the first admin’s email and name on the setup link and sends them', async () => {
    inspect = async () => ({ link: { purpose: 'setup', email: null, name: null, expiresAt: '2026-12-08T00:00:00.000Z' } });
    const setup = `stp_${'b'.repeat(43)}`;
    const { wrapper } = await open(setup);
    expect(wrapper.get('[data-testid="set-password-title"]').text()).toBe('Create the first admin');
    await wrapper.get('[data-testid="set-password-email"]').setValue(' owner@example.com ');
    await wrapper.get('[data-testid="set-password-name"]').setValue('Owner');
    await submit(wrapper, 'violet-harbour-tangerine-42');
    expect(used).toEqual([{ token: setup, password: 'violet-harbour-tangerine-42', email: 'owner@example.com', name: 'Owner' }]);
  });

  it('says why a link cannot be used instead of the form: expired, used, or not a link at all', async () => {
    inspect = async () => {
      throw new ApiError(410, 'link_expired', 'This link has expired.');
    };
    const expired = await open();
    expect(expired.wrapper.get('[data-testid="set-password-unusable"]').text()).toBe('This link has expired. Ask an admin for a new one.');
    expect(expired.wrapper.find('[data-testid="set-password-form"]').exists()).toBe(false);

    inspect = async () => ({ link: { purpose: 'reset', email: 'mei@example.com', name: 'Mei Lin', expiresAt: '2026-12-07T04:00:00.000Z' } });
    use = async () => {
      throw new ApiError(410, 'link_used', 'This link has been used already.');
    };
    const raced = await open(`rst_${'c'.repeat(43)}`);
    await submit(raced.wrapper, 'violet-harbour-tangerine-42');
    expect(raced.wrapper.get('[data-testid="set-password-unusable"]').text()).toContain('used already');

    const malformed = await open('not-a-token');
    expect(malformed.wrapper.get('[data-testid="set-password-unusable"]').text()).toBe('This link is not valid. Ask an admin for a new one.');
  });
});
