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

/**
 * The customer id the token was issued to, or null for any invalid or expired token — and for a
 * token without an expiry (`exp`) or subject: every token this server signs has both, so one
 * without is not ours to honour forever.
 */
export async function verifyVisitorToken(secret: string, token: string): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), { issuer, audience, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
    return payload.sub ?? null;
  } catch {
    return null;
  }
}
