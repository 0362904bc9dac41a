// The what-if job end to end (issue 22 part 2: "100,000 conversations replayed in under a minute,
// or state the figure reached and where the time goes"). bench/what-if-replay.ts times the
// in-memory engine alone; this one times the durable job as an admin runs it. Starts its own stack
// (embedded PostgreSQL, Temporal dev server, the API and the worker as processes), seeds in SQL
// `--conversations` conversations over the last 90 days with their event logs as the product
// writes them (created, customer and agent messages, private notes, bot answers and declines with
// their explanation, hand-offs, assignments with their routing explanation, snoozes, priority
// changes, SLA warnings and breaches, resolutions and reopenings: about 12 events each), ANALYZEs,
// then runs three jobs through the real API (POST /api/what-if, then GET /api/what-if/:id every
// `--poll-ms` until done): an SLA policy in business hours, the bot threshold, and routing seats.
//
// Where the time goes, per kind: the CPU each process used during the job (worker, PostgreSQL,
// Temporal), and one batch's phases timed in this process with the activity's own queries
// (activities/what-if-activities.ts): the conversation page, the events read (Prisma, as the
// worker does), the replay (domain/what-if.ts tallyBatch) and the size of the tally the activity
// writes back after every batch; with the EXPLAIN (ANALYZE, BUFFERS) plans of the two reads
// (tmp/bench-what-if-job-plans.txt).
//
//   npx tsx bench/what-if-job.ts [--conversations 100000] [--agents 40] [--seats 8] [--poll-ms 250] [--verbose]
//
// Prints one JSON line on stdout (also tmp/bench-what-if-job-latest.json), then a table on stderr.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { defaultHours, slaPlanOf } from '../activities/sla-plans.js';
import { parseBusinessCalendar } from '../domain/business-hours.js';
import type { RecordedEvent } from '../domain/rules/replay.js';
import type { SlaPlan } from '../domain/sla-plan.js';
import type { Priority } from '../domain/vocabulary.js';
import { emptyTally, tallyBatch, type WhatIfCandidate } from '../domain/what-if.js';
import { createDb, type Db } from '../infra/db.js';
import { projectRoot } from '../infra/env.js';
import { defaultWhatIfBatchSize } from '../workflows/what-if.js';
import { login, prepareAgents } from './support/agents.js';
import { CpuMonitor, machineInfo, type CpuUsage } from './support/cpu.js';
import { freePort } from './support/free-port.js';
import { createHttpClient, type HttpClient } from './support/http-client.js';
import { positiveFlags } from './support/positive-flags.js';
import { serviceEnv } from './support/service-env.js';
import { Cleanup, printReport, runBench, startInfrastructure, startServices, stopOnSignals } from './support/stack.js';

const log = (line: string) => process.stderr.write(`[bench:what-if-job] ${line}\n`);
const usage = 'npx tsx bench/what-if-job.ts [--conversations 100000] [--agents 40] [--seats 8] [--poll-ms 250] [--verbose]\n';
const options = positiveFlags(usage, { conversations: 100_000, agents: 40, seats: 8, 'poll-ms': 250 });
const days = 90;
const dayMs = 86_400_000;

const cleanup = new Cleanup();
stopOnSignals(cleanup, log);
const cpu = new CpuMonitor();

