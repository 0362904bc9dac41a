// Automation rules in-process (test/support/in-process-api.ts): the admin-only CRUD with versions,
// validation by path, reorder, export and import, a dry-run that writes only its audit event.
// How rules run: test/rules-execution and test/rules-actions (full stack).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string };

const definition = (name: string) => ({
  name,
  scope: 'conversation',
  trigger: { on: 'message_received', from: 'customer' },
  conditions: { all: [{ field: 'message.text', op: 'contains', value: '退款' }] },
  actions: [{ type: 'add_tag', tag: 'refund' }],
});
type Rule = { id: string; name: string; version: number; position: number; enabled: boolean };

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'admin', 'agent');
});
afterAll(() => api?.stop());

const create = async (name: string): Promise<Rule> => {
  const answer = await api.request('POST', '/api/rules', { token: tokens.admin, body: definition(name) });
  expect(answer.status).toBe(201);
  return answer.body.rule;
};

describe('rules', () => {
  it('are created off at the end, and every change is a new version', async () => {
    const rule = await create('Refunds tagged');
    expect(rule).toMatchObject({ enabled: false, version: 1 });
    const renamed = await api.request('PATCH', `/api/rules/${rule.id}`, { token: tokens.admin, body: { name: '退款 tagged', enabled: true } });
    expect(renamed).toMatchObject({ status: 200, body: { rule: { name: '退款 tagged', enabled: true, version: 2 } } });
    const read = await api.request('GET', `/api/rules/${rule.id}`, { token: tokens.admin });
    expect(read.body.versions.map((version: { version: number }) => version.version)).toEqual([2, 1]);
    expect(await api.request('GET', `/api/rules/${rule.id}/executions?limit=5`, { token: tokens.admin })).toMatchObject({
      status: 200,
      body: { executions: [] },
    });
  });

  it('name each problem of a definition by its path', async () => {
    const answer = await api.request('POST', '/api/rules', {
      token: tokens.admin,
      body: { ...definition('Bad'), conditions: { all: [{ field: 'message.text', op: 'gt', value: 'x' }] }, actions: [] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(expect.arrayContaining(['actions']));
    expect(await api.request('PATCH', `/api/rules/${crypto.randomUUID()}`, { token: tokens.admin, body: {} })).toMatchObject({ status: 400 });
  });

  it('are reordered only with every id once', async () => {
    const { rules } = (await api.request('GET', '/api/rules', { token: tokens.admin })).body as { rules: Rule[] };
    const extra = await create('Second');
    const ids = [extra.id, ...rules.map((rule) => rule.id)];
    const reordered = await api.request('POST', '/api/rules/reorder', { token: tokens.admin, body: { ids } });
    expect(reordered.body.rules.map((rule: Rule) => rule.id)).toEqual(ids);
    const partial = await api.request('POST', '/api/rules/reorder', { token: tokens.admin, body: { ids: [extra.id] } });
    expect(partial).toMatchObject({
      status: 400,
      body: { error: { code: 'reorder_mismatch', details: { missing: rules.map((rule) => rule.id), unknown: [] } } },
    });
    expect(await api.request('POST', '/api/rules/reorder', { token: tokens.admin, body: { ids: [extra.id, extra.id] } })).toMatchObject({ status: 400 });
  });

  it('export as definitions that import back, appended and off', async () => {
    const exported = await api.request('GET', '/api/rules/export', { token: tokens.admin });
    expect(exported.body.length).toBeGreaterThan(0);
    const before = (await api.request('GET', '/api/rules', { token: tokens.admin })).body.rules.length;
    const imported = await api.request('POST', '/api/rules/import', { token: tokens.admin, body: { rules: [{ ...exported.body[0], enabled: false }] } });
    expect(imported.status).toBe(201);
    expect((await api.request('GET', '/api/rules', { token: tokens.admin })).body.rules.length).toBe(before + 1);
    expect(await api.request('POST', '/api/rules/import', { token: tokens.admin, body: { rules: [] } })).toMatchObject({ status: 400 });
  });

  it('dry-run over the event log without writing a rule or a version', async () => {
    const before = await api.db.automationRuleVersion.count();
    const answer = await api.request('POST', '/api/rules/dry-run', { token: tokens.admin, body: { rule: definition('Trial'), days: 7 } });
    expect(answer).toMatchObject({ status: 200, body: { scanned: expect.any(Object), matched: expect.any(Object), truncated: false } });
    expect(await api.db.automationRuleVersion.count()).toBe(before);
    expect(await api.request('POST', '/api/rules/dry-run', { token: tokens.admin, body: { rule: definition('Trial'), days: 91 } })).toMatchObject({
      status: 400,
    });
  });

  it('are deleted with their versions, and are admins’ only, reads included', async () => {
    const rule = await create('Short-lived');
    expect((await api.request('DELETE', `/api/rules/${rule.id}`, { token: tokens.admin })).status).toBe(204);
    expect(await api.request('GET', `/api/rules/${rule.id}`, { token: tokens.admin })).toMatchObject({ status: 404 });
    for (const path of ['/api/rules', '/api/rules/export']) expect(await api.request('GET', path, { token: tokens.agent })).toMatchObject({ status: 403 });
  });
});
