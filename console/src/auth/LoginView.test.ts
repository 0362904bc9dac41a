// @vitest-environment happy-dom
// The sign-in screen's second step: after the password, a code from the app (or a recovery code)
// with the challenge the password step answered; a refusal in the reader's language; in on success.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { i18n, setLocale } from '../i18n/i18n';
import { ApiError } from '../shared/http';
import LoginView from './LoginView.vue';

let passwordStep: () => Promise<{ challenge: string } | null>;
let codeStep: () => Promise<void>;
const sentCodes: { challenge: string; factor: unknown }[] = [];
vi.mock('./session', () => ({
  login: () => passwordStep(),
  loginSecondStep: (challenge: string, factor: unknown) => {
    sentCodes.push({ challenge, factor });
    return codeStep();
  },
  saveLocale: () => {},
  session: { user: null, token: null, twoFactorSetupRequired: false },
}));

async function signInScreen() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginView },
      { path: '/inbox/mine', component: { template: '<p>inbox</p>' } },
    ],
  });
  await router.push('/login');
  const wrapper = mount(LoginView, { global: { plugins: [i18n, router] } });
  await wrapper.get('[data-testid="login-email"]').setValue('tess@seamless.local');
  await wrapper.get('[data-testid="login-password"]').setValue('a long passphrase');
  await wrapper.get('[data-testid="login-form"]').trigger('submit');
  await flushPromises();
  return { wrapper, router };
}

describe('LoginView with two-factor sign-in', () => {
  beforeEach(() => {
    sentCodes.length = 0;
    passwordStep = async () => ({ challenge: 'challenge-1' });
    codeStep = async () => {};
  });
  afterEach(() => setLocale('en'));

  it('asks for the code after the password and signs in with it', async () => {
    const { wrapper, router } = await signInScreen();
    expect(wrapper.find('[data-testid="login-form"]').exists()).toBe(false);
    await wrapper.get('[data-testid="login-code"]').setValue(' 123 456 ');
    await wrapper.get('[data-testid="login-code-form"]').trigger('submit');
    await flushPromises();
    expect(sentCodes).toEqual([{ challenge: 'challenge-1', factor: { code: '123 456' } }]);
    expect(router.currentRoute.value.path).toBe('/inbox/mine');
  });

  it('says a wrong code in the reader’s language and stays; a recovery code is sent as one', async () => {
    setLocale('zh-CN');
    codeStep = async () => {
      throw new ApiError(401, 'invalid_code', 'The code is wrong.');
    };
    const { wrapper, router } = await signInScreen();
    await wrapper.get('[data-testid="login-code"]').setValue('000000');
    await wrapper.get('[data-testid="login-code-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="login-code-error"]').text()).toBe('验证码错误。');
    expect(router.currentRoute.value.path).toBe('/login');

    codeStep = async () => {};
    await wrapper.get('[data-testid="login-use-recovery"]').trigger('click');
    await wrapper.get('[data-testid="login-code"]').setValue('abcde-fghij');
    await wrapper.get('[data-testid="login-code-form"]').trigger('submit');
    await flushPromises();
    expect(sentCodes.at(-1)).toEqual({ challenge: 'challenge-1', factor: { recoveryCode: 'abcde-fghij' } });
    expect(router.currentRoute.value.path).toBe('/inbox/mine');
  });

  it('signs straight in when two-factor sign-in is off', async () => {
    passwordStep = async () => null;
    const { wrapper, router } = await signInScreen();
    expect(wrapper.find('[data-testid="login-code-form"]').exists()).toBe(false);
    expect(router.currentRoute.value.path).toBe('/inbox/mine');
  });
});
