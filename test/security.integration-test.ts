// Security at the edge of the API: helmet headers, CORS for the widget's origins only, rate limits
// (429 with Retry-After), the login lockout in PostgreSQL (no account discovery, shared by API
// processes), logout revoking the token for REST and WebSocket (open sockets closed in every API
// process) and integration API keys. Time moves through an injected clock, never by sleeping; low
// limits come from the app's options.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { helpCenterCsp } from '../api/routes/help-center-routes.js';
import { startApi, type RunningApi } from '../api/server.js';
import { createAuthenticator } from '../infra/auth/principal.js';
import { sessionEndedCloseCode } from '../realtime/realtime-server.js';
import { demoPassword } from '../prisma/demo-data.js';
import { databaseFingerprint } from './support/fingerprint.js';
import { upgradeStatus } from './support/socket-client.js';
import { startSystem, type TestSystem } from './support/system.js';

const minute = 60_000;
/** The clock the lockout and the origin cache read: tests move it forward instead of waiting. */
let clockOffsetMs = 0;
/** Set while a test compares two locks' waits: both are then taken at the same instant, however slow the machine. */
let frozenAt: number | null = null;
const now = () => new Date((frozenAt ?? Date.now()) + clockOffsetMs);

const allowedOrigin = 'http://localhost:5173'; // listed by the demo web_chat channel
const publicUrl = 'https://support.example.com';
const foreignOrigin = 'https://evil.example';

let system: TestSystem;
/** Same code, low limits, no worker: for the rate limits alone. */
let tight: TestSystem;
let secondApi: RunningApi | null = null;
const consoleDir = mkdtempSync(path.join(os.tmpdir(), 'seamless-console-'));
writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');

beforeAll(async () => {
  [system, tight] = await Promise.all([
    startSystem({ consoleDir, security: { now, publicUrl, allowedOriginsTtlMs: 30_000, rateLimits: { login: { limit: 1000, windowMs: 15 * minute } } } }),
    startSystem({
      inProcessWorker: false,
      security: {
        rateLimits: {
          widgetVisitors: { limit: 3, windowMs: minute },
          widgetConversations: { limit: 3, windowMs: minute },
          widgetMessages: { limit: 3, windowMs: minute },
          login: { limit: 3, windowMs: minute },
          apiKey: { limit: 3, windowMs: minute },
        },
      },
    }),
  ]);
});
afterAll(async () => {
  await secondApi?.close();
  await Promise.all([system?.stop(), tight?.stop()]);
  rmSync(consoleDir, { recursive: true, force: true });
});

