// Widget visitors hold a signed token naming their customer record: it grants their own
// conversations and nothing else. Stateless, so the widget works across API processes.
import { jwtVerify, SignJWT } from 'jose';

const issuer = 'seamless';
const audience = 'visitor';
const lifetime = '180d';

export async function signVisitorToken(secret: string, customerId: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(customerId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(lifetime)
    .sign(new TextEncoder().encode(secret));
}

/** The customer id the token was issued to, or null for any invalid or expired token. */
export async function verifyVisitorToken(secret: string, token: string): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { issuer, audience, algorithms: ['HS256'] });
    return payload.sub ?? null;
  } catch {
    return null;
  }
}
