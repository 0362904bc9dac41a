// The automation rule actions that reach outside the conversation, end to end on the real stack:
// a rule applies an SLA policy, emails an address (a real SMTP server in the test), raises a
// ticket (its own workflow starts), calls a signed webhook (a real HTTP receiver that checks the
// signature) and closes the conversation; a ticket rule acts on a new ticket. Each action's
// outcome is in the execution record. Webhook secrets are write-only: no API answer, event,
// rule version or workflow history holds one, and the webhook still arrives signed with it.
//
// The receiver listens on 127.0.0.1, which the outbound guard refuses unless an operator allows
// it: this system runs with OUTBOUND_ALLOWED_HOSTS=127.0.0.1 (rules.integration-test.ts shows the
// refusal without it).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveLegacyWebhookSecrets, readWebhookSecret, webhookSecretBox } from '../infra/secrets/webhook-secrets.js';
import { eventIdHeader, signatureHeader, verifyWebhook } from '../infra/webhooks/signed-webhook.js';
import { startSmtpInbox, type SmtpInbox } from './support/smtp-inbox.js';
import { startCustomerConversation } from './support/fixtures.js';
import { startSystem, type TestSystem } from './support/system.js';
import { createMailer } from '../infra/email/mailer.js';
import { waitUntil } from './support/wait-until.js';

let system: TestSystem;
let inbox: SmtpInbox;
let admin: string;
let receiver: Server;
let receiverUrl: string;
const deliveries: { body: string; signature: string | undefined; eventId: string | undefined }[] = [];
/** The server secret the webhook secrets are sealed under (the API's and the worker's). */
const serverSecret = randomBytes(48).toString('base64url');

