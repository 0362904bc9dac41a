// The audit log in-process (test/support/in-process-api.ts): pages by cursor, filters, admins only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string };
let adminId: string;

interface AuditPage {
  events: { id: string; type: string; actorId: string | null }[];
  nextBefore: string | null;
}

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'admin', 'agent');
  adminId = (await api.db.user.findUniqueOrThrow({ where: { email: 'admin@seamless.local' } })).id;
  for (const name of ['Audit A', 'Audit B', 'Audit C']) {
    expect((await api.request('POST', '/api/teams', { token: tokens.admin, body: { name } })).status).toBe(201);
  }
});
afterAll(() => api?.stop());

describe('GET /api/audit-events', () => {
  it('pages through a family newest first, each event once, until nextBefore is null', async () => {
    const seen: AuditPage['events'] = [];
    let before: string | null = null;
    do {
      const page: { status: number; body: AuditPage } = await api.request('GET', `/api/audit-events?type=team.*&limit=2${before ? `&before=${before}` : ''}`, {
        token: tokens.admin,
      });
      expect(page.status).toBe(200);
      expect(page.body.events.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.events);
      before = page.body.nextBefore;
    } while (before);
    expect(seen.map((event) => event.type)).toEqual(['team.created', 'team.created', 'team.created']);
    const ids = seen.map((event) => BigInt(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));
  });

  it('filters by one type and by actor', async () => {
    const created = await api.request('GET', `/api/audit-events?type=team.created&actorId=${adminId}`, { token: tokens.admin });
    expect(created.body.events).toHaveLength(3);
    const nobody = await api.request('GET', `/api/audit-events?type=team.created&actorId=${crypto.randomUUID()}`, { token: tokens.admin });
    expect(nobody.body).toEqual({ events: [], nextBefore: null });
  });

  it('refuses an unknown type, a bad cursor and a limit out of range, by path', async () => {
    const answer = await api.request('GET', '/api/audit-events?type=nothing.here&before=abc&limit=201', { token: tokens.admin });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['before', 'limit', 'type']);
  });

  it('is for admins only', async () => {
    expect(await api.request('GET', '/api/audit-events', { token: tokens.agent })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
  });
});
