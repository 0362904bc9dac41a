// `npm run histories:record`: records workflow histories for the replay test
// (workflows/replay.integration-test.ts). Starts a private stack (embedded PostgreSQL in a temp
// folder, migrated and seeded; an in-memory Temporal dev server; the API and a worker in this
// process), drives each scenario through REST the way the console and the widget do, waits until
// the workflow is quiet, and writes its history to workflows/histories/<scenario>.json.
//
// Re-record only on purpose: the files are the workflows as earlier code ran them, and a run
// overwrites them. After a change that replay rejects, make it safe with `patched()` or
// versioning first; keep the old files (rename them, e.g. `conversation-lifecycle.v1.json`) so
// replay keeps proving the old histories still run, then record.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startApi } from '../api/server.js';
import { agentWorkflowId, conversationWorkflowId, emailDeliveryWorkflowId, ticketWorkflowId } from '../domain/workflow-ids.js';
import { createAuthenticator } from '../infra/auth/principal.js';
import { createAi } from '../infra/ai/create-ai.js';
import { createDb } from '../infra/db.js';
import { createMailer } from '../infra/email/mailer.js';
import { createPostgresSearch } from '../infra/search/postgres-search.js';
import { webhookSecretBox } from '../infra/secrets/webhook-secrets.js';
import { projectRoot } from '../infra/env.js';
import { startEmbeddedPostgres } from '../infra/local/postgres.js';
import { findTemporalCli, startDevServer } from '../infra/local/temporal.js';
import { demoPassword } from '../prisma/demo-data.js';
import { applyMigrations } from '../prisma/migrate/migrations.js';
import { seedDemoData } from '../prisma/seed.js';
import { freePort } from '../test/support/free-port.js';
import { historyToJson } from '../test/support/history-json.js';
import { startSmtpInbox } from '../test/support/smtp-inbox.js';
import { openSocket, type TestSocket } from '../test/support/socket-client.js';
import { createWorker } from '../worker/create-worker.js';
import { stateQuery, type ConversationState } from '../workflows/conversation.messages.js';

// HISTORIES_DIR: write elsewhere, to add one new recording under a name of its own without
// overwriting the files replay keeps as the workflows earlier code ran.
const outputDir = process.env.HISTORIES_DIR ?? path.join(projectRoot, 'workflows', 'histories');
const say = (line: string) => console.log(`[record-histories] ${line}`);
const taskQueue = 'record-histories';

// Response bodies are JSON read field by field; a wrong field fails the scenario loudly.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

Runtime.install({ logger: new DefaultLogger('WARN') });
const stack: { name: string; stop(): Promise<void> }[] = [];
const stopAll = async () => {
  for (const part of stack.reverse()) await part.stop().catch((error: unknown) => say(`${part.name} did not stop cleanly: ${String(error)}`));
};

