// TOTP two-factor sign-in for any user (infra/auth/totp.ts): enrol (a secret stored sealed, shown
// once as a QR code and as text), confirm with a first code to turn it on (ten recovery codes
// shown once, stored hashed), turn off (password and a code), new recovery codes (password).
// At sign-in a code or a recovery code is the second step (api/routes/auth-routes.ts). Every code
// check is throttled like a password (account-service.ts throttledCheck, under its own key) and
// a code is accepted once: the step it was for is recorded, and no code of that step or an
// earlier one is accepted again.
//
// Enforcement: with the organisation's "admins must use two-factor" on, an admin without it may
// do nothing but set it up (api/security/two-factor-gate.ts).
import QRCode from 'qrcode';
import { twoFactorSetupRequired } from '../../infra/auth/two-factor-required.js';
import { checkTotp, hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpUri } from '../../infra/auth/totp.js';
import type { Db, Tx } from '../../infra/db.js';
import { appendEvent } from '../../infra/event-log.js';
import { createSecretBox, type SecretBox } from '../../infra/secrets/secret-box.js';
import type { User } from '../../prisma/generated/client.js';
import { conflict, HttpError, notFound } from '../http-error.js';
import { memberRefOf, requireOwnPassword, throttledCheck, type CheckContext } from './account-service.js';
import { readSecuritySettings } from './settings-service.js';

/** Shown by authenticator apps above the account's email. */
const issuer = 'Seamless';

const boxes = new Map<string, SecretBox>();
/** One box per server secret, for this purpose only (its own key). */
function boxOf(serverSecret: string): SecretBox {
  let box = boxes.get(serverSecret);
  if (!box) boxes.set(serverSecret, (box = createSecretBox(serverSecret, 'two-factor-totp')));
  return box;
}

export interface TwoFactorContext extends CheckContext {
  secret: string;
}

/** The throttle key of a user's code attempts: apart from their password's, so each has its own limit. */
const codeKeyOf = (userId: string) => `two-factor:${userId}`;

/** What the account page shows. `required`: the organisation requires it of this person (an admin). */
export async function twoFactorStatus(db: Db, userId: string) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  const recoveryCodesLeft = await db.recoveryCode.count({ where: { userId, usedAt: null } });
  return {
    enabled: user.twoFactorEnabledAt !== null,
    enabledAt: user.twoFactorEnabledAt?.toISOString() ?? null,
    recoveryCodesLeft: user.twoFactorEnabledAt ? recoveryCodesLeft : 0,
    required: user.role === 'admin' && (await readSecuritySettings(db)).adminsRequireTwoFactor,
  };
}

/** Whether this admin must set up two-factor sign-in before anything else (infra/auth/two-factor-required.ts). */
export { twoFactorSetupRequired };

/** An audit event of a person's two-factor set-up, changed by them or (turned off) by an admin: who, and from where. */
const recordTwoFactorChange = (
  tx: Tx,
  type: 'user.two_factor_enabled' | 'user.two_factor_disabled' | 'user.recovery_codes_regenerated',
  user: User,
  actorId: string,
  ip: string,
) => appendEvent(tx, { type, actorKind: 'agent', actorId, internal: true, payload: { ...memberRefOf(user), ip } });

/**
 * Starts (or starts again) setting up two-factor sign-in: a new secret, stored sealed and not in
 * force until confirmed. 409 when it is on already (turn it off first).
 */
export async function beginTwoFactorEnrolment(context: Pick<TwoFactorContext, 'db' | 'secret'>, userId: string) {
  const user = await context.db.user.findUniqueOrThrow({ where: { id: userId } });
  if (user.twoFactorEnabledAt) throw conflict('two_factor_already_enabled', 'Two-factor sign-in is on already: turn it off first to set up another app.');
  const secret = newTotpSecret();
  await context.db.user.update({
    where: { id: user.id },
    data: { twoFactorSecret: boxOf(context.secret).seal(secret, user.id), twoFactorLastStep: null },
  });
  const uri = totpUri({ secret, issuer, account: user.email });
  return { secret, uri, qrCode: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1, width: 200 }) };
}

function openSecret(context: Pick<TwoFactorContext, 'secret'>, user: User): string {
  if (!user.twoFactorSecret) throw new Error('no two-factor secret stored');
  return boxOf(context.secret).open(user.twoFactorSecret, user.id);
}

export type SecondFactor = { code: string; recoveryCode?: undefined } | { recoveryCode: string; code?: undefined };
export type SecondFactorResult =
  { ok: true; via: 'code' } | { ok: true; via: 'recovery_code'; remaining: number } | { ok: false; reason: 'wrong' | 'replayed' };

/**
 * Checks a code from the user's app (accepted once: its step is recorded in the same statement
 * that checks no later step was) or one of their unused recovery codes (used up by the check),
 * throttled. The user's secret must be stored (enabled, or being confirmed).
 */
export async function checkSecondFactor(context: TwoFactorContext, user: User, factor: SecondFactor): Promise<SecondFactorResult> {
  let result: SecondFactorResult = { ok: false, reason: 'wrong' };
  await throttledCheck(context, user, codeKeyOf(user.id), async () => {
    if (factor.code !== undefined) {
      const check = await checkTotp({ secret: openSecret(context, user), code: factor.code, now: context.now, lastStep: user.twoFactorLastStep });
      if (!check.ok) {
        result = check;
        return false;
      }
      // Two requests with the same code at once: only one moves the step on.
      const { count } = await context.db.user.updateMany({
        where: { id: user.id, OR: [{ twoFactorLastStep: null }, { twoFactorLastStep: { lt: check.step } }] },
        data: { twoFactorLastStep: check.step },
      });
      result = count === 1 ? { ok: true, via: 'code' } : { ok: false, reason: 'replayed' };
      return count === 1;
    }
    const used = await context.db.$transaction(async (tx) => {
      const { count } = await tx.recoveryCode.updateMany({
        where: { userId: user.id, codeHash: hashRecoveryCode(factor.recoveryCode), usedAt: null },
        data: { usedAt: context.now },
      });
      if (count !== 1) return null;
      const remaining = await tx.recoveryCode.count({ where: { userId: user.id, usedAt: null } });
      await appendEvent(tx, {
        type: 'user.recovery_code_used',
        actorKind: 'agent',
        actorId: user.id,
        internal: true,
        payload: { ...memberRefOf(user), ip: context.ip, remaining },
      });
      return remaining;
    });
    result = used === null ? { ok: false, reason: 'wrong' } : { ok: true, via: 'recovery_code', remaining: used };
    return used !== null;
  });
  return result;
}

