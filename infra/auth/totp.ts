// TOTP two-factor codes (RFC 6238: SHA-1, 6 digits, 30-second steps — what every authenticator
// app reads from an otpauth:// QR code) through otplib, and the recovery codes that stand in for
// the authenticator when it is lost. Pure apart from the clock, which callers pass, so the window
// and the replay rule are tested at fixed instants (totp.test.ts).
import { createHash, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

export const totpPeriodSeconds = 30;
/** Codes of the step before and after the current one are accepted too (clocks drift). */
export const totpWindowSteps = 1;
export const recoveryCodeCount = 10;

/** A new base32 secret of 20 random bytes (160 bits, the size RFC 4226 recommends). */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

/** The otpauth:// URI an authenticator app reads from the QR code. */
export const totpUri = (input: { secret: string; issuer: string; account: string }): string =>
  generateURI({ issuer: input.issuer, label: input.account, secret: input.secret, period: totpPeriodSeconds });

/** The RFC 6238 time step an instant falls in. */
export const totpStepAt = (now: Date): number => Math.floor(now.getTime() / 1000 / totpPeriodSeconds);

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'replayed' };

/**
 * Whether `code` is the secret's code for the step `now` falls in, or the step before or after.
 * `lastStep` is the step of the last code accepted for this secret: a code of that step or an
 * earlier one is refused as `replayed` even when right, so an overheard code cannot be used again
 * (and the step after it is the earliest that signs in next). Digits only; spaces are ignored.
 */
export async function checkTotp(input: { secret: string; code: string; now: Date; lastStep: number | null }): Promise<TotpCheck> {
  const token = input.code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: 'wrong' };
  const result = await verify({
    secret: input.secret,
    token,
    period: totpPeriodSeconds,
    epoch: Math.floor(input.now.getTime() / 1000),
    epochTolerance: totpWindowSteps * totpPeriodSeconds,
  });
  if (!result.valid) return { ok: false, reason: 'wrong' };
  const step = totpStepAt(input.now) + result.delta;
  if (input.lastStep !== null && step <= input.lastStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}

// Recovery codes: 10 characters from an alphabet without look-alikes (no 0/o, 1/l/i), shown as
// two groups of five. 31^10 ≈ 8·10^14 possibilities each: guessing one is no easier than the
// password, and attempts are throttled like codes.
const recoveryAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789';

/** `recoveryCodeCount` new codes, as the person is shown them once (`xxxxx-xxxxx`). */
export function newRecoveryCodes(count = recoveryCodeCount): string[] {
  return Array.from({ length: count }, () => {
    const characters = Array.from({ length: 10 }, () => recoveryAlphabet[randomInt(recoveryAlphabet.length)]!).join('');
    return `${characters.slice(0, 5)}-${characters.slice(5)}`;
  });
}

/** A recovery code as typed (any case, with or without the dash or spaces), in the form its hash is taken of. */
export const normaliseRecoveryCode = (code: string): string => code.toLowerCase().replace(/[\s-]+/g, '');

/** What is stored of a recovery code: the SHA-256 of its normal form (the codes are random, so no salt is needed). */
export const hashRecoveryCode = (code: string): string => createHash('sha256').update(normaliseRecoveryCode(code)).digest('hex');
