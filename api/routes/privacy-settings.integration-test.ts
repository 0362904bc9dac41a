// The visitor retention period as an admin setting (GET/PATCH /api/settings/privacy), in-process:
// admins only, validated, audited, and the sweep's retention in force follows it (null: the
// deployment's default, VISITOR_RETENTION_DAYS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';
import { deleteSilentVisitors, visitorRetentionDays } from '../services/visitor-retention.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string };

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'admin', 'agent');
});
afterAll(() => api?.stop());

describe('/api/settings/privacy', () => {
  it('is the deployment default until an admin sets it; the sweep follows the setting', async () => {
    const read = await api.request('GET', '/api/settings/privacy', { token: tokens.admin });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ privacy: { visitorRetentionDays: null, customerSeesCallRecordings: false } });
    expect(await visitorRetentionDays(api.db, 30)).toBe(30);

    const changed = await api.request('PATCH', '/api/settings/privacy', { token: tokens.admin, body: { visitorRetentionDays: 7 } });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ privacy: { visitorRetentionDays: 7, customerSeesCallRecordings: false } });
    expect(await visitorRetentionDays(api.db, 30)).toBe(7);
    const audit = await api.request('GET', '/api/audit-events?type=settings.changed', { token: tokens.admin });
    expect(audit.body.events[0].payload).toMatchObject({ section: 'privacy', before: { visitorRetentionDays: null }, after: { visitorRetentionDays: 7 } });

    // A silent visitor unseen for 10 days: gone under a 7-day retention, kept under the default 30.
    const visitor = await api.visitor('Silent');
    const tenDaysAgo = new Date(Date.now() - 10 * 24 * 60 * 60_000);
    await api.db.customer.update({ where: { id: visitor.customerId }, data: { lastSeenAt: tenDaysAgo, createdAt: tenDaysAgo } });
    expect((await deleteSilentVisitors(api.db, { retentionDays: 30 })).deleted).toBe(0);
    expect((await deleteSilentVisitors(api.db, { retentionDays: await visitorRetentionDays(api.db, 30) })).deleted).toBeGreaterThanOrEqual(1);
    expect(await api.db.customer.findUnique({ where: { id: visitor.customerId } })).toBeNull();

    expect((await api.request('PATCH', '/api/settings/privacy', { token: tokens.admin, body: { visitorRetentionDays: null } })).body).toEqual({
      privacy: { visitorRetentionDays: null, customerSeesCallRecordings: false },
    });
    expect(await visitorRetentionDays(api.db, 30)).toBe(30);

    // Sharing call recordings with visitors: on and off again, the days left as they are.
    const shared = await api.request('PATCH', '/api/settings/privacy', { token: tokens.admin, body: { customerSeesCallRecordings: true } });
    expect(shared.body).toEqual({ privacy: { visitorRetentionDays: null, customerSeesCallRecordings: true } });
    expect((await api.request('PATCH', '/api/settings/privacy', { token: tokens.admin, body: { customerSeesCallRecordings: false } })).body.privacy).toEqual({
      visitorRetentionDays: null,
      customerSeesCallRecordings: false,
    });
  });

  it('is for admins only, and refuses what is not a whole number of days', async () => {
    expect((await api.request('GET', '/api/settings/privacy', { token: tokens.agent })).status).toBe(403);
    expect((await api.request('PATCH', '/api/settings/privacy', { token: tokens.agent, body: { visitorRetentionDays: 1 } })).status).toBe(403);
    for (const body of [
      {},
      { visitorRetentionDays: -1 },
      { visitorRetentionDays: 1.5 },
      { visitorRetentionDays: '7' },
      { visitorRetentionDays: 7, other: 1 },
      { customerSeesCallRecordings: 'yes' },
    ]) {
      const refused = await api.request('PATCH', '/api/settings/privacy', { token: tokens.admin, body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe('invalid_input');
    }
    expect((await api.request('GET', '/api/settings/privacy', { token: tokens.admin })).body.privacy.visitorRetentionDays).toBeNull();
  });
});