/** The refusal of a wrong or reused code, with the status the caller needs (401 at sign-in, 400 when signed in). */
export function codeRefusal(result: Extract<SecondFactorResult, { ok: false }>, status: 400 | 401): HttpError {
  return result.reason === 'replayed'
    ? new HttpError(status, 'code_already_used', 'This code was used already: wait for the next one in your app.')
    : new HttpError(status, 'invalid_code', 'The code is wrong.');
}

async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })) });
  return codes;
}

/**
 * Turns two-factor sign-in on with the password and the first code from the app; answers the
 * recovery codes, shown this once. 409 when there is no enrolment to confirm.
 */
export async function confirmTwoFactor(
  context: TwoFactorContext,
  userId: string,
  input: { password: string; code: string },
): Promise<{ recoveryCodes: string[] }> {
  const user = await context.db.user.findUniqueOrThrow({ where: { id: userId } });
  if (user.twoFactorEnabledAt) throw conflict('two_factor_already_enabled', 'Two-factor sign-in is on already.');
  if (!user.twoFactorSecret) throw conflict('two_factor_not_started', 'Start setting up two-factor sign-in first.');
  await requireOwnPassword(context, user, input.password);
  const code = input.code;
  const result = await checkSecondFactor(context, user, { code });
  if (!result.ok) throw codeRefusal(result, 400);
  const recoveryCodes = await context.db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id: user.id, twoFactorEnabledAt: null }, data: { twoFactorEnabledAt: context.now } });
    if (count !== 1) throw conflict('two_factor_already_enabled', 'Two-factor sign-in is on already.');
    const codes = await replaceRecoveryCodes(tx, user.id);
    await recordTwoFactorChange(tx, 'user.two_factor_enabled', user, user.id, context.ip);
    return codes;
  });
  return { recoveryCodes };
}

/**
 * Turns two-factor sign-in off: the password and a code (or a recovery code) are required. Refused
 * (409 `two_factor_enforced`) for an admin while the organisation requires it of admins.
 */
export async function disableTwoFactor(context: TwoFactorContext, userId: string, input: { password: string } & SecondFactor): Promise<void> {
  const user = await context.db.user.findUniqueOrThrow({ where: { id: userId } });
  if (!user.twoFactorEnabledAt) throw conflict('two_factor_not_enabled', 'Two-factor sign-in is off already.');
  if (user.role === 'admin' && (await readSecuritySettings(context.db)).adminsRequireTwoFactor) {
    throw conflict('two_factor_enforced', 'Admins must use two-factor sign-in here: it cannot be turned off.');
  }
  await requireOwnPassword(context, user, input.password);
  const result = await checkSecondFactor(context, user, input.code !== undefined ? { code: input.code } : { recoveryCode: input.recoveryCode });
  if (!result.ok) throw codeRefusal(result, 400);
  await context.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { twoFactorSecret: null, twoFactorEnabledAt: null, twoFactorLastStep: null } });
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await recordTwoFactorChange(tx, 'user.two_factor_disabled', user, user.id, context.ip);
  });
}

/** Ten new recovery codes replace the old ones (used or not); the password is asked again. */
export async function regenerateRecoveryCodes(context: TwoFactorContext, userId: string, password: string): Promise<{ recoveryCodes: string[] }> {
  const user = await context.db.user.findUniqueOrThrow({ where: { id: userId } });
  if (!user.twoFactorEnabledAt) throw conflict('two_factor_not_enabled', 'Turn two-factor sign-in on first.');
  await requireOwnPassword(context, user, password);
  const recoveryCodes = await context.db.$transaction(async (tx) => {
    const codes = await replaceRecoveryCodes(tx, user.id);
    await recordTwoFactorChange(tx, 'user.recovery_codes_regenerated', user, user.id, context.ip);
    return codes;
  });
  return { recoveryCodes };
}

/**
 * An admin turns another person's two-factor sign-in off (they lost their phone and their
 * recovery codes): they sign in with their password alone until they set it up again — at once,
 * when the organisation requires it of admins. Not for one's own (that asks for a code: disable).
 * Audited as `user.two_factor_disabled` with the admin as actor.
 */
export async function resetTwoFactorOf(context: Pick<CheckContext, 'db' | 'ip'>, input: { adminId: string; userId: string }): Promise<void> {
  if (input.adminId === input.userId) throw conflict('own_account', 'Turn your own two-factor sign-in off on your account page (it asks for a code).');
  await context.db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user) throw notFound('The user');
    if (!user.twoFactorEnabledAt && !user.twoFactorSecret) throw conflict('two_factor_not_enabled', 'Two-factor sign-in is off for this person.');
    await tx.user.update({ where: { id: user.id }, data: { twoFactorSecret: null, twoFactorEnabledAt: null, twoFactorLastStep: null } });
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await recordTwoFactorChange(tx, 'user.two_factor_disabled', user, input.adminId, context.ip);
  });
}
