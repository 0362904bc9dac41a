import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signVisitorToken, verifyVisitorToken } from './visitor-tokens.js';

const secret = 'a-secret-long-enough-for-hs256-signing-0001';
const customerId = '9b2f4c1e-2d3a-4b5c-8d6e-7f8091a2b3c4';

/** A token as the server signs it, but expiring `seconds` from now. */
const shortLived = (seconds: number) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(customerId)
    .setIssuer('seamless')
    .setAudience('visitor')
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .sign(new TextEncoder().encode(secret));

afterEach(() => vi.useRealTimers());

describe('verifyVisitorToken', () => {
  it('names the customer of a token it signed, again and again', async () => {
    const token = await signVisitorToken(secret, customerId);
    expect(await verifyVisitorToken(secret, token)).toBe(customerId);
    expect(await verifyVisitorToken(secret, token)).toBe(customerId);
  });

  it('refuses a remembered token under another secret, and a tampered one', async () => {
    const token = await signVisitorToken(secret, customerId);
    expect(await verifyVisitorToken(secret, token)).toBe(customerId);
    expect(await verifyVisitorToken(`${secret}-rotated`, token)).toBeNull();
    expect(await verifyVisitorToken(secret, `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`)).toBeNull();
  });

  it('stops honouring a remembered token once it expires', async () => {
    const token = await shortLived(60);
    expect(await verifyVisitorToken(secret, token)).toBe(customerId);
    vi.useFakeTimers({ now: Date.now() + 61_000 });
    expect(await verifyVisitorToken(secret, token)).toBeNull();
    expect(await verifyVisitorToken(secret, token)).toBeNull();
  });
});
