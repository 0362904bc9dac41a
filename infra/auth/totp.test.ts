import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { checkTotp, hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpStepAt, totpUri } from './totp.js';

// A fixed clock: 2026-06-01T09:00:10Z is 10 s into its 30-second step.
const now = new Date('2026-06-01T09:00:10Z');
const secret = newTotpSecret();
const codeAt = (at: Date) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
const shift = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe('checkTotp', () => {
  it('accepts the code of the current step, and of the step before and after (clock drift)', async () => {
    const step = totpStepAt(now);
    expect(await checkTotp({ secret, code: await codeAt(now), now, lastStep: null })).toEqual({ ok: true, step });
    expect(await checkTotp({ secret, code: await codeAt(shift(-30)), now, lastStep: null })).toEqual({ ok: true, step: step - 1 });
    expect(await checkTotp({ secret, code: await codeAt(shift(30)), now, lastStep: null })).toEqual({ ok: true, step: step + 1 });
  });

  it('refuses a code two steps away, a wrong code and what is not six digits', async () => {
    expect(await checkTotp({ secret, code: await codeAt(shift(-60)), now, lastStep: null })).toEqual({ ok: false, reason: 'wrong' });
    expect(await checkTotp({ secret, code: await codeAt(shift(60)), now, lastStep: null })).toEqual({ ok: false, reason: 'wrong' });
    const right = await codeAt(now);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    expect(await checkTotp({ secret, code: wrong, now, lastStep: null })).toEqual({ ok: false, reason: 'wrong' });
    expect(await checkTotp({ secret, code: '12345', now, lastStep: null })).toEqual({ ok: false, reason: 'wrong' });
    expect(await checkTotp({ secret, code: 'abcdef', now, lastStep: null })).toEqual({ ok: false, reason: 'wrong' });
  });

  it('ignores spaces typed inside the code', async () => {
    const code = await codeAt(now);
    expect(await checkTotp({ secret, code: `${code.slice(0, 3)} ${code.slice(3)}`, now, lastStep: null })).toMatchObject({ ok: true });
  });

  it('refuses a right code again once its step (or a later one) was used: no replay', async () => {
    const step = totpStepAt(now);
    const code = await codeAt(now);
    expect(await checkTotp({ secret, code, now, lastStep: step })).toEqual({ ok: false, reason: 'replayed' });
    // The previous step's code after the current one was used: replayed too, though in the window.
    expect(await checkTotp({ secret, code: await codeAt(shift(-30)), now, lastStep: step })).toEqual({ ok: false, reason: 'replayed' });
    // The next step's code still signs in.
    expect(await checkTotp({ secret, code: await codeAt(shift(30)), now, lastStep: step })).toEqual({ ok: true, step: step + 1 });
  });

  it('does not accept another secret’s code', async () => {
    const other = newTotpSecret();
    const code = await generate({ secret: other, epoch: Math.floor(now.getTime() / 1000) });
    const result = await checkTotp({ secret, code, now, lastStep: null });
    // One chance in a million that the two secrets share this step's code.
    if (code !== (await codeAt(now))) expect(result).toEqual({ ok: false, reason: 'wrong' });
  });
});

describe('totpUri', () => {
  it('is an otpauth URI naming the issuer and the account, with the secret', () => {
    const uri = new URL(totpUri({ secret, issuer: 'Seamless', account: 'lina@seamless.local' }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Seamless');
    expect(decodeURIComponent(uri.pathname)).toContain('lina@seamless.local');
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes of two groups of five', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  });

  it('hash the same whatever the case, dashes or spaces typed', () => {
    const [code] = newRecoveryCodes(1);
    expect(hashRecoveryCode(code!.toUpperCase().replace('-', ' '))).toBe(hashRecoveryCode(code!));
    expect(hashRecoveryCode(code!)).not.toBe(hashRecoveryCode(newRecoveryCodes(1)[0]!));
  });
});
