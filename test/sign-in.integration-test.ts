// Sign-in under attack (issue 14, items 10, 11, 17, 18, 19): the lockout counted per email and
// client address (strangers elsewhere cannot lock the owner out; many addresses together lock the
// email for addresses it has not signed in from), sign-in, sign-out, failures and lockouts in the
// audit log, tokens never cached, an API key not skipping a route's limits, and the widget's
// aggregate per-IP limits. Clients at other addresses are simulated with X-Forwarded-For behind
// a trusted proxy (TRUST_PROXY); time moves through an injected clock, never by sleeping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../prisma/demo-data.js';
import { startSystem, type TestSystem } from './support/system.js';

const minute = 60_000;
let clockOffsetMs = 0;
/** Set while a test compares two locks' waits: both are then taken at the same instant, however slow the machine. */
let frozenAt: number | null = null;
const now = () => new Date((frozenAt ?? Date.now()) + clockOffsetMs);

let system: TestSystem;
/** Same code, low limits, no worker: for the rate limits alone. */
let tight: TestSystem;

beforeAll(async () => {
  [system, tight] = await Promise.all([
    startSystem({
      security: { now, trustProxy: 'loopback', rateLimits: { login: { limit: 0, windowMs: minute } }, lockout: { maxFailures: 5, maxAccountFailures: 8 } },
    }),
    startSystem({
      inProcessWorker: false,
      security: {
        trustProxy: 'loopback',
        rateLimits: {
          widgetVisitors: { limit: 3, windowMs: minute },
          widgetConversations: { limit: 100, windowMs: minute },
          widgetMessages: { limit: 3, windowMs: minute },
          widgetMessagesPerIp: { limit: 4, windowMs: minute },
          widgetFeedback: { limit: 3, windowMs: minute },
          login: { limit: 3, windowMs: minute },
          apiKey: { limit: 100, windowMs: minute },
        },
      },
    }),
  ]);
});
afterAll(() => Promise.all([system?.stop(), tight?.stop()]));

async function send(target: TestSystem, method: string, url: string, options: { token?: string; body?: unknown; from?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.from) headers['x-forwarded-for'] = options.from;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${target.url}${url}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const body: any = response.headers.get('content-type')?.includes('application/json') && text ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, body };
}

const login = (target: TestSystem, email: string, password: string, from: string, token?: string) =>
  send(target, 'POST', '/api/auth/login', { body: { email, password }, from, token });

interface AuditView {
  type: string;
  actorKind: string;
  actorId: string | null;
  payload: Record<string, unknown>;
}
/** The auth.* audit events about one email, oldest first, as an admin reads them. */
async function authAudit(email: string): Promise<AuditView[]> {
  const admin = await system.login('admin@seamless.local');
  const page = await send(system, 'GET', '/api/audit-events?type=auth.*&limit=200', { token: admin });
  expect(page.status).toBe(200);
  return (page.body.events as AuditView[]).filter((event) => event.payload.email === email).reverse();
}

