// The theme choice: the user's own, else the device's, else System; System follows the device's
// light or dark setting; anything else stored is ignored.
import { describe, expect, it } from 'vitest';
import { chooseTheme, isThemeChoice, resolveTheme, userThemeKey } from './theme';

describe('theme choice', () => {
  it("prefers the user's choice, then the device's, then System", () => {
    expect(chooseTheme({ user: 'dark', device: 'light' })).toBe('dark');
    expect(chooseTheme({ user: null, device: 'light' })).toBe('light');
    expect(chooseTheme({})).toBe('system');
  });

  it('ignores a stored value that is not a choice', () => {
    expect(isThemeChoice('sepia')).toBe(false);
    expect(chooseTheme({ user: 'sepia', device: 42 })).toBe('system');
    expect(chooseTheme({ user: 'Dark', device: 'dark' })).toBe('dark');
  });

  it("resolves System from the device's setting and keeps an explicit choice whatever it says", () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('keeps each user’s choice under their own key', () => {
    expect(userThemeKey('u1')).not.toBe(userThemeKey('u2'));
  });
});