beforeAll(async () => {
  inbox = await startSmtpInbox();
  system = await startSystem({
    mailer: createMailer({ SMTP_URL: inbox.url, MAIL_FROM: 'Seamless <rules@seamless.local>' }),
    secret: serverSecret,
    outboundAllowedHosts: ['127.0.0.1'],
  });
  admin = await system.login('admin@seamless.local');
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      deliveries.push({
        body,
        signature: request.headers[signatureHeader.toLowerCase()] as string | undefined,
        eventId: request.headers[eventIdHeader.toLowerCase()] as string | undefined,
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/seamless`;
});
afterAll(async () => {
  await system?.stop();
  await inbox?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

const secret = 'whsec_test_0123456789abcdef';

const outcomesOf = (ruleId: string) =>
  waitUntil(async () => {
    const row = await system.db.ruleExecution.findFirst({ where: { ruleId, matched: true } });
    return row && (row.actions as { status: string }[]).every((action) => action.status !== 'pending') ? row : null;
  });

describe('rule actions that reach outside the conversation', () => {
  it('applies a policy, emails, raises a ticket, calls a signed webhook and closes the conversation', async () => {
    const policy = await system.db.slaPolicy.findUniqueOrThrow({ where: { name: 'Urgent priority' } });
    const created = await system.request('POST', '/api/rules', {
      token: admin,
      body: {
        name: 'Account closure requests',
        enabled: true,
        scope: 'conversation',
        trigger: { on: 'message_received', from: 'customer' },
        conditions: {
          any: [
            { field: 'message.text', op: 'contains', value: 'close my account' },
            { field: 'message.text', op: 'contains', value: '注销账户' },
          ],
        },
        actions: [
          { type: 'apply_sla_policy', policyId: policy.id },
          {
            type: 'send_email',
            to: 'address',
            address: 'retention@example.com',
            subject: 'Closure request / 注销请求',
            body: 'A customer asked to close their account.',
          },
          { type: 'create_ticket', subject: 'Account closure' },
          // Plain http to loopback: allowed here because the operator listed 127.0.0.1.
          { type: 'call_webhook', url: receiverUrl, secret },
          { type: 'set_status', status: 'close' },
        ],
      },
    });
    expect(created.status).toBe(201);
    const ruleId = created.body.rule.id as string;

    const visitor = await system.visitor();
    const started = await system.request('POST', '/api/widget/conversations', {
      token: visitor.token,
      body: { body: '你好，我想注销账户 (please close my account)' },
    });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;

    const execution = await outcomesOf(ruleId);
    expect(execution.actions).toEqual([
      { type: 'apply_sla_policy', status: 'done' },
      { type: 'send_email', status: 'done' },
      { type: 'create_ticket', status: 'done' },
      { type: 'call_webhook', status: 'done' },
      { type: 'set_status', status: 'done' },
    ]);
    const conversation = await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(conversation).toMatchObject({ status: 'closed', slaPolicyId: policy.id });

    const mail = inbox.received.find((message) => message.subject === 'Closure request / 注销请求');
    expect(mail?.text?.trim()).toBe('A customer asked to close their account.');

    const link = await system.db.ticketConversation.findFirstOrThrow({ where: { conversationId }, include: { ticket: true } });
    expect(link.ticket.subject).toBe('Account closure');
    const ticketCreated = await system.db.event.findFirstOrThrow({ where: { ticketId: link.ticketId, type: 'ticket.created' } });
    expect(ticketCreated.payload).toMatchObject({ rule: { id: ruleId, version: 1 } });
    // Its workflow runs: the ticket can be worked on.
    const agentToken = await system.login('admin@seamless.local');
    expect((await system.request('POST', `/api/tickets/${link.ticketId}/status`, { token: agentToken, body: { status: 'open' } })).status).toBe(200);

    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    deliveries.length = 0;
    expect(verifyWebhook(delivery!.signature, delivery!.body, secret)).toMatchObject({ ok: true });
    expect(verifyWebhook(delivery!.signature, delivery!.body, 'another-secret-entirely')).toMatchObject({ ok: false });
    const payload = JSON.parse(delivery!.body);
    expect(payload).toMatchObject({ id: delivery!.eventId, type: 'rule.webhook', rule: { id: ruleId }, conversation: { id: conversationId } });
    // The conversation's timeline names the receiver's host, not its URL (a path can be a credential).
    const called = await system.db.event.findFirstOrThrow({ where: { conversationId, type: 'rule.webhook_called' } });
    expect(called.payload).toEqual({ host: new URL(receiverUrl).host, status: 204, eventId: delivery!.eventId, rule: { id: ruleId, version: 1 } });
  });

  it('runs ticket rules: a new ticket is tagged and raised in priority', async () => {
    const created = await system.request('POST', '/api/rules', {
      token: admin,
      body: {
        name: 'New tickets from VIPs',
        enabled: true,
        scope: 'ticket',
        trigger: { on: 'ticket_created' },
        conditions: { all: [{ field: 'customer.vip', op: 'eq', value: true }] },
        actions: [
          { type: 'add_tag', tag: 'vip' },
          { type: 'set_priority', priority: 'high' },
          { type: 'send_reply', text: 'Not for tickets' },
        ],
      },
    });
    expect(created.status).toBe(201);
    const ruleId = created.body.rule.id as string;
    const visitor = await system.visitor();
    await system.db.customer.update({ where: { id: visitor.customerId }, data: { vip: true } });
    const ticket = await system.request('POST', '/api/tickets', { token: admin, body: { subject: 'Card never arrived', customerId: visitor.customerId } });
    expect(ticket.status).toBe(201);
    const ticketId = ticket.body.ticket.id as string;

    const execution = await outcomesOf(ruleId);
    expect(execution).toMatchObject({ ticketId, trigger: 'ticket_created', conversationId: null });
    expect(execution.actions).toEqual([
      { type: 'add_tag', status: 'done' },
      { type: 'set_priority', status: 'done' },
      { type: 'send_reply', status: 'skipped', note: 'a ticket has no chat: send_email writes to its customer' },
    ]);
    expect(await system.db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ tags: ['vip'], priority: 'high' });
    // The workflow mirrored the change: its SLA plan is the high-priority one.
    const state = await waitUntil(async () => {
      const row = await system.db.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { slaPolicy: true } });
      return row.slaPolicy?.priority === 'high' ? row : null;
    });
    expect(state.slaPolicy?.name).toBe('High priority');
  });

  it("runs rules on a customer's rating (csat_received)", async () => {
    const created = await system.request('POST', '/api/rules', {
      token: admin,
      body: {
        name: 'Rated',
        enabled: true,
        scope: 'conversation',
        trigger: { on: 'csat_received' },
        conditions: { all: [] },
        actions: [{ type: 'add_tag', tag: 'rated' }],
      },
    });
    expect(created.status).toBe(201);
    const { visitor, conversationId } = await startCustomerConversation(system, { body: 'Where is my parcel?' });
    expect((await system.request('POST', `/api/conversations/${conversationId}/resolve`, { token: admin, body: {} })).status).toBe(200);
    expect((await system.request('POST', `/api/widget/conversations/${conversationId}/csat`, { token: visitor.token, body: { score: 2 } })).status).toBe(201);
    const execution = await outcomesOf(created.body.rule.id);
    expect(execution).toMatchObject({ conversationId, trigger: 'csat_received', actions: [{ type: 'add_tag', status: 'done' }] });
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).tags).toContain('rated');
  });

  it('lets agents tag a conversation, and a tag runs the rules on tag_added', async () => {
    const created = await system.request('POST', '/api/rules', {
      token: admin,
      body: {
        name: 'Escalate legal',
        enabled: true,
        scope: 'conversation',
        trigger: { on: 'tag_added', tag: 'legal' },
        conditions: { all: [] },
        actions: [{ type: 'set_priority', priority: 'urgent' }],
      },
    });
    const { conversationId } = await startCustomerConversation(system, { body: 'I will talk to my lawyer about this' });
    const tagged = await system.request('POST', `/api/conversations/${conversationId}/tags`, { token: admin, body: { add: ['legal', '投诉'] } });
    expect(tagged.status).toBe(200);
    expect(tagged.body.conversation.tags).toEqual(['legal', '投诉']);
    const execution = await outcomesOf(created.body.rule.id);
    expect(execution).toMatchObject({ conversationId, trigger: 'tag_added', actions: [{ type: 'set_priority', status: 'done' }] });
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).priority).toBe('urgent');

    const untagged = await system.request('POST', `/api/conversations/${conversationId}/tags`, { token: admin, body: { remove: ['投诉'] } });
    expect(untagged.body.conversation.tags).toEqual(['legal']);
    expect(await system.db.event.count({ where: { conversationId, type: { in: ['conversation.tag_added', 'conversation.tag_removed'] } } })).toBe(3);
    expect((await system.request('POST', `/api/conversations/${conversationId}/tags`, { token: admin, body: {} })).status).toBe(400);
  });
});

/** Every text in a Temporal history: payloads are bytes (JSON inside), decoded to look into. */
function historyText(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) historyText(item, out);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) historyText(item, out);
  return out;
}

describe('webhook secrets are write-only', () => {
  const firstSecret = 'whsec_first_8c1f6a0e2b9d4f37';
  const secondSecret = 'whsec_second_5e27d0b4a9c1f836';
  const probeRule = (secretField: Record<string, string>) => ({
    name: 'Webhook secret probe',
    enabled: true,
    scope: 'conversation',
    trigger: { on: 'conversation_created' },
    conditions: { all: [{ field: 'message.text', op: 'contains', value: 'webhook-secret-probe' }] },
    actions: [{ type: 'call_webhook', url: receiverUrl, ...secretField }],
  });
  /** A new conversation that fires the probe rule; resolves with its delivery. */
  const fire = async () => {
    const visitor = await system.visitor();
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'webhook-secret-probe: hello' } });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    const delivery = await waitUntil(async () => deliveries.find((entry) => JSON.parse(entry.body).conversation?.id === conversationId) ?? null, 30_000);
    return { conversationId, delivery };
  };
  /** Rows of a table whose text holds the value anywhere. */
  const rowsHolding = async (table: string, column: string, value: string) =>
    Number(
      (await system.db.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) AS count FROM "${table}" WHERE ${column}::text LIKE $1`, `%${value}%`))[0]!.count,
    );

  it('never shows a secret to an admin or an agent, keeps it across edits, replaces it, and signs with it', async () => {
    const agent = await system.login('agent@seamless.local');
    const created = await system.request('POST', '/api/rules', { token: admin, body: probeRule({ secret: firstSecret }) });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain(firstSecret);
    const ruleId = created.body.rule.id as string;
    const firstId = created.body.rule.actions[0].secretId as string;
    expect(created.body.rule.actions[0]).toEqual({ type: 'call_webhook', url: receiverUrl, secretId: firstId });

    // Sealed in its own table; the rule, its versions and the event log hold only the id.
    const sealed = await system.db.ruleSecret.findUniqueOrThrow({ where: { id: firstId } });
    expect(sealed.ruleId).toBe(ruleId);
    expect(Buffer.from(sealed.sealed).includes(Buffer.from(firstSecret))).toBe(false);
    expect(await readWebhookSecret(system.db, webhookSecretBox(serverSecret), firstId)).toBe(firstSecret);
    expect(await readWebhookSecret(system.db, webhookSecretBox('another server secret entirely'), firstId).catch((error: Error) => error.name)).toBe(
      'SecretUnreadableError',
    );

    const first = await fire();
    expect(verifyWebhook(first.delivery.signature, first.delivery.body, firstSecret)).toMatchObject({ ok: true });

    // An edit that leaves the actions alone, and one that sends them back as read (secretId), keep it.
    expect((await system.request('PATCH', `/api/rules/${ruleId}`, { token: admin, body: { name: 'Webhook secret probe (renamed)' } })).status).toBe(200);
    const read = await system.request('GET', `/api/rules/${ruleId}`, { token: admin });
    const resent = await system.request('PATCH', `/api/rules/${ruleId}`, { token: admin, body: { actions: read.body.rule.actions } });
    expect(resent.status).toBe(200);
    expect(resent.body.rule.actions[0].secretId).toBe(firstId);
    const kept = await fire();
    expect(verifyWebhook(kept.delivery.signature, kept.delivery.body, firstSecret)).toMatchObject({ ok: true });

    // A secretId of no secret of this rule is refused; a new secret replaces the old one, whose row goes.
    const foreign = await system.request('PATCH', `/api/rules/${ruleId}`, {
      token: admin,
      body: { actions: [{ type: 'call_webhook', url: receiverUrl, secretId: '0b8a3c3e-2f57-4f0e-9e0a-3a1c5d7e9b11' }] },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details).toEqual([{ path: 'actions.0.secret', message: expect.stringContaining('secretId names no secret of this rule') }]);
    const replaced = await system.request('PATCH', `/api/rules/${ruleId}`, {
      token: admin,
      body: { actions: [{ type: 'call_webhook', url: receiverUrl, secret: secondSecret }] },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.rule.actions[0].secretId).not.toBe(firstId);
    expect((await system.db.ruleSecret.findMany({ where: { ruleId } })).map((row) => row.id)).toEqual([replaced.body.rule.actions[0].secretId]);
    const second = await fire();
    expect(verifyWebhook(second.delivery.signature, second.delivery.body, secondSecret)).toMatchObject({ ok: true });
    expect(verifyWebhook(second.delivery.signature, second.delivery.body, firstSecret)).toMatchObject({ ok: false });

    // Reads: admins see the id only; agents are refused.
    const reads = ['/api/rules', `/api/rules/${ruleId}`, '/api/rules/export'];
    for (const path of reads) {
      const answer = await system.request('GET', path, { token: admin });
      expect(answer.status, path).toBe(200);
      expect(JSON.stringify(answer.body), path).not.toContain(firstSecret);
      expect(JSON.stringify(answer.body), path).not.toContain(secondSecret);
      expect((await system.request('GET', path, { token: agent })).status, path).toBe(403);
    }
    expect((await system.request('GET', `/api/rules/${ruleId}`, { token: admin })).body.versions).toHaveLength(4);

    // Export leaves the secret (and its id) out; importing asks for it again.
    const exported = (await system.request('GET', '/api/rules/export', { token: admin })).body as { name: string; actions: unknown[] }[];
    const probe = exported.find((rule) => rule.name === 'Webhook secret probe (renamed)')!;
    expect(probe.actions).toEqual([{ type: 'call_webhook', url: receiverUrl }]);
    const bare = await system.request('POST', '/api/rules/import', { token: admin, body: { rules: [{ ...probe, enabled: false }] } });
    expect(bare.status).toBe(400);
    expect(bare.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(['rules.0.actions.0.secret']);
    const reentered = await system.request('POST', '/api/rules/import', {
      token: admin,
      body: { rules: [{ ...probe, enabled: false, actions: [{ type: 'call_webhook', url: receiverUrl, secret: secondSecret }] }] },
    });
    expect(reentered.status).toBe(201);

    // Dry-run answers without the secret it was given.
    const dryRun = await system.request('POST', '/api/rules/dry-run', {
      token: admin,
      body: { rule: { ...probeRule({ secret: firstSecret }), trigger: { on: 'message_received', from: 'customer' } }, days: 1 },
    });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.matched.conversations).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(dryRun.body)).not.toContain(firstSecret);

    // Nowhere stored in clear: not in any event (rule.created/updated/imported audits, live pushes), version or rule.
    for (const value of [firstSecret, secondSecret]) {
      expect(await rowsHolding('Event', 'payload', value), value).toBe(0);
      expect(await rowsHolding('AutomationRuleVersion', 'actions', value), value).toBe(0);
      expect(await rowsHolding('AutomationRule', 'actions', value), value).toBe(0);
    }
    // Nor in the workflow's history: the action carries the secret's id, the activity opens it.
    const { workflowId } = await system.db.conversation.findUniqueOrThrow({ where: { id: second.conversationId } });
    const history = historyText(await system.temporal.workflow.getHandle(workflowId).fetchHistory()).join('\n');
    expect(history).toContain(replaced.body.rule.actions[0].secretId);
    expect(history).not.toContain(secondSecret);
    await system.request('DELETE', `/api/rules/${ruleId}`, { token: admin });
    await system.request('DELETE', `/api/rules/${reentered.body.rules[0].id}`, { token: admin });
    expect(await system.db.ruleSecret.count({ where: { ruleId } })).toBe(0);
  });

  it("moves secrets stored in clear before this change: the migration strips versions and events, the start seals the rule's", async () => {
    const legacySecret = 'whsec_legacy_71d3b5f0c2a94e68';
    // A rule as the previous release stored it: plaintext in the rule, its version and its audit event.
    const legacyActions = [{ type: 'call_webhook', url: receiverUrl, secret: legacySecret }];
    const rule = await system.db.automationRule.create({
      data: {
        name: 'Legacy webhook',
        enabled: true,
        scope: 'conversation',
        trigger: { on: 'conversation_created' },
        conditions: { all: [{ field: 'message.text', op: 'contains', value: 'webhook-secret-probe' }] },
        actions: legacyActions,
        versions: {
          create: {
            version: 1,
            name: 'Legacy webhook',
            enabled: true,
            scope: 'conversation',
            trigger: { on: 'conversation_created' },
            conditions: { all: [] },
            actions: legacyActions,
          },
        },
      },
    });
    await system.db.event.create({
      data: { type: 'rule.created', actorKind: 'agent', internal: true, payload: { before: null, after: { id: rule.id, actions: legacyActions } } },
    });

    // The migration's hand-written SQL (it ran on this database's template; run again on these rows).
    const sql = await readFile(new URL('../prisma/migrations/20261206171830_rule_secrets/migration.sql', import.meta.url), 'utf8');
    const client = new pg.Client({ connectionString: system.databaseUrl });
    await client.connect();
    try {
      await client.query(sql.slice(sql.indexOf('-- Hand-written below this line')));
    } finally {
      await client.end();
    }
    expect(await rowsHolding('Event', 'payload', legacySecret)).toBe(0);
    expect(await rowsHolding('AutomationRuleVersion', 'actions', legacySecret)).toBe(0);
    expect(await rowsHolding('AutomationRule', 'actions', legacySecret)).toBe(1);

    // What the API and the worker run at start: the rule's secret sealed away, once.
    const box = webhookSecretBox(serverSecret);
    expect(await moveLegacyWebhookSecrets(system.db, box)).toBe(1);
    expect(await moveLegacyWebhookSecrets(system.db, box)).toBe(0);
    expect(await rowsHolding('AutomationRule', 'actions', legacySecret)).toBe(0);
    const [action] = (await system.db.automationRule.findUniqueOrThrow({ where: { id: rule.id } })).actions as { secretId: string }[];
    expect(await readWebhookSecret(system.db, box, action!.secretId)).toBe(legacySecret);

    // And the webhook still arrives signed with it.
    const visitor = await system.visitor();
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'webhook-secret-probe: legacy' } });
    const conversationId = started.body.conversation.id as string;
    const delivery = await waitUntil(async () => deliveries.find((entry) => JSON.parse(entry.body).conversation?.id === conversationId) ?? null, 30_000);
    expect(verifyWebhook(delivery.signature, delivery.body, legacySecret)).toMatchObject({ ok: true });
    await system.request('DELETE', `/api/rules/${rule.id}`, { token: admin });
  });
});