describe('login lockout per address', () => {
  it('does not lock the owner out from their own address when strangers fail from another', async () => {
    const email = 'lina@seamless.local';
    for (let i = 0; i < 5; i++) expect((await login(system, email, `guess-${i}`, '203.0.113.7')).status).toBe(401);
    const stranger = await login(system, email, demoPassword, '203.0.113.7');
    expect(stranger.status).toBe(423);
    expect(stranger.body.error.code).toBe('account_locked');

    const owner = await login(system, email, demoPassword, '198.51.100.1');
    expect(owner.status).toBe(200);
    // The stranger's address stays locked out: the owner's sign-in does not lift it.
    expect((await login(system, email, demoPassword, '203.0.113.7')).status).toBe(423);
  });

  it('locks an email for new addresses once many addresses together fail, but not for the address its owner signs in from', async () => {
    const email = 'expert@seamless.local';
    expect((await login(system, email, demoPassword, '198.51.100.2')).status).toBe(200); // the owner's usual address
    for (let i = 0; i < 8; i++) expect((await login(system, email, 'wrong', `203.0.113.${20 + i}`)).status).toBe(401);

    const fresh = await login(system, email, demoPassword, '203.0.113.99');
    expect(fresh.status).toBe(423);
    expect(Number(fresh.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect((await login(system, email, demoPassword, '198.51.100.2')).status).toBe(200);

    const locks = (await authAudit(email)).filter((event) => event.type === 'auth.locked_out');
    expect(locks).toHaveLength(1);
    expect(locks[0]!.payload).toMatchObject({ email, ip: '203.0.113.27', scope: 'account', failures: 8 });
  });

  it('answers an unknown email from many addresses exactly like a known one: no account discovery', async () => {
    const known = 'wangwei@seamless.local';
    const unknown = 'not-an-account@seamless.local';
    frozenAt = Date.now();
    try {
      for (const email of [known, unknown]) {
        for (let i = 0; i < 8; i++) expect((await login(system, email, 'wrong', `192.0.2.${i + 1}`)).status).toBe(401);
      }
      const [lockedKnown, lockedUnknown] = [await login(system, known, 'wrong', '192.0.2.200'), await login(system, unknown, 'wrong', '192.0.2.200')];
      expect(lockedKnown.status).toBe(423);
      expect(lockedUnknown.status).toBe(lockedKnown.status);
      expect(lockedUnknown.body).toEqual(lockedKnown.body);
      expect(lockedUnknown.headers.get('retry-after')).toBe(lockedKnown.headers.get('retry-after'));
    } finally {
      frozenAt = null;
    }
    clockOffsetMs += 15 * minute + 1000;
    expect((await login(system, known, demoPassword, '192.0.2.200')).status).toBe(200);
  });
});

describe('the audit log of sign-ins', () => {
  it('records sign-in, failed sign-in (known and unknown email), lockout and sign-out with the email and IP, never the password', async () => {
    const email = 'agent@seamless.local';
    const user = await system.db.user.findUniqueOrThrow({ where: { email } });
    const signedIn = await login(system, email, demoPassword, '198.51.100.10');
    expect(signedIn.status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(system, email, `secret-guess-${i}`, '203.0.113.50')).status).toBe(401);
    // Refused while locked: not recorded one by one (the lock is).
    expect((await login(system, email, 'secret-guess-5', '203.0.113.50')).status).toBe(423);
    expect((await login(system, 'nobody@seamless.local', 'secret-guess-x', '203.0.113.51')).status).toBe(401);
    expect((await send(system, 'POST', '/api/auth/logout', { token: signedIn.body.token, from: '198.51.100.10' })).status).toBe(204);

    const events = await authAudit(email);
    expect(events.map((event) => event.type)).toEqual([
      'auth.signed_in',
      'auth.sign_in_failed',
      'auth.sign_in_failed',
      'auth.sign_in_failed',
      'auth.sign_in_failed',
      'auth.sign_in_failed',
      'auth.locked_out',
      'auth.signed_out',
    ]);
    expect(events[0]).toMatchObject({ actorKind: 'agent', actorId: user.id, payload: { email, ip: '198.51.100.10' } });
    expect(events[1]).toMatchObject({ actorKind: 'system', actorId: null, payload: { email, ip: '203.0.113.50', userId: user.id } });
    expect(events[6]!.payload).toMatchObject({ email, ip: '203.0.113.50', scope: 'address', failures: 5 });
    expect(Date.parse(events[6]!.payload.lockedUntil as string)).toBeGreaterThan(now().getTime() + 14 * minute);
    expect(events[7]).toMatchObject({ actorKind: 'agent', actorId: user.id, payload: { email, ip: '198.51.100.10' } });
    expect(JSON.stringify(events)).not.toContain('secret-guess');

    const [unknown] = await authAudit('nobody@seamless.local');
    expect(unknown).toMatchObject({
      type: 'auth.sign_in_failed',
      actorKind: 'system',
      actorId: null,
      payload: { email: 'nobody@seamless.local', ip: '203.0.113.51', userId: null },
    });
  });

  it('keeps the auth events to admins', async () => {
    const agent = await system.login('lina@seamless.local');
    expect((await send(system, 'GET', '/api/audit-events?type=auth.*', { token: agent })).status).toBe(403);
  });
});

describe('tokens are never cached', () => {
  it('answers sign-in (either way), refresh and me with Cache-Control: no-store', async () => {
    const signedIn = await login(system, 'admin@seamless.local', demoPassword, '198.51.100.20');
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    expect((await login(system, 'admin@seamless.local', 'wrong', '198.51.100.20')).headers.get('cache-control')).toBe('no-store');
    const refreshed = await send(system, 'POST', '/api/auth/refresh', { token: signedIn.body.token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('cache-control')).toBe('no-store');
    expect((await send(system, 'GET', '/api/auth/me', { token: signedIn.body.token })).headers.get('cache-control')).toBe('no-store');
  });
});

describe('rate limits apply to everyone', () => {
  it('counts failed sign-ins sent with an API key like any other (the key does not skip the limit)', async () => {
    const admin = (await login(tight, 'admin@seamless.local', demoPassword, '198.51.100.30')).body.token as string;
    const created = await send(tight, 'POST', '/api/api-keys', { token: admin, body: { name: 'Sign-in prober', scopes: ['tickets:read'] } });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    for (let i = 0; i < 3; i++) expect((await login(tight, `probe-${i}@example.com`, 'wrong', '203.0.113.60', key)).status).toBe(401);
    const refused = await login(tight, 'probe-3@example.com', 'wrong', '203.0.113.60', key);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
  });

  it('caps widget messages per IP for all its visitors together, and new visitors per IP', async () => {
    const from = '203.0.113.70';
    const visitor = async (address: string) => {
      const created = await send(tight, 'POST', '/api/widget/visitors', { body: {}, from: address });
      expect(created.status).toBe(201);
      const token = created.body.token as string;
      const started = await send(tight, 'POST', '/api/widget/conversations', { token, body: { body: 'Hello' }, from: address });
      expect(started.status).toBe(201);
      return { token, conversationId: started.body.conversation.id as string };
    };
    const post = (who: { token: string; conversationId: string }, address: string) =>
      send(tight, 'POST', `/api/widget/conversations/${who.conversationId}/messages`, { token: who.token, body: { body: 'again' }, from: address });

    const [first, second, third] = [await visitor(from), await visitor(from), await visitor(from)];
    // The fourth visitor from this address is refused; another address still gets one.
    expect((await send(tight, 'POST', '/api/widget/visitors', { body: {}, from })).status).toBe(429);
    const elsewhere = await visitor('203.0.113.71');

    // 2 + 2 messages: each visitor within its own limit of 3, the address at its limit of 4.
    for (const who of [first, second]) for (let i = 0; i < 2; i++) expect((await post(who, from)).status).toBe(201);
    const refused = await post(third, from);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect((await post(elsewhere, '203.0.113.71')).status).toBe(201);
  });

  it('limits ratings and bot verdicts per visitor', async () => {
    const from = '203.0.113.80';
    const created = await send(tight, 'POST', '/api/widget/visitors', { body: {}, from });
    const token = created.body.token as string;
    const started = await send(tight, 'POST', '/api/widget/conversations', { token, body: { body: 'Hello' }, from });
    const conversationId = started.body.conversation.id as string;
    const rate = () => send(tight, 'POST', `/api/widget/conversations/${conversationId}/csat`, { token, body: { score: 5 }, from });
    const verdict = () => send(tight, 'POST', `/api/widget/conversations/${conversationId}/bot-feedback`, { token, body: { outcome: 'helpful' }, from });
    for (const attempt of [rate, verdict, rate]) expect((await attempt()).status).toBe(409); // not resolved; no bot answer
    expect((await verdict()).status).toBe(429);
    expect((await rate()).status).toBe(429);
  });
});