async function send(
  target: TestSystem | string,
  method: string,
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const base = typeof target === 'string' ? target : target.url;
  const response = await fetch(`${base}${url}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const body: any = response.headers.get('content-type')?.includes('application/json') && text ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, body };
}

/** A second API process on the same database (and Temporal), as in a multi-process deployment. */
async function secondProcess(): Promise<RunningApi> {
  const secret = randomBytes(48).toString('base64url');
  secondApi ??= await startApi({
    db: system.db,
    temporal: system.temporal,
    taskQueue: system.taskQueue,
    secret,
    authenticate: createAuthenticator(system.db, secret),
    log: () => {},
    security: { now },
    databaseUrl: system.databaseUrl,
    host: '127.0.0.1',
    port: 0,
  });
  return secondApi;
}

const login = (target: TestSystem | string, email: string, password: string) => send(target, 'POST', '/api/auth/login', { body: { email, password } });
const corsHeaders = (headers: Headers) => [...headers.keys()].filter((name) => name.startsWith('access-control-'));

describe('security headers', () => {
  it('sends helmet headers and the console CSP on JSON responses, errors included', async () => {
    for (const [url, status] of [
      ['/api/health', 200],
      ['/api/nothing-here', 404],
      ['/api/conversations', 401],
    ] as const) {
      const response = await send(system, 'GET', url);
      const headers = response.headers;
      expect(response.status).toBe(status);
      expect(headers.get('content-type')).toContain('application/json');
      const csp = headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      // No remote image anywhere (a tracker would learn who looked): an email's come through the image proxy.
      expect(csp).toContain("img-src 'self' data:;");
      expect(csp).toContain("connect-src 'self' wss://support.example.com");
      expect(csp).toContain('upgrade-insecure-requests');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(headers.get('strict-transport-security')).toContain('max-age=');
      expect(headers.get('x-powered-by')).toBeNull();
    }
  });

  it('sends the same CSP with the built console', async () => {
    const page = await send(system, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('lets the WebSocket of the same host through when no PUBLIC_URL is set, and no HSTS over http', async () => {
    const { headers } = await send(tight, 'GET', '/api/health');
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ws://${new URL(tight.url).host}`);
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(headers.get('strict-transport-security')).toBeNull();
  });

  it('keeps the help center its own stricter CSP', async () => {
    const page = await send(system, 'GET', '/help/en');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(helpCenterCsp);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('keep-alive', () => {
  // A load balancer keeps idle connections ~60 s; a server that closes first fails the request
  // the balancer sends on it at that moment (a 502 with no response from us).
  it('tells clients it keeps idle connections 65 s, longer than the usual load balancer', async () => {
    const response = await send(system, 'GET', '/api/health');
    expect(response.headers.get('keep-alive')).toBe('timeout=65');
  });
});

describe('CORS', () => {
  it('answers an allowed origin on the widget endpoints', async () => {
    const created = await send(system, 'POST', '/api/widget/visitors', { body: { name: 'Cross-origin visitor' }, headers: { origin: allowedOrigin } });
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(created.headers.get('access-control-allow-credentials')).toBeNull();
    expect(created.headers.get('vary')).toContain('Origin');

    const list = await send(system, 'GET', '/api/widget/conversations', { token: created.body.token, headers: { origin: allowedOrigin } });
    expect(list.status).toBe(200);
    expect(list.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
  });

  it("allows PUBLIC_URL's origin", async () => {
    const created = await send(system, 'POST', '/api/widget/visitors', { body: {}, headers: { origin: publicUrl } });
    expect(created.headers.get('access-control-allow-origin')).toBe(publicUrl);
  });

  it('answers a preflight from an allowed origin', async () => {
    const preflight = await send(system, 'OPTIONS', '/api/widget/conversations', {
      headers: {
        origin: allowedOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,idempotency-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toBe('authorization,content-type,idempotency-key');
    expect(Number(preflight.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  it('gives a foreign origin no CORS headers, preflight or not', async () => {
    const created = await send(system, 'POST', '/api/widget/visitors', { body: {}, headers: { origin: foreignOrigin } });
    expect(corsHeaders(created.headers)).toEqual([]);
    const preflight = await send(system, 'OPTIONS', '/api/widget/visitors', { headers: { origin: foreignOrigin, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(corsHeaders(preflight.headers)).toEqual([]);
  });

  it('sends no CORS headers outside /api/widget, even to an allowed origin', async () => {
    const agent = await system.login('agent@seamless.local');
    const responses = [
      await send(system, 'GET', '/api/health', { headers: { origin: allowedOrigin } }),
      await send(system, 'GET', '/api/conversations', { token: agent, headers: { origin: allowedOrigin } }),
      await send(system, 'POST', '/api/auth/login', { body: { email: 'agent@seamless.local', password: demoPassword }, headers: { origin: allowedOrigin } }),
      await send(system, 'OPTIONS', '/api/conversations', { headers: { origin: allowedOrigin, 'access-control-request-method': 'GET' } }),
      await send(system, 'GET', '/help/en', { headers: { origin: allowedOrigin } }),
    ];
    for (const response of responses) expect(corsHeaders(response.headers)).toEqual([]);
  });

  it("follows the channel's allowedOrigins once the cache expires", async () => {
    const shop = 'https://shop.example';
    const ask = async () =>
      (await send(system, 'POST', '/api/widget/visitors', { body: {}, headers: { origin: shop } })).headers.get('access-control-allow-origin');
    expect(await ask()).toBeNull();
    const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
    const settings = channel.settings as { allowedOrigins: string[] };
    await system.db.channel.update({ where: { id: channel.id }, data: { settings: { ...settings, allowedOrigins: [...settings.allowedOrigins, shop] } } });
    expect(await ask()).toBeNull(); // still cached
    clockOffsetMs += 31_000;
    expect(await ask()).toBe(shop);
  });
});

describe('rate limits', () => {
  let visitors: { token: string }[] = [];
  const conversations: string[] = [];

  beforeAll(async () => {
    // The limit is 3 per window: these three visitors use it up.
    visitors = [await tight.visitor('Limited 1'), await tight.visitor('Limited 2'), await tight.visitor('Limited 3')];
    for (const visitor of visitors.slice(0, 2)) {
      const started = await send(tight, 'POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Hello' } });
      expect(started.status).toBe(201);
      conversations.push(started.body.conversation.id);
    }
  });

  const expectRateLimited = (response: Awaited<ReturnType<typeof send>>) => {
    expect(response.status).toBe(429);
    expect(response.body.error.code).toBe('rate_limited');
    expect(response.body.error.message).toMatch(/try again in \d+ second/);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  };

  it('refuses a fourth visitor from one IP with 429', async () => {
    expectRateLimited(await send(tight, 'POST', '/api/widget/visitors', { body: {} }));
  });

  it('refuses a fourth conversation from one IP with 429', async () => {
    expect((await send(tight, 'POST', '/api/widget/conversations', { token: visitors[2]!.token, body: { body: 'Third' } })).status).toBe(201);
    expectRateLimited(await send(tight, 'POST', '/api/widget/conversations', { token: visitors[2]!.token, body: { body: 'Fourth' } }));
  });

  it('refuses a fourth offline form from one IP with 429, counted apart from conversations', async () => {
    const offline = () => send(tight, 'POST', '/api/widget/offline-messages', { body: { email: 'limited@example.com', message: 'Hello?' } });
    for (let i = 0; i < 3; i++) expect((await offline()).status).toBe(201);
    expectRateLimited(await offline());
  });

  it('limits messages per visitor, not per IP', async () => {
    const post = (visitor: number, conversation: number) =>
      send(tight, 'POST', `/api/widget/conversations/${conversations[conversation]}/messages`, { token: visitors[visitor]!.token, body: { body: 'again' } });
    for (let i = 0; i < 3; i++) expect((await post(0, 0)).status).toBe(201);
    expectRateLimited(await post(0, 0));
    expect((await post(1, 1)).status).toBe(201);
  });

  it('limits each API key on its own', async () => {
    const admin = (await login(tight, 'admin@seamless.local', demoPassword)).body.token as string;
    const newKey = async (name: string) =>
      (await send(tight, 'POST', '/api/api-keys', { token: admin, body: { name, scopes: ['tickets:read'] } })).body.key as string;
    const [first, second] = [await newKey('CRM sync'), await newKey('Reporting')];
    for (let i = 0; i < 3; i++) expect((await send(tight, 'GET', '/api/tickets', { token: first })).status).toBe(200);
    expectRateLimited(await send(tight, 'GET', '/api/tickets', { token: first }));
    expect((await send(tight, 'GET', '/api/tickets', { token: second })).status).toBe(200);
  });

  it('counts failed sign-ins per IP and refuses the fourth with 429', async () => {
    expect((await login(tight, 'agent@seamless.local', demoPassword)).status).toBe(200); // successes do not count
    for (let i = 0; i < 3; i++) expect((await login(tight, `nobody-${i}@example.com`, 'wrong')).status).toBe(401);
    expectRateLimited(await login(tight, 'nobody-3@example.com', 'wrong'));
  });

  it('sends the 429 with CORS headers to an allowed widget origin, so the widget can read it', async () => {
    const refused = await send(tight, 'POST', '/api/widget/visitors', { body: {}, headers: { origin: allowedOrigin } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
  });
});

describe('login lockout', () => {
  const failFiveTimes = async (email: string, target: TestSystem | string = system) => {
    for (let i = 0; i < 5; i++) {
      const failed = await login(target, email, `wrong-${i}`);
      expect(failed.status).toBe(401);
      expect(failed.body.error.code).toBe('invalid_credentials');
    }
  };

  it('locks an account after 5 failures, refuses even the right password, and unlocks when the lock expires', async () => {
    const email = 'lina@seamless.local';
    await failFiveTimes(email);
    const locked = await login(system, email, demoPassword);
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('account_locked');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    const lockedWrong = await login(system, email, 'still-wrong');
    expect(lockedWrong.status).toBe(423);
    expect(lockedWrong.body).toEqual(locked.body);
    // Kept in PostgreSQL, not in process memory, for this email from this address.
    const where = { email_source: { email, source: '127.0.0.1' } };
    const row = await system.db.loginThrottle.findUniqueOrThrow({ where });
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(now().getTime());

    clockOffsetMs += 15 * minute + 1000;
    const after = await login(system, email, demoPassword);
    expect(after.status).toBe(200);
    expect(await system.db.loginThrottle.findUniqueOrThrow({ where })).toMatchObject({ attempts: 0, lockedUntil: null });
  });

  it('treats an unknown email exactly like a wrong password, lock included', async () => {
    const known = 'expert@seamless.local';
    const unknown = 'nobody-here@seamless.local';
    frozenAt = Date.now();
    try {
      await failFiveTimes(known);
      await failFiveTimes(unknown);
      const [lockedKnown, lockedUnknown] = [await login(system, known, demoPassword), await login(system, unknown, demoPassword)];
      expect(lockedUnknown.status).toBe(lockedKnown.status);
      expect(lockedUnknown.body).toEqual(lockedKnown.body);
      expect(lockedUnknown.headers.get('retry-after')).toBe(lockedKnown.headers.get('retry-after'));
    } finally {
      frozenAt = null;
    }
    clockOffsetMs += 15 * minute + 1000;
  });

  it('forgets failures after a successful sign-in and after the window', async () => {
    const email = 'wangwei@seamless.local';
    for (let i = 0; i < 4; i++) expect((await login(system, email, 'wrong')).status).toBe(401);
    expect((await login(system, email, demoPassword)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(system, email, 'wrong')).status).toBe(401);
    clockOffsetMs += 15 * minute;
    expect((await login(system, email, 'wrong')).status).toBe(401); // a new window: 1 of 5
    expect((await login(system, email, demoPassword)).status).toBe(200);
  });

  it('holds across API processes sharing the database', async () => {
    const second = await secondProcess();
    const email = 'agent@seamless.local';
    await failFiveTimes(email, system);
    const elsewhere = await login(second.url, email, demoPassword);
    expect(elsewhere.status).toBe(423);
    expect(elsewhere.body.error.code).toBe('account_locked');
    clockOffsetMs += 15 * minute + 1000;
    expect((await login(second.url, email, demoPassword)).status).toBe(200);
  });
});

describe('session lifetime', () => {
  const hour = 60 * minute;

  it('gives a token one idle hour, renewed by POST /api/auth/refresh up to 12 hours after sign-in', async () => {
    const signedIn = await login(system, 'lina@seamless.local', demoPassword);
    const token = signedIn.body.token as string;
    const firstExpiry = Date.parse(signedIn.body.expiresAt);
    expect(firstExpiry - Date.now()).toBeGreaterThan(hour - minute);
    expect(firstExpiry - Date.now()).toBeLessThanOrEqual(hour);

    // Near the end of the day the renewal stops at the cap.
    const row = await system.db.session.findFirstOrThrow({ where: { user: { email: 'lina@seamless.local' } }, orderBy: { createdAt: 'desc' } });
    await system.db.session.update({ where: { id: row.id }, data: { createdAt: new Date(Date.now() - 11.5 * hour) } });
    const renewed = await send(system, 'POST', '/api/auth/refresh', { token });
    expect(renewed.status).toBe(200);
    expect(Math.abs(Date.parse(renewed.body.expiresAt) - (Date.now() + hour / 2))).toBeLessThan(minute);

    // Past the cap: refused, and the token no longer works.
    await system.db.session.update({ where: { id: row.id }, data: { createdAt: new Date(Date.now() - 12 * hour) } });
    const refused = await send(system, 'POST', '/api/auth/refresh', { token });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('session_expired');
    await system.db.session.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await send(system, 'GET', '/api/auth/me', { token })).status).toBe(401);
  });
});

describe('logout', () => {
  it('revokes the token for REST and for new WebSocket connections', async () => {
    const token = await system.login('admin@seamless.local');
    expect((await send(system, 'GET', '/api/auth/me', { token })).status).toBe(200);
    expect(await upgradeStatus(system.url, `?token=${token}`)).toBe(101);

    expect((await send(system, 'POST', '/api/auth/logout', { token })).status).toBe(204);

    const me = await send(system, 'GET', '/api/auth/me', { token });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('unauthorized');
    expect((await send(system, 'GET', '/api/conversations', { token })).status).toBe(401);
    expect((await send(system, 'POST', '/api/auth/logout', { token })).status).toBe(401);
    expect(await upgradeStatus(system.url, `?token=${token}`)).toBe(401);
  });

  /** A socket that has received its first frame (`ready`: the server holds it), and how it closes. */
  const openSocket = async (baseUrl: string, token: string) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?token=${token}`);
    const closed = new Promise<{ code: number; reason: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the socket was not closed within 10 s')), 10_000);
      ws.once('close', (code, reason) => {
        clearTimeout(timer);
        resolve({ code, reason: reason.toString() });
      });
    });
    closed.catch(() => {}); // awaited by the test that expects the close
    await new Promise((resolve, reject) => {
      ws.once('message', resolve);
      ws.once('error', reject);
    });
    return { ws, closed };
  };

  it('closes the sockets the session opened, in every API process, and only those', async () => {
    const token = await system.login('agent@seamless.local');
    const otherSession = await system.login('agent@seamless.local');
    const here = await openSocket(system.url, token);
    const elsewhere = await openSocket((await secondProcess()).url, token);
    const unrelated = await openSocket(system.url, otherSession);

    expect((await send(system, 'POST', '/api/auth/logout', { token })).status).toBe(204);

    const revoked = { code: sessionEndedCloseCode, reason: 'session revoked' };
    expect(await here.closed).toEqual(revoked);
    expect(await elsewhere.closed).toEqual(revoked);
    // Closed in the same pass as `here`, had it matched.
    expect(unrelated.ws.readyState).toBe(WebSocket.OPEN);
    expect(await upgradeStatus(system.url, `?token=${token}`)).toBe(401);
    unrelated.ws.close();
  });
});

describe('integration API keys', () => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  let admin: string;
  let adminId: string;
  const createKey = (body: unknown) => send(system, 'POST', '/api/api-keys', { token: admin, body });

  beforeAll(async () => {
    admin = await system.login('admin@seamless.local');
    adminId = (await system.db.user.findUniqueOrThrow({ where: { email: 'admin@seamless.local' } })).id;
  });

  it('refuses bad input with a 400 naming the problem, and changes nothing', async () => {
    // First: no workflow of this file runs yet, so nothing else writes while the digests are taken.
    const before = await databaseFingerprint(system.db);
    for (const body of [
      {},
      { name: 'No scopes', scopes: [] },
      { name: 'Unknown scope', scopes: ['everything'] },
      { name: '   ', scopes: ['tickets:read'] },
      { name: 'Extra field', scopes: ['tickets:read'], key: 'sk_live_chosen' },
    ]) {
      const refused = await createKey(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe('invalid_input');
      expect(refused.body.error.details.length).toBeGreaterThan(0);
    }
    expect((await send(system, 'DELETE', '/api/api-keys/not-a-uuid', { token: admin })).status).toBe(400);
    expect(await databaseFingerprint(system.db)).toEqual(before);
  });

  it('shows a new key once, stores only its SHA-256, and audits the creation without it', async () => {
    const created = await createKey({ name: 'CRM sync', scopes: ['tickets:read', 'conversations:read', 'tickets:read'] });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { key, apiKey } = created.body;
    expect(key).toMatch(/^sk_live_[\w-]{43}$/);
    expect(apiKey).toMatchObject({
      name: 'CRM sync',
      prefix: key.slice(0, 12),
      scopes: ['conversations:read', 'tickets:read'],
      createdById: adminId,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(apiKey)).not.toContain(key);

    const row = await system.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.keyHash).toBe(sha256(key));
    expect(JSON.stringify(row)).not.toContain(key);

    const list = await send(system, 'GET', '/api/api-keys', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.apiKeys.find((listed: { id: string }) => listed.id === apiKey.id)).toEqual(apiKey);
    expect(JSON.stringify(list.body)).not.toContain(key);

    const audit = await system.db.event.findFirstOrThrow({ where: { type: 'api_key.created' }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ actorKind: 'agent', actorId: adminId, internal: true, payload: { before: null, after: apiKey } });
    expect(JSON.stringify(audit.payload)).not.toContain(key);
  });

  it('authenticates a request by its key, within its scopes, and records when it was last used', async () => {
    const { key, apiKey } = (await createKey({ name: 'Reader', scopes: ['conversations:read'] })).body;
    expect((await send(system, 'GET', '/api/conversations', { token: key })).status).toBe(200);
    expect((await system.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt).not.toBeNull();

    const unscoped = await send(system, 'GET', '/api/tickets', { token: key });
    expect(unscoped.status).toBe(403);
    expect(unscoped.body.error).toMatchObject({ code: 'missing_scope', details: { scope: 'tickets:read' } });
    expect((await send(system, 'GET', '/api/auth/me', { token: key })).status).toBe(403);
    expect((await send(system, 'GET', '/api/api-keys', { token: key })).status).toBe(403);
    expect((await send(system, 'GET', '/api/conversations', { token: 'sk_live_not-a-key' })).status).toBe(401);
  });

  it("posts a reply on the agents' side, recorded as the system acting through the key", async () => {
    const { key, apiKey } = (await createKey({ name: 'Bot bridge', scopes: ['conversations:write'] })).body;
    const visitor = await system.visitor('Integration customer');
    const started = await send(system, 'POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Hello?' } });
    const conversationId: string = started.body.conversation.id;
    const reply = await send(system, 'POST', `/api/conversations/${conversationId}/messages`, { token: key, body: { body: 'Your order shipped today.' } });
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ authorKind: 'agent', authorUserId: null, private: false });
    const event = await system.db.event.findFirstOrThrow({ where: { type: 'message.created', conversationId }, orderBy: { id: 'desc' } });
    expect(event).toMatchObject({ actorKind: 'system', actorId: apiKey.id });
  });

  it('refuses a revoked key at once (401) and audits the revocation', async () => {
    const { key, apiKey } = (await createKey({ name: 'Short-lived', scopes: ['tickets:read'] })).body;
    expect((await send(system, 'GET', '/api/tickets', { token: key })).status).toBe(200);
    expect((await send(system, 'DELETE', `/api/api-keys/${apiKey.id}`, { token: admin })).status).toBe(204);
    const refused = await send(system, 'GET', '/api/tickets', { token: key });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');

    const audits = await system.db.event.findMany({ where: { type: 'api_key.revoked' } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorKind: 'agent',
      actorId: adminId,
      internal: true,
      payload: { before: { id: apiKey.id, revokedAt: null }, after: { id: apiKey.id } },
    });
    expect((audits[0]!.payload as { after: { revokedAt: string | null } }).after.revokedAt).not.toBeNull();
    // Revoking again changes nothing; an unknown key is 404.
    expect((await send(system, 'DELETE', `/api/api-keys/${apiKey.id}`, { token: admin })).status).toBe(204);
    expect(await system.db.event.count({ where: { type: 'api_key.revoked' } })).toBe(1);
    expect((await send(system, 'DELETE', '/api/api-keys/00000000-0000-4000-8000-000000000000', { token: admin })).status).toBe(404);
  });
});
