// @vitest-environment happy-dom
// The theme select: a choice sets the page's theme at once and is remembered for the device and
// the signed-in user, and kept with their account; a user signing in gets their own earlier
// choice back, and the account's choice (made on another browser) over it.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n, setLocale } from '../i18n/i18n';
import { applyUserTheme, setThemeChoice } from '../theme/apply-theme';
import ThemeSelect from './ThemeSelect.vue';

/** The account's theme as the server keeps it (GET / PUT /api/me/theme), and the requests made. */
let accountTheme: string | null = null;
const requests: string[] = [];

describe('ThemeSelect', () => {
  beforeEach(() => {
    accountTheme = null;
    requests.length = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string, init: { method: string; body?: string }) => {
        requests.push(`${init.method} ${path}${init.body ? ` ${init.body}` : ''}`);
        if (init.method === 'PUT') accountTheme = (JSON.parse(init.body!) as { theme: string }).theme;
        return new Response(JSON.stringify({ theme: accountTheme }), { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
  });
  afterEach(() => {
    applyUserTheme(null);
    setThemeChoice('system');
    localStorage.clear();
    setLocale('en');
    vi.unstubAllGlobals();
  });

  it('switches the page to the chosen theme and remembers it for the user', async () => {
    applyUserTheme('u1');
    const wrapper = mount(ThemeSelect, { global: { plugins: [i18n] } });
    expect(wrapper.findAll('option').map((o) => o.text())).toEqual(['System', 'Light', 'Dark']);
    await wrapper.get('[data-testid="theme-select"]').setValue('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('seamless.theme.u1')).toBe('dark');
    await wrapper.get('[data-testid="theme-select"]').setValue('light');
    expect(document.documentElement.dataset.theme).toBe('light');
    setLocale('zh-CN');
    await wrapper.vm.$nextTick();
    expect(wrapper.findAll('option').map((o) => o.text())).toEqual(['跟随系统', '浅色', '深色']);
  });

  it('keeps a choice with the account, and takes the account’s choice made on another browser at sign-in', async () => {
    applyUserTheme('u3');
    await flushPromises();
    // An account without a choice takes this device's.
    expect(requests).toEqual(['GET /api/me/theme', 'PUT /api/me/theme {"theme":"system"}']);
    const wrapper = mount(ThemeSelect, { global: { plugins: [i18n] } });
    await wrapper.get('[data-testid="theme-select"]').setValue('dark');
    await flushPromises();
    expect(accountTheme).toBe('dark');

    // Another browser: nothing chosen on this device, the account says dark.
    applyUserTheme(null);
    localStorage.clear();
    setThemeChoice('light');
    expect(document.documentElement.dataset.theme).toBe('light');
    applyUserTheme('u3');
    await flushPromises();
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('seamless.theme.u3')).toBe('dark');
  });

  it('gives a user their own earlier choice when they sign in', async () => {
    localStorage.setItem('seamless.theme.u2', 'dark');
    setThemeChoice('light');
    applyUserTheme('u2');
    expect(document.documentElement.dataset.theme).toBe('dark');
    const wrapper = mount(ThemeSelect, { global: { plugins: [i18n] } });
    expect((wrapper.get('[data-testid="theme-select"]').element as HTMLSelectElement).value).toBe('dark');
  });
});
