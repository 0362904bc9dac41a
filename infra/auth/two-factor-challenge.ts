// The sign-in challenge between the two steps of a two-factor sign-in: after the right password
// the API answers with this short-lived signed token instead of a session, and the second step
// (POST /api/auth/login/two-factor) trades it and a code for one. Stateless, so either step may
// reach any API process. It grants nothing by itself; it names the user and a fingerprint of
// their password hash, so a password changed in between voids challenges issued before.
import { createHash, createSecretKey } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

const issuer = 'seamless';
const audience = 'two-factor-challenge';
/** Long enough to open an authenticator app and type a code, short enough not to be worth stealing. */
export const challengeLifetimeSeconds = 5 * 60;

const fingerprintOf = (passwordHash: string) => createHash('sha256').update(passwordHash).digest('base64url').slice(0, 22);
const keyOf = (secret: string) => createSecretKey(createHash('sha256').update(`${secret}\u0000two-factor-challenge`).digest());

export async function signTwoFactorChallenge(
  secret: string,
  user: { id: string; passwordHash: string },
  now: Date,
): Promise<{ challenge: string; expiresAt: Date }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = new Date((issuedAt + challengeLifetimeSeconds) * 1000);
  const challenge = await new SignJWT({ pw: fingerprintOf(user.passwordHash) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.id)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + challengeLifetimeSeconds)
    .sign(keyOf(secret));
  return { challenge, expiresAt };
}

/** The user id a challenge was issued to, or null when it is invalid or expired at `now`. */
export async function readTwoFactorChallenge(secret: string, challenge: string, now: Date): Promise<{ userId: string; passwordFingerprint: string } | null> {
  try {
    const { payload } = await jwtVerify(challenge, keyOf(secret), {
      issuer,
      audience,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
      currentDate: now,
    });
    return typeof payload.sub === 'string' && typeof payload.pw === 'string' ? { userId: payload.sub, passwordFingerprint: payload.pw } : null;
  } catch {
    return null;
  }
}

/** Whether the password hash is still the one the challenge was issued under. */
export const challengeMatchesPassword = (challenge: { passwordFingerprint: string }, passwordHash: string): boolean =>
  challenge.passwordFingerprint === fingerprintOf(passwordHash);