try {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'seamless-histories-'));
  stack.push({ name: 'data folder', stop: () => rm(dataDir, { recursive: true, force: true }) });
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'seamless' });
  stack.push({ name: 'PostgreSQL', stop: postgres.stop });
  await applyMigrations(postgres.url);
  const db = createDb(postgres.url, { poolSize: 5 });
  stack.push({ name: 'database client', stop: () => db.$disconnect() });
  await seedDemoData(db);
  const temporalServer = await startDevServer({ port: await freePort(), cliPath: findTemporalCli(process.env.TEMPORAL_CLI, say) ?? undefined });
  stack.push({ name: 'Temporal', stop: temporalServer.stop });
  say(`PostgreSQL and Temporal ready (${temporalServer.address})`);

  const connection = await Connection.connect({ address: temporalServer.address });
  stack.push({ name: 'Temporal client', stop: () => connection.close() });
  const temporal = new Client({ connection, namespace: 'default' });
  const workerConnection = await NativeConnection.connect({ address: temporalServer.address });
  stack.push({ name: 'worker connection', stop: () => workerConnection.close() });
  const secret = randomBytes(48).toString('base64url');
  // Agents' email replies go to an SMTP server of the script's own, which refuses refused@… (550).
  const smtp = await startSmtpInbox({ refuse: (address) => address.startsWith('refused@') });
  stack.push({ name: 'SMTP server', stop: smtp.close });
  const mailFrom = 'Seamless <support@seamless.local>';
  const worker = await createWorker({
    connection: workerConnection,
    namespace: 'default',
    taskQueue,
    db,
    temporal,
    ai: createAi(),
    search: createPostgresSearch(db),
    mailer: createMailer({ SMTP_URL: smtp.url, MAIL_FROM: mailFrom }),
    webhookSecrets: webhookSecretBox(secret),
    outboundEmail: { secret, mailFrom },
  });
  const workerRun = worker.run();
  stack.push({
    name: 'worker',
    stop: async () => {
      worker.shutdown();
      await workerRun;
    },
  });
  const api = await startApi({
    db,
    temporal,
    taskQueue,
    secret,
    authenticate: createAuthenticator(db, secret),
    log: (message, error) => say(`api: ${message} ${String(error ?? '')}`),
    databaseUrl: postgres.url,
    host: '127.0.0.1',
    port: 0,
  });
  stack.push({ name: 'API', stop: api.close });

  const request = async (method: string, route: string, token: string | null, body?: unknown, expected = [200, 201]): Promise<Body> => {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${api.url}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (!expected.includes(response.status)) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const login = async (email: string) => (await request('POST', '/api/auth/login', null, { email, password: demoPassword })).token as string;
  const visitor = async () => (await request('POST', '/api/widget/visitors', null, { name: 'Recorded Visitor' })).token as string;
  const sockets: TestSocket[] = [];
  stack.push({ name: 'sockets', stop: async () => void (await Promise.all(sockets.map((socket) => socket.close()))) });

  const admin = await login('admin@seamless.local'); // sees every event; never routed work
  const watch = await openSocket(api.url, admin);
  sockets.push(watch);
  const alex = await login('agent@seamless.local'); // junior, skills: cards
  const expert = await login('expert@seamless.local'); // Specialists team
  const users = Object.fromEntries((await db.user.findMany()).map((user) => [user.email, user.id]));

  const lastEventId = () => watch.events().at(-1)?.id ?? '0';
  const eventAfter = (type: string, conversationId: string, after: string) =>
    watch.waitForEvent((event) => event.type === type && event.conversationId === conversationId && BigInt(event.id) > BigInt(after));
  const conversationState = (conversationId: string) => temporal.workflow.getHandle(conversationWorkflowId(conversationId)).query(stateQuery);
  const expectState = async (conversationId: string, expected: Partial<ConversationState>) => {
    // Queries are consistent: the answer reflects every signal sent before it.
    const state = await conversationState(conversationId);
    for (const [key, value] of Object.entries(expected)) {
      if (state[key as keyof ConversationState] !== value)
        throw new Error(`conversation ${conversationId}: ${key} is ${String(state[key as keyof ConversationState])}, expected ${String(value)}`);
    }
  };
  const openConversation = async (token: string, body: string) => {
    const before = lastEventId();
    const started = await request('POST', '/api/widget/conversations', token, { body });
    const id = started.conversation.id as string;
    await eventAfter('conversation.assigned', id, before);
    return id;
  };

  const recorded: Record<string, WorkflowHandle> = {};

  say('scenario conversation-self-service');
  {
    // The demo data turns the bot on; it answers a question the knowledge base covers.
    const customer = await visitor();
    const before = lastEventId();
    const started = await request('POST', '/api/widget/conversations', customer, { body: 'Why is my transfer still pending?' });
    const id = started.conversation.id as string;
    await eventAfter('bot.answered', id, before);
    // The answer is stored by the activity; the workflow takes the status from its result.
    await waitFor('the bot to hold the conversation', async () => (await conversationState(id)).status === 'bot', 20_000);
    const beforeHandOff = lastEventId();
    await request('POST', `/api/widget/conversations/${id}/bot-feedback`, customer, { outcome: 'not_helpful' });
    await eventAfter('conversation.assigned', id, beforeHandOff);
    await request('POST', `/api/conversations/${id}/resolve`, admin);
    await expectState(id, { status: 'resolved' });
    recorded['conversation-self-service'] = temporal.workflow.getHandle(conversationWorkflowId(id));
    // The scenarios below are about people's work.
    await request('PATCH', '/api/settings/self-service', admin, { enabled: false });
  }

  say('scenario conversation-rules');
  {
    const rule = {
      name: 'Refunds: tag and raise',
      enabled: true,
      scope: 'conversation',
      trigger: { on: 'message_received', from: 'customer' },
      conditions: { all: [{ field: 'message.text', op: 'contains', value: '退款' }] },
      actions: [
        { type: 'add_tag', tag: 'refund' },
        { type: 'set_priority', priority: 'high' },
      ],
    };
    const { rule: created } = await request('POST', '/api/rules', admin, rule);
    const customer = await visitor();
    const id = await openConversation(customer, '我的卡被扣了两次费用，我要退款');
    await expectState(id, { priority: 'high' });
    await request('POST', `/api/conversations/${id}/resolve`, admin);
    await expectState(id, { status: 'resolved' });
    recorded['conversation-rules'] = temporal.workflow.getHandle(conversationWorkflowId(id));
    await request('PATCH', `/api/rules/${created.id}`, admin, { enabled: false });
  }

  say('scenario conversation-lifecycle');
  {
    const customer = await visitor();
    const id = await openConversation(customer, 'My card was declined at the shop');
    const widget = `/api/widget/conversations/${id}/messages`;
    const agentApi = `/api/conversations/${id}`;
    await request('POST', `${agentApi}/messages`, alex, { body: 'Sorry about that, let me check.' });
    await expectState(id, { waitingOn: 'customer' });
    await request('POST', widget, customer, { body: 'Thanks, it is the blue card' });
    await expectState(id, { waitingOn: 'agent' });
    await request('POST', `${agentApi}/snooze`, alex, { until: new Date(Date.now() + 60_000).toISOString() });
    await expectState(id, { status: 'snoozed' });
    await request('POST', widget, customer, { body: 'Any news?' }); // wakes it before the timer
    await expectState(id, { status: 'open' });
    const specialists = await db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
    const beforeTransfer = lastEventId();
    await request('POST', `${agentApi}/transfer`, alex, { toTeamId: specialists.id });
    await eventAfter('conversation.assigned', id, beforeTransfer);
    await expectState(id, { status: 'open', assigneeId: users['expert@seamless.local'] });
    await request('POST', `${agentApi}/priority`, expert, { priority: 'high' });
    await request('POST', `${agentApi}/resolve`, expert);
    const beforeReopen = lastEventId();
    await request('POST', widget, customer, { body: 'Sorry, one more thing' });
    await eventAfter('conversation.reopened', id, beforeReopen);
    await request('POST', `${agentApi}/resolve`, expert);
    await expectState(id, { status: 'resolved' });
    recorded['conversation-lifecycle'] = temporal.workflow.getHandle(conversationWorkflowId(id));
  }

  say('scenario conversation-merged');
  {
    const customer = await visitor();
    const target = await openConversation(customer, 'My card was declined');
    const source = await openConversation(customer, 'My card was declined again');
    await request('POST', `/api/conversations/${source}/merge`, admin, { intoConversationId: target });
    const handle = temporal.workflow.getHandle(conversationWorkflowId(source));
    await handle.result(); // a merged conversation's workflow completes
    recorded['conversation-merged'] = handle;
  }

  say('scenario ticket-lifecycle');
  {
    const customer = await visitor();
    const conversationId = await openConversation(customer, 'My card was declined and I was charged twice');
    const { ticket } = await request('POST', `/api/conversations/${conversationId}/ticket`, alex, { subject: 'Double charge on a declined card' });
    for (const status of ['pending', 'open', 'solved']) {
      const changed = await request('POST', `/api/tickets/${ticket.id}/status`, alex, { status });
      if (changed.ticket.status !== status) throw new Error(`ticket ${ticket.id} is ${changed.ticket.status}, expected ${status}`);
    }
    recorded['ticket-lifecycle'] = temporal.workflow.getHandle(ticketWorkflowId(ticket.id));
  }

  say('scenario agent-presence');
  {
    // A short grace period (3 s, written to the organisation's settings as the routing test does) so
    // the offline timer fires within the run.
    const organization = await db.organization.findUniqueOrThrow({ where: { id: 1 } });
    await db.organization.update({ where: { id: 1 }, data: { settings: { ...(organization.settings as object), offlineGraceMinutes: 0.05 } } });
    const lina = await login('lina@seamless.local'); // online
    const handle = temporal.workflow.getHandle(agentWorkflowId(users['lina@seamless.local']!));
    await request('PUT', '/api/me/presence', lina, { presence: 'offline' });
    await waitFor(
      'the offline grace timer of lina',
      async () => (await handle.fetchHistory()).events?.some((event) => event.timerFiredEventAttributes) ?? false,
      20_000,
    );
    await request('PUT', '/api/me/presence', lina, { presence: 'online' });
    recorded['agent-presence'] = handle;
  }

  say('scenario conversation-reply-takes');
  {
    // Nobody takes routed work: the conversation waits in the queue until an agent replies to it,
    // and the reply assigns it to them (the 'reply-takes-conversation' patch).
    await db.user.updateMany({ data: { presence: 'away' } });
    const customer = await visitor();
    const before = lastEventId();
    const started = await request('POST', '/api/widget/conversations', customer, { body: 'I was charged twice for one payment' });
    const id = started.conversation.id as string;
    await eventAfter('conversation.classified', id, before);
    await expectState(id, { status: 'queued' });
    const beforeReply = lastEventId();
    await request('POST', `/api/conversations/${id}/messages`, alex, { body: 'Let me look at both charges.' });
    await eventAfter('conversation.assigned', id, beforeReply);
    await expectState(id, { status: 'open', assigneeId: users['agent@seamless.local'] });
    await request('POST', `/api/conversations/${id}/resolve`, alex);
    await expectState(id, { status: 'resolved' });
    recorded['conversation-reply-takes'] = temporal.workflow.getHandle(conversationWorkflowId(id));
  }

  say('scenario conversation-automated-mail');
  {
    // An out-of-office reply comes in by the email webhook with the bot on and a rule on every
    // customer message: neither answers it (the 'quiet-automated-mail' patch), a person gets it.
    // Resolved, another auto-reply in its thread reopens it (a messagePosted with autoAnswer false).
    await request('PATCH', '/api/settings/self-service', admin, { enabled: true });
    const { rule: created } = await request('POST', '/api/rules', admin, {
      name: 'Acknowledge every message',
      enabled: true,
      scope: 'conversation',
      trigger: { on: 'message_received', from: 'customer' },
      conditions: { all: [] },
      actions: [{ type: 'add_tag', tag: 'acknowledged' }],
    });
    await db.user.update({ where: { email: 'agent@seamless.local' }, data: { presence: 'online' } });
    const channel = await db.channel.findFirstOrThrow({ where: { kind: 'email' } });
    await db.channel.update({ where: { id: channel.id }, data: { enabled: true } });
    const { secret } = await request('POST', `/api/channels/${channel.id}/inbound-email-secret`, admin);
    const autoReply = async (messageId: string, inReplyTo: string | null) => {
      const headers = [
        'From: Carol <carol@corp.example.net>',
        'To: support@seamless.local',
        'Subject: Automatic reply: My card was declined',
        `Message-ID: <${messageId}>`,
        ...(inReplyTo ? [`In-Reply-To: <${inReplyTo}>`] : []),
        'Auto-Submitted: auto-replied',
        'Content-Type: text/plain; charset=utf-8',
      ];
      const response = await fetch(`${api.url}/api/inbound/email/${channel.id}`, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': secret },
        body: `${headers.join('\r\n')}\r\n\r\nI am out of the office until Monday. My card was declined.\r\n`,
      });
      if (response.status !== 202) throw new Error(`the webhook answered ${response.status}: ${await response.text()}`);
      return ((await response.json()) as { conversationId: string }).conversationId;
    };
    const before = lastEventId();
    const id = await autoReply('oof-1@corp.example.net', null);
    await eventAfter('conversation.assigned', id, before);
    await request('POST', `/api/conversations/${id}/resolve`, admin);
    await expectState(id, { status: 'resolved' });
    const beforeReopen = lastEventId();
    if ((await autoReply('oof-2@corp.example.net', 'oof-1@corp.example.net')) !== id) throw new Error('the second auto-reply did not thread');
    await eventAfter('conversation.reopened', id, beforeReopen);
    await request('POST', `/api/conversations/${id}/resolve`, admin);
    await expectState(id, { status: 'resolved' });
    const tagged = await db.conversation.findUniqueOrThrow({ where: { id } });
    if (tagged.tags.length > 0) throw new Error(`a rule ran on automated mail: ${tagged.tags.join(', ')}`);
    recorded['conversation-automated-mail'] = temporal.workflow.getHandle(conversationWorkflowId(id));
    await request('PATCH', `/api/rules/${created.id}`, admin, { enabled: false });
  }

  say('scenario email-delivery-sent, email-delivery-refused');
  {
    // A customer mails in by the webhook; the admin's reply is mailed (sent), and a reply to an
    // address the SMTP server refuses for good is "not delivered" at once.
    const channel = await db.channel.findFirstOrThrow({ where: { kind: 'email' } });
    await db.channel.update({
      where: { id: channel.id },
      data: { enabled: true, settings: { address: 'help@seamless.local', signature: 'The Seamless team' } },
    });
    const { secret: webhookSecret } = await request('POST', `/api/channels/${channel.id}/inbound-email-secret`, admin);
    const mailIn = async (from: string, messageId: string) => {
      const raw = [
        `From: ${from}`,
        'To: help@seamless.local',
        'Subject: Where is my parcel?',
        `Message-ID: <${messageId}>`,
        'Content-Type: text/plain; charset=utf-8',
      ];
      const response = await fetch(`${api.url}/api/inbound/email/${channel.id}`, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': webhookSecret },
        body: `${raw.join('\r\n')}\r\n\r\nIt has been a week.\r\n`,
      });
      if (response.status !== 202) throw new Error(`the webhook answered ${response.status}: ${await response.text()}`);
      return ((await response.json()) as { conversationId: string }).conversationId;
    };
    for (const [scenario, from, type] of [
      ['email-delivery-sent', 'dana@example.com', 'message.email_sent'],
      ['email-delivery-refused', 'refused@example.com', 'message.email_failed'],
    ] as const) {
      const id = await mailIn(from, `${scenario}@mail.example.com`);
      const before = lastEventId();
      const { message } = await request('POST', `/api/conversations/${id}/messages`, admin, { body: 'It ships **today**.' });
      await eventAfter(type, id, before);
      recorded[scenario] = temporal.workflow.getHandle(emailDeliveryWorkflowId(message.id));
    }
    if (smtp.received.length !== 1) throw new Error(`${smtp.received.length} mails arrived, expected 1`);
  }

  await mkdir(outputDir, { recursive: true });
  for (const [scenario, handle] of Object.entries(recorded)) {
    const history = await quietHistory(handle);
    const file = path.join(outputDir, `${scenario}.json`);
    await writeFile(file, historyToJson(history));
    say(`${scenario}: ${history.events?.length ?? 0} events → ${path.relative(projectRoot, file)}`);
  }
  await stopAll();
} catch (error) {
  console.error(error);
  await stopAll();
  process.exit(1);
}

/** The history once nothing is in flight: closed, or no workflow task and no activity pending. */
async function quietHistory(handle: WorkflowHandle): Promise<History> {
  await waitFor(`${handle.workflowId} to settle`, async () => {
    const { status, raw } = await handle.describe();
    return status.name !== 'RUNNING' || (!raw.pendingWorkflowTask && (raw.pendingActivities?.length ?? 0) === 0);
  });
  return handle.fetchHistory();
}

/** Polls a condition with a deadline (a script, not a test: short polls keep it simple). */
async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
