// @vitest-environment happy-dom
// The theme select: a choice sets the page's theme at once and is remembered for the device and
// the signed-in user; a user signing in gets their own earlier choice back.
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n, setLocale } from '../i18n/i18n';
import { applyUserTheme, setThemeChoice } from '../theme/apply-theme';
import ThemeSelect from './ThemeSelect.vue';

describe('ThemeSelect', () => {
  afterEach(() => {
    applyUserTheme(null);
    setThemeChoice('system');
    localStorage.clear();
    setLocale('en');
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

  it('gives a user their own earlier choice when they sign in', async () => {
    localStorage.setItem('seamless.theme.u2', 'dark');
    setThemeChoice('light');
    applyUserTheme('u2');
    expect(document.documentElement.dataset.theme).toBe('dark');
    const wrapper = mount(ThemeSelect, { global: { plugins: [i18n] } });
    expect((wrapper.get('[data-testid="theme-select"]').element as HTMLSelectElement).value).toBe('dark');
  });
});
