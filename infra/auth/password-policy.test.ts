import { describe, expect, it } from 'vitest';
import { passwordMinLength, passwordProblem } from './password-policy.js';

describe('passwordProblem', () => {
  it('refuses a password shorter than the minimum, counting characters, not bytes', () => {
    expect(passwordProblem('x7#Qv!2')).toBe('password_too_short');
    expect(passwordProblem('密'.repeat(passwordMinLength - 1))).toBe('password_too_short');
  });

  it('refuses common passwords and their usual decorations', () => {
    for (const password of ['password123', 'Password123!', 'qwertyuiop', '1234567890', 'iloveyou12', 'P@ssw0rd2024']) {
      expect(passwordProblem(password), password).toBe('password_too_common');
    }
  });

  it("refuses a password made of the person's own email or name", () => {
    expect(passwordProblem('lindqvist2024', ['mia.lindqvist@example.com', 'Mia Lindqvist'])).toBe('password_too_common');
    expect(passwordProblem('lindqvist2024')).toBeNull();
  });

  it('accepts a long passphrase and a random password, Chinese included', () => {
    expect(passwordProblem('copper kettle under the hill')).toBeNull();
    expect(passwordProblem('vT9#qL2x!mZr')).toBeNull();
    expect(passwordProblem('我家门前有两棵枣树呀')).toBeNull();
  });

  it('refuses a password over the maximum length', () => {
    expect(passwordProblem('a'.repeat(2000))).toBe('password_too_long');
  });
});
