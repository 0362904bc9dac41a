// Automation rules on the real stack (PostgreSQL, Temporal dev server, API, worker): rules as
// versioned data with an audit trail, precise 400s for bad rules, admins only (reads too),
// reordering, export and import (audited as bulk reads), the execution history, and a dry-run
// that replays the conversations and tickets recorded here through the matcher without writing
// anything but its audit event.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './support/wait-until.js';
import type { TestSocket } from './support/socket-client.js';
import { signIn } from './support/fixtures.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let admin: string;
let agent: string;
let adminId: string;
let adminSocket: TestSocket;

beforeAll(async () => {
  system = await startSystem();
  ({ admin, agent } = await signIn(system, 'admin', 'agent'));
  adminId = (await system.db.user.findUniqueOrThrow({ where: { email: 'admin@seamless.local' } })).id;
  adminSocket = await system.socket(admin);
});
afterAll(() => system?.stop());

const vipRefunds = {
  name: 'VIP refunds go to experts',
  enabled: true,
  scope: 'conversation',
  trigger: { on: 'message_received', from: 'customer' },
  conditions: {
    all: [
      { field: 'customer.vip', op: 'eq', value: true },
      { field: 'message.text', op: 'contains', value: '退款' },
    ],
  },
  actions: [{ type: 'assign_tier', tier: 'expert' }, { type: 'add_tag', tag: 'vip-refund' }, { type: 'stop' }],
};

const createRule = async (body: unknown) => {
  const response = await system.request('POST', '/api/rules', { token: admin, body });
  expect(response.status).toBe(201);
  return response.body.rule as { id: string; version: number; position: number; enabled: boolean; name: string };
};

const lastAudit = (type: string) => system.db.event.findFirst({ where: { type }, orderBy: { id: 'desc' } });
const paths = (body: { error: { details: { path: string }[] } }) => body.error.details.map((detail) => detail.path);

async function deleteAllRules() {
  for (const rule of (await system.request('GET', '/api/rules', { token: admin })).body.rules as { id: string }[]) {
    expect((await system.request('DELETE', `/api/rules/${rule.id}`, { token: admin })).status).toBe(204);
  }
}