// A small seeded PRNG (mulberry32): the same histories on every run.
let state = 0x2e_91a5;
function random(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const minutes = (low: number, high: number) => Math.round((low + random() * (high - low)) * 60_000);

interface Fixture {
  agents: { id: string; name: string; teamId: string | null }[];
  channelId: string;
  customers: number;
  /** The end of the seeded period: every event is before it (the job's period ends at its start). */
  end: number;
}

interface ConversationRow {
  id: string;
  number: number;
  workflowId: string;
  customerId: string;
  channelId: string;
  status: string;
  priority: Priority;
  tier: string;
  assigneeId: string | null;
  teamId: string | null;
  createdAt: string;
  lastMessageAt: string;
  resolvedAt: string | null;
}

interface EventRow {
  type: string;
  occurredAt: string;
  actorKind: 'customer' | 'agent' | 'bot' | 'system';
  actorId: string | null;
  customerId: string;
  conversationId: string;
  teamId: string | null;
  assigneeId: string | null;
  internal: boolean;
  payload: Record<string, unknown>;
}

const customerIds: string[] = [];
const customerOf = (index: number) => customerIds[index % customerIds.length]!;
const bodies = [
  'Hello, my order has not arrived yet. Can you check the tracking number for me?',
  'The payment failed twice this morning and I was charged anyway.',
  'I would like to change my delivery address before it ships.',
  'Thanks, that solved it!',
  '你好，我的订单还没有到，请帮我查一下物流单号。',
  '更新以后账户被锁定了，怎么办？',
];
const priorities: Priority[] = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'];
const skills = ['billing', 'cards', 'transfers', null, null];

/**
 * One conversation and its log, as the workflow and the API append it (contract/events.ts): every
 * conversation event carries the conversation's view as it then stood.
 */
function conversationWithLog(index: number, fixture: Fixture): { conversation: ConversationRow; events: EventRow[] } {
  const id = randomUUID();
  const customerId = customerOf(index);
  // Spread evenly over the period, half a day inside both ends: the job's period starts later than
  // the seed's (by the seeding time), and the last conversations' logs run on for hours.
  const created = fixture.end - (days - 0.5) * dayMs + Math.floor(((index + random()) / options.conversations) * (days - 1.5) * dayMs);
  let at = created;
  const priority = pick(priorities);
  const tier = random() < 0.2 ? 'expert' : 'junior';
  const skill = pick(skills);
  const async = random() < 0.3; // mail-like: hours between replies; else chat: minutes
  const gap = () => (async ? minutes(20, 600) : minutes(1, 25));
  const agent = pick(fixture.agents);
  const view: Record<string, unknown> = {
    id,
    number: index + 1,
    status: 'queued',
    waitingOn: 'agent',
    priority,
    tier,
    subject: null,
    channelKind: 'web_chat',
    lastMessageAt: new Date(at).toISOString(),
    resolvedAt: null,
    snoozedUntil: null,
    tags: index % 10 === 0 ? ['billing'] : [],
    slaState: 'active',
    firstResponseDueAt: new Date(at + 3_600_000).toISOString(),
    nextResponseDueAt: null,
    resolutionDueAt: new Date(at + dayMs).toISOString(),
    createdAt: new Date(created).toISOString(),
    assigneeId: null,
    assigneeName: null,
    teamId: null,
    customerId,
    customer: { id: customerId, name: `Customer ${index % 50_000}`, email: `customer${index % 50_000}@example.com` },
  };
  const events: EventRow[] = [];
  const push = (type: string, actorKind: EventRow['actorKind'], payload: Record<string, unknown>, internal = false) =>
    events.push({
      type,
      occurredAt: new Date(at).toISOString(),
      actorKind,
      actorId: actorKind === 'agent' ? agent.id : actorKind === 'customer' ? customerId : null,
      customerId,
      conversationId: id,
      teamId: view.teamId as string | null,
      assigneeId: view.assigneeId as string | null,
      internal,
      payload,
    });
  const onConversation = (extra: Record<string, unknown> = {}) => ({ conversation: { ...view }, ...extra });
  const message = (authorKind: 'customer' | 'agent', isPrivate = false) => {
    view.lastMessageAt = new Date(at).toISOString();
    push(
      'message.created',
      authorKind,
      {
        message: {
          id: randomUUID(),
          conversationId: id,
          authorKind,
          authorUserId: authorKind === 'agent' ? agent.id : null,
          authorName: authorKind === 'agent' ? agent.name : `Customer ${index % 50_000}`,
          body: pick(bodies),
          private: isPrivate,
          metadata: null,
          createdAt: new Date(at).toISOString(),
        },
      },
      isPrivate,
    );
  };
  const botExplanation = (outcome: 'answered' | 'declined', confidence: number) => ({
    kind: 'bot',
    outcome,
    reason: outcome === 'declined' ? 'low_confidence' : null,
    confidence,
    threshold: 0.7,
    calibrated: false,
    alternatives: [
      { title: 'Where is my order?', score: confidence },
      { title: 'Changing a delivery address', score: Math.round(confidence * 80) / 100 },
      { title: 'Refunds and returns', score: Math.round(confidence * 60) / 100 },
    ],
  });
  const resolved = () => {
    view.status = 'resolved';
    view.resolvedAt = new Date(at).toISOString();
    view.slaState = 'none';
  };

  push('conversation.created', 'customer', onConversation());
  message('customer');
  if (random() < 0.35) {
    view.status = 'bot';
    at += minutes(0.05, 0.2);
    const confidence = Math.round((0.35 + random() * 0.6) * 1000) / 1000;
    if (confidence >= 0.7) {
      push(
        'bot.answered',
        'bot',
        onConversation({ confidence, citations: [randomUUID()], provider: 'local', explanation: botExplanation('answered', confidence) }),
      );
      at += minutes(1, 20);
      if (random() < 0.5) {
        resolved();
        push('bot.assumed_resolved', 'bot', onConversation());
        return { conversation: rowOf(view, index, fixture, customerId, created, at), events };
      }
    } else {
      push('bot.declined', 'bot', { conversationId: id, reason: 'low_confidence', confidence, explanation: botExplanation('declined', confidence) }, true);
    }
    view.status = 'queued';
    push(
      'bot.handed_off',
      'bot',
      onConversation({ reason: 'low_confidence', summary: 'The customer asks about an order.', classification: { tier, language: 'en', priority } }),
    );
  }
  at += minutes(0, 3);
  const candidates = [agent, pick(fixture.agents), pick(fixture.agents)].map((candidate, position) => ({
    agentId: candidate.id,
    tier,
    teamId: candidate.teamId,
    presence: 'online',
    skilled: skill === null ? null : position === 0,
    open: Math.floor(random() * 4),
    capacity: 5,
    idleMinutes: Math.floor(random() * 60),
    verdict: position === 0 ? 'chosen' : 'more_load',
  }));
  Object.assign(view, { status: 'open', assigneeId: agent.id, assigneeName: agent.name, teamId: agent.teamId });
  push(
    'conversation.assigned',
    'system',
    onConversation({
      previousAssigneeId: null,
      explanation: {
        kind: 'routing',
        policy: 'least_loaded',
        outcome: 'assigned',
        tier,
        teamId: null,
        skill,
        skillFallback: false,
        overflow: false,
        candidates,
        more: 4,
      },
    }),
  );
  const exchanges = 1 + Math.floor(random() * 4);
  for (let exchange = 0; exchange < exchanges; exchange++) {
    at += gap();
    if (random() < 0.15) message('agent', true);
    message('agent');
    if (random() < 0.08) {
      const until = at + minutes(60, 1440);
      view.status = 'snoozed';
      view.snoozedUntil = new Date(until).toISOString();
      push('conversation.snoozed', 'agent', onConversation({ until: view.snoozedUntil }));
      at = until;
      view.status = 'open';
      view.snoozedUntil = null;
      push('conversation.unsnoozed', 'system', onConversation({ reason: 'timer' }));
    }
    if (random() < 0.06) {
      const from = view.priority;
      view.priority = 'urgent';
      push('conversation.priority_changed', 'agent', onConversation({ from, to: 'urgent' }));
    }
    at += gap();
    message('customer');
  }
  at += gap();
  message('agent');
  if (random() < 0.2) push('sla.warning', 'system', { conversationId: id, metric: 'first_response', kind: 'warning', dueAt: view.firstResponseDueAt }, true);
  if (random() < 0.1)
    push('sla.breached', 'system', { conversationId: id, metric: 'next_response', kind: 'breached', dueAt: new Date(at).toISOString() }, true);
  at += minutes(1, 30);
  resolved();
  push('conversation.resolved', 'agent', onConversation());
  if (random() < 0.08) {
    at += minutes(60, 2880);
    view.status = 'open';
    view.resolvedAt = null;
    push('conversation.reopened', 'customer', onConversation());
    message('customer');
    at += gap();
    message('agent');
    resolved();
    push('conversation.resolved', 'agent', onConversation());
  }
  return { conversation: rowOf(view, index, fixture, customerId, created, at), events };
}

function rowOf(view: Record<string, unknown>, index: number, fixture: Fixture, customerId: string, created: number, last: number): ConversationRow {
  return {
    id: view.id as string,
    number: index + 1,
    workflowId: `bench-what-if-${index}`,
    customerId,
    channelId: fixture.channelId,
    status: view.status as string,
    priority: view.priority as Priority,
    tier: view.tier as string,
    assigneeId: view.assigneeId as string | null,
    teamId: view.teamId as string | null,
    createdAt: new Date(created).toISOString(),
    lastMessageAt: new Date(last).toISOString(),
    resolvedAt: view.resolvedAt as string | null,
  };
}

/**
 * The seed: rows generated here, sent a few thousand at a time as one JSON parameter
 * (jsonb_to_recordset: one statement per chunk, no round trip per row), with triggers and
 * foreign-key checks off (replica role) and the Event indexes built once after the load.
 */
async function seed(client: pg.Client, fixture: Fixture): Promise<{ events: number; ms: Record<string, number> }> {
  const ms: Record<string, number> = {};
  const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await run();
    ms[name] = Math.round(performance.now() - started);
    log(`  ${name}: ${(ms[name] / 1000).toFixed(1)} s`);
    return result;
  };
  await client.query(`SET session_replication_role = replica; SET synchronous_commit = off; SET maintenance_work_mem = '512MB'`);
  await timed('customers', async () => {
    const rows = await client.query<{ id: string }>(
      `INSERT INTO "Customer" (id, name, email, "createdAt", "updatedAt")
       SELECT gen_random_uuid(), 'Customer ' || i, 'customer' || i || '@example.com', now() - interval '200 days', now()
       FROM generate_series(0, $1::int - 1) i RETURNING id`,
      [fixture.customers],
    );
    customerIds.push(...rows.rows.map((row) => row.id));
  });
  const indexes = (
    await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE tablename = 'Event' AND indexname <> 'Event_pkey'`,
    )
  ).rows;
  for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);
  let events = 0;
  await timed('conversations and events', async () => {
    const chunk = 2000;
    for (let start = 0; start < options.conversations; start += chunk) {
      const generated = Array.from({ length: Math.min(chunk, options.conversations - start) }, (_, offset) => conversationWithLog(start + offset, fixture));
      await client.query(
        `INSERT INTO "Conversation" (id, number, "workflowId", "customerId", "channelId", status, priority, tier, "assigneeId", "teamId", "createdAt", "lastMessageAt", "resolvedAt", "updatedAt")
         SELECT id, number, "workflowId", "customerId", "channelId", status::"ConversationStatus", priority::"Priority", tier::"RoutingTier", "assigneeId", "teamId", "createdAt", "lastMessageAt", "resolvedAt", now()
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, number int, "workflowId" text, "customerId" uuid, "channelId" uuid, status text, priority text, tier text,
           "assigneeId" uuid, "teamId" uuid, "createdAt" timestamp(3), "lastMessageAt" timestamp(3), "resolvedAt" timestamp(3))`,
        [JSON.stringify(generated.map((entry) => entry.conversation))],
      );
      const rows = generated.flatMap((entry) => entry.events);
      events += rows.length;
      await client.query(
        `INSERT INTO "Event" (type, "occurredAt", "actorKind", "actorId", "customerId", "conversationId", "teamId", "assigneeId", internal, payload)
         SELECT type, "occurredAt", "actorKind"::"ActorKind", "actorId", "customerId", "conversationId", "teamId", "assigneeId", internal, payload
         FROM jsonb_to_recordset($1::jsonb) AS r(type text, "occurredAt" timestamp(3), "actorKind" text, "actorId" uuid, "customerId" uuid, "conversationId" uuid,
           "teamId" uuid, "assigneeId" uuid, internal boolean, payload jsonb)
         ORDER BY "occurredAt"`,
        [JSON.stringify(rows)],
      );
      if ((start / chunk) % 10 === 9) log(`  ${start + chunk} conversations, ${events} events ...`);
    }
    // Numbers were given here: the sequence goes on after them.
    await client.query(`SELECT setval(pg_get_serial_sequence('"Conversation"', 'number'), (SELECT max(number) FROM "Conversation"))`);
  });
  await timed('event indexes', async () => {
    for (const index of indexes) await client.query(index.definition);
  });
  await client.query(`SET session_replication_role = origin`);
  // As a database that has been running a while: statistics, visibility map and hint bits set.
  await timed('vacuum analyze', () => client.query('VACUUM (ANALYZE)'));
  return { events, ms };
}

interface JobFigures {
  kind: string;
  conversations: number;
  seconds: number;
  conversationsPerSecond: number;
  status: string;
  /** The tally the activity read and wrote back with every batch, as it ended (KB of JSON). */
  finalTallyKb: number;
  /** processed/total as the API showed it while running (first few, then every tenth poll). */
  progress: { atS: number; processed: number; total: number }[];
  cpu: CpuUsage;
  batch: BatchPhases;
  result: unknown;
}

/** Starts a job as the admin, polls it until it ends; the client's wall time from the POST to the answer that shows it done. */
async function runJob(client: HttpClient, token: string, body: Record<string, unknown>): Promise<Omit<JobFigures, 'batch' | 'finalTallyKb'> & { id: string }> {
  const before = cpu.snapshot();
  const started = performance.now();
  const created = await client.request('POST', '/api/what-if', { token, body });
  if (created.status !== 202) throw new Error(`POST /api/what-if ${String(body.kind)}: ${created.status} ${created.text.slice(0, 300)}`);
  const id = created.body.whatIf.id as string;
  const progress: JobFigures['progress'] = [];
  for (let poll = 0; ; poll++) {
    const read = await client.request('GET', `/api/what-if/${id}`, { token });
    if (read.status !== 200) throw new Error(`GET /api/what-if/${id}: ${read.status} ${read.text.slice(0, 300)}`);
    const run = read.body.whatIf as { status: string; processed: number; total: number; result: { conversations: number } | null; error: string | null };
    const atS = Math.round(performance.now() - started) / 1000;
    if (poll < 5 || poll % 10 === 0 || run.status !== 'running') progress.push({ atS, processed: run.processed, total: run.total });
    if (run.status !== 'running') {
      const seconds = (performance.now() - started) / 1000;
      const usage = cpu.usage(before, cpu.snapshot());
      if (run.status !== 'completed') throw new Error(`the ${String(body.kind)} job ended ${run.status}: ${run.error ?? ''}`);
      const conversations = run.result?.conversations ?? run.processed;
      return {
        id,
        kind: String(body.kind),
        conversations,
        seconds: Math.round(seconds * 100) / 100,
        conversationsPerSecond: Math.round(conversations / seconds),
        status: run.status,
        progress,
        cpu: usage,
        result: run.result,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, options['poll-ms']));
  }
}

interface BatchPhases {
  batches: number;
  /** Averages over the sampled batches, ms. */
  pageQueryMs: number;
  eventsQueryMs: number;
  replayMs: number;
  eventsPerBatch: number;
  /** The tally's JSON after these batches alone (the job's own: finalTallyKb). */
  tallyKb: number;
}

/**
 * A few consecutive batches from the middle of the period, read and replayed here with the
 * activity's own queries (Prisma, as the worker runs them) and the domain's replay, each phase
 * timed: where a batch's time goes, without instrumenting the worker.
 */
async function batchPhases(db: Db, candidate: WhatIfCandidate, periodEnd: Date, samples = 6): Promise<BatchPhases> {
  const periodStart = new Date(periodEnd.getTime() - days * dayMs);
  const middle = new Date((periodStart.getTime() + periodEnd.getTime()) / 2);
  const tally = emptyTally(candidate.kind);
  type Cursor = { createdAt: Date; id: string };
  let cursor: Cursor | null = { createdAt: middle, id: '00000000-0000-0000-0000-000000000000' };
  const totals = { batches: 0, page: 0, events: 0, replay: 0, rows: 0 };
  for (let sample = 0; sample < samples && cursor; sample++) {
    const { createdAt, id }: Cursor = cursor;
    let started = performance.now();
    const conversations: Cursor[] = await db.conversation.findMany({
      where: { createdAt: { gte: periodStart, lt: periodEnd }, OR: [{ createdAt: { gt: createdAt } }, { createdAt, id: { gt: id } }] },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: defaultWhatIfBatchSize,
      select: { id: true, createdAt: true },
    });
    totals.page += performance.now() - started;
    const ids = conversations.map((conversation) => conversation.id);
    started = performance.now();
    const rows = await db.event.findMany({
      where: { conversationId: { in: ids }, occurredAt: { lt: periodEnd } },
      orderBy: { id: 'asc' },
      select: { id: true, type: true, occurredAt: true, payload: true, conversationId: true },
    });
    totals.events += performance.now() - started;
    totals.rows += rows.length;
    started = performance.now();
    const byConversation = new Map<string, RecordedEvent[]>(ids.map((conversationId) => [conversationId, []]));
    for (const row of rows)
      byConversation.get(row.conversationId!)?.push({
        id: String(row.id),
        type: row.type,
        occurredAt: row.occurredAt.toISOString(),
        payload: (row.payload ?? {}) as Record<string, unknown>,
      });
    tallyBatch(
      tally,
      ids.map((conversationId) => ({ id: conversationId, events: byConversation.get(conversationId)! })),
      candidate,
      periodEnd,
    );
    totals.replay += performance.now() - started;
    totals.batches += 1;
    const last = conversations.at(-1);
    cursor = last ? { createdAt: last.createdAt, id: last.id } : null;
  }
  const round = (value: number) => Math.round((value / Math.max(1, totals.batches)) * 10) / 10;
  return {
    batches: totals.batches,
    pageQueryMs: round(totals.page),
    eventsQueryMs: round(totals.events),
    replayMs: round(totals.replay),
    eventsPerBatch: Math.round(totals.rows / Math.max(1, totals.batches)),
    tallyKb: Math.round(Buffer.byteLength(JSON.stringify(tally)) / 102.4) / 10,
  };
}

/** The SLA candidate as the activity builds it: the seeded policies' plans, the candidate's in place of the edited one. */
async function slaCandidate(
  db: Db,
  body: { candidate: { policyId: string; businessHoursId: string; priority: Priority } & Record<string, number | string> },
): Promise<WhatIfCandidate> {
  const policies = await db.slaPolicy.findMany({ where: { enabled: true }, include: { businessHours: true }, orderBy: { name: 'asc' } });
  const fallback = await defaultHours(db, null, 'junior');
  const hours = await db.businessHours.findUniqueOrThrow({ where: { id: body.candidate.businessHoursId } });
  const plans = new Map<Priority, SlaPlan>();
  for (const policy of policies) if (!plans.has(policy.priority)) plans.set(policy.priority, slaPlanOf(policy, policy.businessHours ? null : fallback));
  const { candidate } = body;
  plans.set(candidate.priority, {
    ...plans.get(candidate.priority)!,
    firstResponseMinutes: Number(candidate.firstResponseMinutes),
    nextResponseMinutes: Number(candidate.nextResponseMinutes),
    resolutionMinutes: Number(candidate.resolutionMinutes),
    warningPercent: Number(candidate.warningPercent),
    calendar: parseBusinessCalendar({ timeZone: hours.timeZone, weekly: hours.weekly, holidays: hours.holidays }),
  });
  return { kind: 'sla_policy', planFor: (priority) => plans.get(priority) ?? null };
}

/** EXPLAIN (ANALYZE, BUFFERS) of the batch's two reads, as the activity's Prisma queries send them, for one batch in the middle. */
async function plans(client: pg.Client, periodEnd: Date): Promise<string> {
  const periodStart = new Date(periodEnd.getTime() - days * dayMs);
  const middle = new Date((periodStart.getTime() + periodEnd.getTime()) / 2);
  const page = `SELECT id, "createdAt" FROM "Conversation"
    WHERE "createdAt" >= $1 AND "createdAt" < $2 AND ("createdAt" > $3 OR ("createdAt" = $3 AND id > $4))
    ORDER BY "createdAt" ASC, id ASC LIMIT ${defaultWhatIfBatchSize} OFFSET 0`;
  const values = [periodStart, periodEnd, middle, '00000000-0000-0000-0000-000000000000'];
  // The plan spells the batch's 500 ids out: shortened to their count.
  const explain = async (sql: string, args: unknown[]) =>
    (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, args)).rows
      .map((row) => row['QUERY PLAN'].replace(/'\{[0-9a-f,-]{100,}\}'/g, (ids) => `'{${ids.split(',').length} ids}'`))
      .join('\n');
  const ids = (await client.query<{ id: string }>(page, values)).rows.map((row) => row.id);
  const events = `SELECT id, type, "occurredAt", payload, "conversationId" FROM "Event"
    WHERE "conversationId" = ANY($1::uuid[]) AND "occurredAt" < $2 ORDER BY id ASC OFFSET 0`;
  return `-- the conversation page\n${page}\n${await explain(page, values)}\n\n-- the batch's events\n${events}\n${await explain(events, [ids, periodEnd])}\n`;
}

