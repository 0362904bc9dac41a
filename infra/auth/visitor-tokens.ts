// Widget visitors hold a signed token naming their customer record: it grants their own
// conversations and nothing else. Stateless, so the widget works across API processes.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

const issuer = 'seamless';
const audience = 'visitor';
const lifetime = '180d';

// Every widget request verifies a token: the key is made once per secret, not per request
// (importing it each time was most of the verification's cost on the message hot path).
const keys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

export async function signVisitorToken(secret: string, customerId: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(customerId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(lifetime)
    .sign(keyFor(secret));
}

/** Tokens verified lately, per secret: the subject and when the token expires (ms). */
const verified = new Map<string, Map<string, { customerId: string; expiresAtMs: number }>>();
/** Tokens remembered per secret at most (a few MB); the longest remembered goes first. */
const rememberedTokens = 10_000;

/**
 * The customer id the token was issued to, or null for any invalid or expired token — and for a
 * token without an expiry (`exp`) or subject: every token this server signs has both, so one
 * without is not ours to honour forever.
 *
 * A token verified once is remembered until it expires: the same string always verifies the same
 * way, and checking its HMAC (jose through WebCrypto) was the largest single cost of a widget
 * message in the API (about a fifth of its CPU, bench/README.md). Only tokens that verified are
 * remembered, so made-up ones cannot fill the memory.
 */
export async function verifyVisitorToken(secret: string, token: string): Promise<string | null> {
  let remembered = verified.get(secret);
  if (!remembered) verified.set(secret, (remembered = new Map()));
  const known = remembered.get(token);
  if (known) {
    if (known.expiresAtMs > Date.now()) return known.customerId;
    remembered.delete(token);
    return null;
  }
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), { issuer, audience, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
    if (!payload.sub || payload.exp === undefined) return null;
    // A Map iterates in insertion order: the first key is the longest remembered.
    if (remembered.size >= rememberedTokens) remembered.delete(remembered.keys().next().value!);
    remembered.set(token, { customerId: payload.sub, expiresAtMs: payload.exp * 1000 });
    return payload.sub;
  } catch {
    return null;
  }
}