describe('rules as versioned data', () => {
  it('creates version 1, keeps a version row per change (switching on and off too), and audits each write', async () => {
    const created = await createRule({ ...vipRefunds, enabled: undefined });
    expect(created).toMatchObject({ version: 1, enabled: false, name: vipRefunds.name });
    const createdAudit = await lastAudit('rule.created');
    expect(createdAudit).toMatchObject({ actorId: adminId, internal: true, payload: { before: null, after: { id: created.id, version: 1 } } });

    const renamed = await system.request('PATCH', `/api/rules/${created.id}`, { token: admin, body: { name: 'VIP 退款 to experts' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.rule).toMatchObject({ version: 2, name: 'VIP 退款 to experts', enabled: false });
    const enabled = await system.request('PATCH', `/api/rules/${created.id}`, { token: admin, body: { enabled: true } });
    expect(enabled.body.rule).toMatchObject({ version: 3, enabled: true });
    expect((await lastAudit('rule.updated'))?.payload).toMatchObject({
      before: { version: 2, enabled: false },
      after: { version: 3, enabled: true },
      changed: ['enabled'],
    });

    const read = await system.request('GET', `/api/rules/${created.id}`, { token: admin });
    expect(read.status).toBe(200);
    expect(read.body.rule).toMatchObject({ id: created.id, version: 3, conditions: vipRefunds.conditions, actions: vipRefunds.actions });
    expect(
      read.body.versions.map((version: { version: number; name: string; enabled: boolean; editorId: string }) => [
        version.version,
        version.name,
        version.enabled,
        version.editorId,
      ]),
    ).toEqual([
      [3, 'VIP 退款 to experts', true, adminId],
      [2, 'VIP 退款 to experts', false, adminId],
      [1, vipRefunds.name, false, adminId],
    ]);

    expect((await system.request('DELETE', `/api/rules/${created.id}`, { token: admin })).status).toBe(204);
    expect((await system.request('GET', `/api/rules/${created.id}`, { token: admin })).status).toBe(404);
    expect((await lastAudit('rule.deleted'))?.payload).toMatchObject({ before: { id: created.id, version: 3 }, after: null });
    expect(await system.db.automationRuleVersion.count({ where: { ruleId: created.id } })).toBe(0);
    expect((await system.request('DELETE', `/api/rules/${created.id}`, { token: admin })).status).toBe(404);
  });

  it('lists rules in position order, new ones at the end', async () => {
    const first = await createRule({ ...vipRefunds, name: 'first' });
    const second = await createRule({ ...vipRefunds, name: 'second' });
    expect(second.position).toBeGreaterThan(first.position);
    const listed = await system.request('GET', '/api/rules', { token: admin });
    expect(listed.body.rules.map((rule: { name: string }) => rule.name)).toEqual(['first', 'second']);
    await deleteAllRules();
  });
});

describe('bad rules', () => {
  it('answer 400 with the path of each problem', async () => {
    const bad = await system.request('POST', '/api/rules', {
      token: admin,
      body: { ...vipRefunds, conditions: { all: [{ field: 'customer.vip', op: 'eq', value: 'yes' }] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    expect(paths(bad.body)).toEqual(['conditions.all.0.value']);

    const several = await system.request('POST', '/api/rules', {
      token: admin,
      body: {
        ...vipRefunds,
        trigger: { on: 'time_elapsed', since: 'created', after: { amount: 0, unit: 'hours' } },
        conditions: { any: [{ not: { field: 'message.text', op: 'matches', value: '(退款)\\1' } }] },
        actions: [{ type: 'escalate' }, { type: 'call_webhook', url: 'ftp://example.com/hook', secret: 'x'.repeat(20) }],
        owner: 'me',
      },
    });
    expect(several.status).toBe(400);
    expect(paths(several.body).sort()).toEqual(['', 'actions.1.url', 'conditions.any.0.not.value', 'trigger.after.amount']);

    // A pattern RE2 cannot run is refused with the reason (domain/rules/pattern.ts).
    const lookahead = await system.request('POST', '/api/rules', {
      token: admin,
      body: { ...vipRefunds, conditions: { all: [{ field: 'message.text', op: 'matches', value: 'refund(?!ed)' }] } },
    });
    expect(lookahead.status).toBe(400);
    expect(lookahead.body.error.details).toEqual([{ path: 'conditions.all.0.value', message: expect.stringContaining('lookahead and lookbehind') }]);

    const wrongScope = await system.request('POST', '/api/rules', { token: admin, body: { ...vipRefunds, scope: 'ticket' } });
    expect(paths(wrongScope.body)).toEqual(['trigger.on']);
    expect(await system.db.automationRule.count()).toBe(0);
  });

  it('answer 400 for a change that would make a stored rule inconsistent, leaving it as it was', async () => {
    const rule = await createRule(vipRefunds);
    const patched = await system.request('PATCH', `/api/rules/${rule.id}`, { token: admin, body: { scope: 'ticket' } });
    expect(patched.status).toBe(400);
    expect(paths(patched.body)).toEqual(['trigger.on']);
    expect((await system.request('PATCH', `/api/rules/${rule.id}`, { token: admin, body: {} })).status).toBe(400);
    expect((await system.request('PATCH', `/api/rules/${rule.id}`, { token: admin, body: { actions: [] } })).status).toBe(400);
    expect((await system.request('PATCH', '/api/rules/not-a-uuid', { token: admin, body: { enabled: false } })).status).toBe(400);
    expect((await system.request('PATCH', `/api/rules/${randomUUID()}`, { token: admin, body: { enabled: false } })).status).toBe(404);
    expect(await system.db.automationRule.findUniqueOrThrow({ where: { id: rule.id } })).toMatchObject({ version: 1, scope: 'conversation' });
    await deleteAllRules();
  });
});

describe('who may do what', () => {
  it('lets admins only read and write rules; agents, visitors and strangers neither', async () => {
    const rule = await createRule(vipRefunds);
    const writes: [string, string, unknown][] = [
      ['POST', '/api/rules', vipRefunds],
      ['PATCH', `/api/rules/${rule.id}`, { enabled: false }],
      ['DELETE', `/api/rules/${rule.id}`, undefined],
      ['POST', '/api/rules/reorder', { ids: [rule.id] }],
      ['POST', '/api/rules/import', { rules: [vipRefunds] }],
      ['POST', '/api/rules/dry-run', { rule: vipRefunds, days: 1 }],
    ];
    for (const [method, path, body] of writes) {
      expect((await system.request(method, path, { token: agent, body })).status, `${method} ${path}`).toBe(403);
    }
    // Rules hold webhook URLs and addresses, executions name every team's conversations: admins only.
    for (const path of ['/api/rules', `/api/rules/${rule.id}`, `/api/rules/${rule.id}/executions`, '/api/rules/export']) {
      expect((await system.request('GET', path, { token: agent })).status, path).toBe(403);
      expect((await system.request('GET', path, { token: admin })).status, path).toBe(200);
    }
    const visitor = await system.visitor();
    expect((await system.request('GET', '/api/rules', { token: visitor.token })).status).toBe(403);
    expect((await system.request('GET', '/api/rules')).status).toBe(401);
    expect(await system.db.automationRule.findUniqueOrThrow({ where: { id: rule.id } })).toMatchObject({ version: 1, enabled: true });
    await deleteAllRules();
  });
});

describe('ordering, export and import', () => {
  it('reorders with every id exactly once and audits the old and new order', async () => {
    const [a, b, c] = [
      await createRule({ ...vipRefunds, name: 'a' }),
      await createRule({ ...vipRefunds, name: 'b' }),
      await createRule({ ...vipRefunds, name: 'c' }),
    ];
    const reordered = await system.request('POST', '/api/rules/reorder', { token: admin, body: { ids: [c!.id, a!.id, b!.id] } });
    expect(reordered.status).toBe(200);
    expect(reordered.body.rules.map((rule: { name: string; position: number }) => [rule.name, rule.position])).toEqual([
      ['c', 0],
      ['a', 1],
      ['b', 2],
    ]);
    expect((await system.request('GET', '/api/rules', { token: admin })).body.rules.map((rule: { name: string }) => rule.name)).toEqual(['c', 'a', 'b']);
    expect((await lastAudit('rule.reordered'))?.payload).toEqual({ before: [a!.id, b!.id, c!.id], after: [c!.id, a!.id, b!.id] });

    const partial = await system.request('POST', '/api/rules/reorder', { token: admin, body: { ids: [a!.id, b!.id] } });
    expect(partial.status).toBe(400);
    expect(partial.body.error).toMatchObject({ code: 'reorder_mismatch', details: { missing: [c!.id], unknown: [] } });
    expect((await system.request('POST', '/api/rules/reorder', { token: admin, body: { ids: [a!.id, a!.id, b!.id, c!.id] } })).status).toBe(400);
    await deleteAllRules();
  });

  it('round-trips export and import; an import is all or nothing and off unless it says enabled', async () => {
    await createRule({ ...vipRefunds, name: 'one' });
    await createRule({
      name: 'two: chase quiet tickets',
      scope: 'ticket',
      trigger: { on: 'time_elapsed', since: 'status_changed', after: { amount: 8, unit: 'business_hours' } },
      conditions: { all: [{ field: 'status', op: 'eq', value: 'pending' }, { not: { field: 'tags', op: 'contains', value: 'chased' } }] },
      actions: [
        { type: 'send_email', to: 'customer', subject: 'Still need help?', body: 'Reply to this email to reopen.' },
        { type: 'add_tag', tag: 'chased' },
      ],
    });
    const exported = await system.request('GET', '/api/rules/export', { token: admin });
    expect(exported.status).toBe(200);
    // A bulk read of every rule: in the audit log, with who and what.
    const exportAudit = await lastAudit('rule.exported');
    expect(exportAudit).toMatchObject({ actorId: adminId, internal: true, payload: { count: 2 } });
    expect((await system.request('GET', '/api/audit-events?type=rule.exported', { token: admin })).body.events[0]).toMatchObject({
      id: String(exportAudit!.id),
      actorId: adminId,
    });
    expect(Array.isArray(exported.body)).toBe(true);
    expect(exported.body.map((rule: { name: string; enabled: boolean }) => [rule.name, rule.enabled])).toEqual([
      ['one', true],
      ['two: chase quiet tickets', false],
    ]);
    await deleteAllRules();

    const imported = await system.request('POST', '/api/rules/import', { token: admin, body: { rules: exported.body } });
    expect(imported.status).toBe(201);
    expect(imported.body.rules.map((rule: { version: number }) => rule.version)).toEqual([1, 1]);
    expect((await system.request('GET', '/api/rules/export', { token: admin })).body).toEqual(exported.body);
    expect((await lastAudit('rule.imported'))?.payload).toMatchObject({ before: null, after: [{ name: 'one' }, { name: 'two: chase quiet tickets' }] });
    expect(await system.db.automationRuleVersion.count()).toBe(2);

    const { enabled: _enabled, ...withoutEnabled } = vipRefunds;
    const bad = await system.request('POST', '/api/rules/import', {
      token: admin,
      body: { rules: [withoutEnabled, { ...vipRefunds, conditions: { all: [{ field: 'priority', op: 'gt', value: 'critical' }] } }] },
    });
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(['rules.1.conditions.all.0.value']);
    expect(await system.db.automationRule.count()).toBe(2);

    const off = await system.request('POST', '/api/rules/import', { token: admin, body: { rules: [withoutEnabled] } });
    expect(off.body.rules[0]).toMatchObject({ enabled: false, position: 2 });
    await deleteAllRules();
  });
});

describe('executions', () => {
  it("lists the rule's executions newest first, up to the limit", async () => {
    const rule = await createRule(vipRefunds);
    const other = await createRule({ ...vipRefunds, name: 'other' });
    const conversationId = randomUUID();
    const at = (minutes: number) => new Date(Date.UTC(2026, 0, 14, 10, minutes));
    await system.db.ruleExecution.createMany({
      data: [
        { ruleId: rule.id, version: 1, trigger: 'message_received', conversationId, matched: false, createdAt: at(0) },
        {
          ruleId: rule.id,
          version: 1,
          trigger: 'message_received',
          conversationId,
          matched: true,
          actions: [{ type: 'assign_tier', status: 'done' }],
          createdAt: at(5),
          depth: 1,
        },
        {
          ruleId: rule.id,
          version: 2,
          trigger: 'message_received',
          conversationId,
          matched: true,
          actions: [{ type: 'add_tag', status: 'failed', error: 'x' }],
          createdAt: at(9),
        },
        { ruleId: other.id, version: 1, trigger: 'assigned', conversationId, matched: true, createdAt: at(7) },
      ],
    });
    const all = await system.request('GET', `/api/rules/${rule.id}/executions`, { token: admin });
    expect(all.status).toBe(200);
    expect(
      all.body.executions.map((execution: { createdAt: string; version: number; matched: boolean }) => [
        execution.createdAt,
        execution.version,
        execution.matched,
      ]),
    ).toEqual([
      [at(9).toISOString(), 2, true],
      [at(5).toISOString(), 1, true],
      [at(0).toISOString(), 1, false],
    ]);
    expect(all.body.executions[1]).toMatchObject({ conversationId, depth: 1, actions: [{ type: 'assign_tier', status: 'done' }] });
    const limited = await system.request('GET', `/api/rules/${rule.id}/executions?limit=2`, { token: admin });
    expect(limited.body.executions).toHaveLength(2);
    expect((await system.request('GET', `/api/rules/${rule.id}/executions?limit=0`, { token: admin })).status).toBe(400);
    expect((await system.request('GET', `/api/rules/${randomUUID()}/executions`, { token: admin })).status).toBe(404);
    await deleteAllRules();
  });
});

describe('dry-run', () => {
  /** A visitor (VIP or not) opens a conversation; resolves once it has been classified. */
  async function conversationOf(body: string, vip: boolean) {
    const visitor = await system.visitor(vip ? 'VIP visitor' : 'Visitor');
    await system.db.customer.update({ where: { id: visitor.customerId }, data: { vip } });
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body } });
    expect(started.status).toBe(201);
    const id = started.body.conversation.id as string;
    await adminSocket.waitForEvent((event) => event.conversationId === id && event.type === 'conversation.classified');
    return id;
  }

  let vipAngry: string;
  let vipCalm: string;
  let regularAngry: string;
  let vipRefundZh: string;
  beforeAll(async () => {
    vipAngry = await conversationOf('This is terrible and unacceptable, I will complain about your service', true);
    vipCalm = await conversationOf('Thanks, how do I order a new card?', true);
    regularAngry = await conversationOf('This is terrible and unacceptable, I will complain about your service', false);
    vipRefundZh = await conversationOf('我要退款，扣费两次了', true);
  });

  const dryRun = (rule: unknown, days = 1) => system.request('POST', '/api/rules/dry-run', { token: admin, body: { rule, days } });
  const matchedIds = (body: { results: { id: string }[] }) => body.results.map((result) => result.id).sort();

  it('returns exactly the conversations of VIP customers whose message was negative, at that message, with the actions', async () => {
    const before = { rules: await system.db.automationRule.count(), executions: await system.db.ruleExecution.count() };
    const response = await dryRun({
      name: 'Angry VIPs',
      scope: 'conversation',
      trigger: { on: 'message_received', from: 'customer' },
      conditions: {
        all: [
          { field: 'customer.vip', op: 'eq', value: true },
          { field: 'message.sentiment', op: 'eq', value: 'negative' },
        ],
      },
      actions: [{ type: 'set_priority', priority: 'urgent' }, { type: 'stop' }],
    });
    expect(response.status).toBe(200);
    expect(matchedIds(response.body)).toEqual([vipAngry]);
    const [result] = response.body.results;
    expect(result).toMatchObject({ subject: 'conversation', id: vipAngry, number: expect.any(Number) });
    expect(result.matches).toEqual([
      {
        eventId: expect.any(String),
        eventType: 'message.created',
        trigger: 'message_received',
        at: expect.any(String),
        actions: [{ type: 'set_priority', priority: 'urgent' }],
      },
    ]);
    const matchedEvent = await system.db.event.findUniqueOrThrow({ where: { id: BigInt(result.matches[0].eventId) } });
    expect(matchedEvent).toMatchObject({ type: 'message.created', conversationId: vipAngry });
    expect(response.body.matched).toEqual({ conversations: 1, tickets: 0, matches: 1 });
    expect(response.body.scanned.conversations).toBeGreaterThanOrEqual(4);
    expect(response.body.truncated).toBe(false);
    // Nothing written.
    expect({ rules: await system.db.automationRule.count(), executions: await system.db.ruleExecution.count() }).toEqual(before);
  });

  it('finds Chinese text, and the negation of a condition finds the others', async () => {
    const refund = await dryRun({
      name: '退款',
      scope: 'both',
      trigger: { on: 'message_received', from: 'customer' },
      conditions: {
        any: [
          { field: 'message.text', op: 'contains', value: '退款' },
          { field: 'message.text', op: 'matches', value: '扣费.{0,3}次' },
        ],
      },
      actions: [{ type: 'add_tag', tag: '退款' }],
    });
    expect(matchedIds(refund.body)).toEqual([vipRefundZh]);

    const created = await dryRun({
      name: 'Not VIP',
      scope: 'conversation',
      trigger: { on: 'conversation_created' },
      conditions: { not: { field: 'customer.vip', op: 'eq', value: true } },
      actions: [{ type: 'add_note', text: 'Regular customer' }],
    });
    expect(matchedIds(created.body)).toContain(regularAngry);
    expect(matchedIds(created.body)).not.toContain(vipAngry);
    expect(matchedIds(created.body)).not.toContain(vipCalm);
  });

  it('replays tickets for ticket rules', async () => {
    const customerId = (await system.db.conversation.findUniqueOrThrow({ where: { id: vipCalm } })).customerId;
    const ticket = await system.request('POST', '/api/tickets', { token: admin, body: { subject: 'Card order', customerId, priority: 'high' } });
    expect(ticket.status).toBe(201);
    const response = await dryRun({
      name: 'High VIP tickets',
      scope: 'ticket',
      trigger: { on: 'ticket_created' },
      conditions: {
        all: [
          { field: 'priority', op: 'gte', value: 'high' },
          { field: 'customer.vip', op: 'eq', value: true },
        ],
      },
      actions: [{ type: 'assign_tier', tier: 'expert' }],
    });
    expect(response.body.results.map((result: { subject: string; id: string }) => [result.subject, result.id])).toEqual([['ticket', ticket.body.ticket.id]]);
  });

  it('is audited as a bulk read: who, which rule, over how many days, how much it read', async () => {
    const rule = { ...vipRefunds, name: 'Audited dry-run' };
    const response = await dryRun(rule, 3);
    expect(response.status).toBe(200);
    const audited = await lastAudit('rule.dry_run');
    expect(audited).toMatchObject({
      actorId: adminId,
      internal: true,
      payload: {
        days: 3,
        rule: { name: 'Audited dry-run', scope: 'conversation', trigger: vipRefunds.trigger },
        scanned: response.body.scanned,
        matched: response.body.matched,
      },
    });
  });

  it('finishes on an adversarial message with a pattern that backtracks exponentially in JavaScript', async () => {
    // 10,000 characters of "a" and no match at the end: (a|aa)+$ took 16 s on 29 characters before RE2.
    const probe = await conversationOf(`${'a'.repeat(9_999)}!`, false);
    const response = await dryRun({
      name: 'ReDoS probe',
      scope: 'conversation',
      trigger: { on: 'message_received', from: 'customer' },
      conditions: {
        any: [
          { field: 'message.text', op: 'matches', value: '(a|aa)+$' },
          { field: 'message.text', op: 'matches', value: '((a+))+$' },
        ],
      },
      actions: [{ type: 'add_tag', tag: 'probe' }],
    });
    expect(response.status).toBe(200);
    expect(response.body.scanned.conversations).toBeGreaterThan(0);
    expect(matchedIds(response.body)).not.toContain(probe);
  });

  it('refuses a bad rule or period with the path of the problem', async () => {
    const bad = await dryRun({ ...vipRefunds, conditions: { all: [{ field: 'message.sentiment', op: 'eq', value: 'furious' }] } });
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(['rule.conditions.all.0.value']);
    expect(paths((await dryRun(vipRefunds, 0)).body)).toEqual(['days']);
    expect(paths((await dryRun(vipRefunds, 91)).body)).toEqual(['days']);
  });
});

describe('webhooks and the outbound guard (no OUTBOUND_ALLOWED_HOSTS here, as in production)', () => {
  const webhookRule = (url: string) => ({
    name: 'Webhook probe',
    enabled: true,
    scope: 'conversation',
    trigger: { on: 'conversation_created' },
    conditions: { all: [{ field: 'message.text', op: 'contains', value: 'outbound-guard-probe' }] },
    actions: [{ type: 'call_webhook', url, secret: 'whsec_guard_probe_0123456789' }],
  });

  it.each([
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.8/hook',
    'https://192.168.1.10/hook',
    'https://[::1]/hook',
    'https://localhost/hook',
    'http://2130706433/hook',
    'https://0x7f000001/hook',
    'https://metadata.google.internal/computeMetadata/v1/',
    'http://127.0.0.1:8080/hook',
    'http://hooks.example.com/hook',
  ])('refuses to save a webhook to %s (400 at the URL)', async (url) => {
    const response = await system.request('POST', '/api/rules', { token: admin, body: webhookRule(url) });
    expect(response.status).toBe(400);
    expect(paths(response.body)).toEqual(['actions.0.url']);
    expect(await system.db.automationRule.count({ where: { name: 'Webhook probe' } })).toBe(0);
  });

  it('refuses at call time a webhook that leads to 127.0.0.1, records it as failed with the reason, and sends nothing', async () => {
    let calls = 0;
    const receiver = createServer((req, res) => {
      calls += 1;
      req.resume();
      res.writeHead(204).end();
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    try {
      // Saved with a public host; the stored URL then leads to loopback (as a host whose DNS now
      // answers 127.0.0.1 would): the call-time check is the guard, not the save-time one.
      const rule = await createRule(webhookRule('https://hooks.example.com/seamless'));
      const stored = await system.db.automationRule.findUniqueOrThrow({ where: { id: rule.id } });
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      await system.db.automationRule.update({ where: { id: rule.id }, data: { actions: (stored.actions as object[]).map((action) => ({ ...action, url })) } });

      const visitor = await system.visitor();
      const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'outbound-guard-probe' } });
      expect(started.status).toBe(201);
      const execution = await waitUntil(async () => {
        const row = await system.db.ruleExecution.findFirst({ where: { ruleId: rule.id, matched: true } });
        return row && (row.actions as { status: string }[]).every((action) => action.status !== 'pending') ? row : null;
      }, 30_000);
      expect(execution.actions).toEqual([
        { type: 'call_webhook', status: 'failed', note: expect.stringMatching(/^refused by the outbound guard: 127\.0\.0\.1 is a loopback address/) },
      ]);
      expect(calls).toBe(0);
    } finally {
      receiver.close();
      receiver.closeAllConnections();
    }
    await deleteAllRules();
  });
});