async function main(): Promise<void> {
  log('starting PostgreSQL and Temporal ...');
  const infra = await startInfrastructure(cleanup, log);
  const agentPlan = await prepareAgents(infra.databaseUrl, options.agents, { cleanup, log, restore: false });
  const client = new pg.Client({ connectionString: infra.databaseUrl });
  await client.connect();
  cleanup.add('seed client', () => client.end());
  const agents = (
    await client.query<{ id: string; name: string; teamId: string | null }>(
      `SELECT id, name, "teamId" FROM "User" WHERE email = ANY($1::text[]) ORDER BY email`,
      [agentPlan.emails],
    )
  ).rows;
  const channelId = (await client.query<{ id: string }>(`SELECT id FROM "Channel" WHERE kind = 'web_chat' ORDER BY name LIMIT 1`)).rows[0]!.id;
  const end = Date.now() - 60_000;
  log(`seeding ${options.conversations} conversations over ${days} days with their event logs ...`);
  const seeded = await seed(client, { agents, channelId, customers: Math.max(1, Math.floor(options.conversations / 2)), end });
  log(`${seeded.events} events (${(seeded.events / options.conversations).toFixed(1)} per conversation)`);

  const apiUrl = `http://127.0.0.1:${await freePort()}`;
  log('starting the worker and the API ...');
  const { worker, api } = await startServices(serviceEnv(infra, apiUrl), apiUrl, { cleanup, verbose: options.verbose, log });
  cpu.name(worker.pid, 'worker');
  cpu.name(api.pid, 'api');
  const http = createHttpClient(apiUrl, { maxSockets: 2, timeoutMs: 30_000 });
  cleanup.add('HTTP client', async () => http.close());
  const admin = await login(http, 'admin@seamless.local');
  const db = createDb(infra.databaseUrl, { poolSize: 2 });
  cleanup.add('database client', () => db.$disconnect());

  // An SLA policy in business hours: the normal-priority policy with tighter targets, in the first junior team's hours.
  const normal = await db.slaPolicy.findFirstOrThrow({ where: { priority: 'normal', enabled: true }, orderBy: { name: 'asc' } });
  const hours = await db.businessHours.findFirstOrThrow({ orderBy: { name: 'asc' } });
  const slaBody = {
    kind: 'sla_policy',
    days,
    candidate: {
      policyId: normal.id,
      priority: 'normal' as Priority,
      businessHoursId: hours.id,
      firstResponseMinutes: 30,
      nextResponseMinutes: 120,
      resolutionMinutes: 720,
      warningPercent: 80,
    },
  };
  const jobs: { body: Record<string, unknown>; candidate: () => Promise<WhatIfCandidate> }[] = [
    { body: slaBody, candidate: () => slaCandidate(db, slaBody) },
    { body: { kind: 'bot_threshold', days, candidate: { threshold: 0.6 } }, candidate: async () => ({ kind: 'bot_threshold', threshold: 0.6 }) },
    {
      body: { kind: 'routing', days, candidate: { defaultCapacity: options.seats, capacities: {} } },
      candidate: async () => ({ kind: 'routing', defaultCapacity: options.seats, capacities: {} }),
    },
  ];
  const results: JobFigures[] = [];
  for (const job of jobs) {
    log(`${String(job.body.kind)}: running the job through the API ...`);
    const { id, ...figures } = await runJob(http, admin.token, job.body);
    log(`  ${figures.conversations} conversations in ${figures.seconds} s; timing one batch's phases ...`);
    const [tally] = await db.$queryRaw<{ bytes: number }[]>`SELECT octet_length(tally::text) AS bytes FROM "WhatIfRun" WHERE id = ${id}::uuid`;
    const finalTallyKb = Math.round(Number(tally?.bytes ?? 0) / 102.4) / 10;
    results.push({ ...figures, finalTallyKb, batch: await batchPhases(db, await job.candidate(), new Date(end + 60_000)) });
  }
  const planText = await plans(client, new Date(end + 60_000));
  writeFileSync(path.join(projectRoot, 'tmp', 'bench-what-if-job-plans.txt'), planText);

  const report = {
    bench: 'seamless-what-if-job',
    version: 1,
    startedAt: new Date().toISOString(),
    options: { ...options, days, batchSize: defaultWhatIfBatchSize },
    machine: machineInfo(),
    seed: { conversations: options.conversations, events: seeded.events, agents: agents.length, ms: seeded.ms },
    jobs: results,
    plans: planText,
    targets: Object.fromEntries(results.map((job) => [job.kind, { conversationsPerSecond: job.conversationsPerSecond, underAMinute: job.seconds < 60 }])),
    apiErrors: api.errorLines,
    workerErrors: worker.errorLines,
  };
  printReport('bench-what-if-job-latest.json', report);

  const cell = (value: unknown, width: number) => String(value ?? '—').padStart(width);
  const cores = (usage: CpuUsage, group: string) => (usage.coresUsed[group] ?? 0).toFixed(2);
  const table = [
    `${'kind'.padEnd(14)} ${'convs'.padStart(7)} ${'s'.padStart(7)} ${'conv/s'.padStart(7)} │ cores: ${'worker'.padStart(6)} ${'pg'.padStart(5)} ${'tmprl'.padStart(5)} │ one batch of ${defaultWhatIfBatchSize}, ms: ${'page'.padStart(5)} ${'events'.padStart(6)} ${'replay'.padStart(6)} │ tally KB at the end`,
    ...results.map(
      (job) =>
        `${job.kind.padEnd(14)} ${cell(job.conversations, 7)} ${cell(job.seconds, 7)} ${cell(job.conversationsPerSecond, 7)} │        ${cores(job.cpu, 'worker').padStart(6)} ${cores(job.cpu, 'postgres').padStart(5)} ${cores(job.cpu, 'temporal').padStart(5)} │                   ${cell(job.batch.pageQueryMs, 5)} ${cell(job.batch.eventsQueryMs, 6)} ${cell(job.batch.replayMs, 6)} │ ${cell(job.finalTallyKb, 8)}`,
    ),
    `(${seeded.events} events; a batch reads ~${results[0]?.batch.eventsPerBatch ?? '—'} events; plans in tmp/bench-what-if-job-plans.txt)`,
  ];
  process.stderr.write(`\n${table.join('\n')}\n`);
}

runBench(main, cleanup, log);
