// What-if replay speed (issue 22, part 2): how many conversations the SLA what-if engine
// (domain/rules/sla-replay.ts compareSla) replays per second, in this process, with no database:
// generated event logs (90 days of a busy deployment's conversations, 6-14 events each: customer
// and agent messages, a private note, snoozes, priority changes, bot answers and hand-offs,
// resolutions and reopenings, and the warnings and breaches the log recorded) replayed against a
// candidate plan in London business hours (the costly case: every due instant walks the calendar)
// and, for comparison, 24/7. Then the routing-profile what-if (domain/what-if.ts tallyBatch,
// routing_profile): as many generated arrivals (junior and expert work, a third needing a skill),
// each recorded with its routing decision, replayed in the job's batches of 500 through the
// routing policy with 40 agents, one of them moved to expert with a new skill. Loading the rows from
// PostgreSQL is not measured here.
//
//   npx tsx bench/what-if-replay.ts                 # 100,000 conversations
//   BENCH_CONVERSATIONS=10000 npx tsx bench/what-if-replay.ts
//
// Prints one JSON line on stdout, then a table on stderr. No npm script yet (the lead adds one).
import { performance } from 'node:perf_hooks';
import type { BusinessCalendar } from '../domain/business-hours.js';
import { compareSla } from '../domain/rules/sla-replay.js';
import type { RecordedEvent } from '../domain/rules/replay.js';
import type { SlaPlan } from '../domain/sla-plan.js';
import type { AgentTier, Priority } from '../domain/vocabulary.js';
import { emptyTally, tallyBatch, whatIfResult, type AgentProfile, type WhatIfConversation } from '../domain/what-if.js';

const conversationCount = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
const days = 90;
const log = (line: string) => process.stderr.write(`[bench:what-if] ${line}\n`);

// A small seeded PRNG (mulberry32): the same histories on every run.
let seed = 0x51a_2e91;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const minutes = (low: number, high: number) => Math.round((low + random() * (high - low)) * 60_000);

const end = Date.parse('2026-12-01T00:00:00Z');
const priorities: Priority[] = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'];

function history(index: number): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  let at = end - days * 86_400_000 + Math.floor(random() * days * 86_400_000);
  let id = index * 100;
  const push = (type: string, payload: Record<string, unknown> = {}) =>
    events.push({ id: String(++id), type, occurredAt: new Date(at).toISOString(), payload });
  const priority = priorities[Math.floor(random() * priorities.length)]!;
  push('conversation.created', { conversation: { priority } });
  push('message.created', { message: { authorKind: 'customer', private: false } });
  if (random() < 0.3) {
    push('bot.answered');
    at += minutes(1, 20);
    if (random() < 0.5) {
      push('bot.assumed_resolved');
      return events;
    }
    push('bot.handed_off');
  }
  const exchanges = 2 + Math.floor(random() * 4);
  for (let exchange = 0; exchange < exchanges; exchange++) {
    at += minutes(2, 240);
    if (random() < 0.15) push('message.created', { message: { authorKind: 'agent', private: true } });
    push('message.created', { message: { authorKind: 'agent', private: false } });
    if (random() < 0.1) {
      push('conversation.snoozed');
      at += minutes(60, 1440);
      push('conversation.unsnoozed');
    }
    if (random() < 0.08) push('conversation.priority_changed', { conversation: { priority: 'urgent' } });
    at += minutes(1, 600);
    push('message.created', { message: { authorKind: 'customer', private: false } });
  }
  at += minutes(5, 300);
  push('message.created', { message: { authorKind: 'agent', private: false } });
  if (random() < 0.2) push('sla.warning', { metric: 'first_response', dueAt: new Date(at).toISOString() });
  if (random() < 0.1) push('sla.breached', { metric: 'next_response', dueAt: new Date(at).toISOString() });
  push('conversation.resolved');
  if (random() < 0.1) {
    at += minutes(60, 2880);
    push('conversation.reopened');
    push('message.created', { message: { authorKind: 'customer', private: false } });
  }
  return events;
}

const london: BusinessCalendar = {
  timeZone: 'Europe/London',
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' })),
  holidays: ['2026-12-25'],
};
const planOf = (calendar: BusinessCalendar | null) => {
  const plans: Record<Priority, SlaPlan> = {
    low: {
      policyId: 'low',
      policyName: 'Low',
      firstResponseMinutes: 480,
      nextResponseMinutes: 720,
      resolutionMinutes: 4320,
      warningPercent: 80,
      escalation: [],
      calendar,
    },
    normal: {
      policyId: 'normal',
      policyName: 'Normal',
      firstResponseMinutes: 60,
      nextResponseMinutes: 180,
      resolutionMinutes: 1440,
      warningPercent: 80,
      escalation: [],
      calendar,
    },
    high: {
      policyId: 'high',
      policyName: 'High',
      firstResponseMinutes: 30,
      nextResponseMinutes: 60,
      resolutionMinutes: 480,
      warningPercent: 80,
      escalation: [],
      calendar,
    },
    urgent: {
      policyId: 'urgent',
      policyName: 'Urgent',
      firstResponseMinutes: 10,
      nextResponseMinutes: 30,
      resolutionMinutes: 240,
      warningPercent: 80,
      escalation: [],
      calendar,
    },
  };
  return (priority: Priority) => plans[priority];
};

const generatedAt = performance.now();
const conversations = Array.from({ length: conversationCount }, (_, index) => ({ id: `c${index}`, events: history(index) }));
const eventCount = conversations.reduce((sum, conversation) => sum + conversation.events.length, 0);
log(`${conversationCount} conversations, ${eventCount} events generated in ${Math.round(performance.now() - generatedAt)} ms`);

const until = new Date(end);
const runs: Record<string, { ms: number; perSecond: number; breachedWhatIf: number; breachedActual: number; changed: number }> = {};
for (const [name, calendar] of [
  ['businessHours', london],
  ['allHours', null],
] as const) {
  const started = performance.now();
  const result = compareSla(conversations, planOf(calendar), until);
  const ms = performance.now() - started;
  runs[name] = {
    ms: Math.round(ms),
    perSecond: Math.round((conversationCount / ms) * 1000),
    breachedWhatIf: result.whatIf.breached.count,
    breachedActual: result.actual.breached.count,
    changed: result.changed.length,
  };
}

// Routing profiles: 30 junior and 10 expert agents with 2 seats, each knowing one of three skills.
const skills = ['billing', 'cards', 'transfers'];
const profiles: Record<string, AgentProfile> = {};
for (let index = 0; index < 40; index++)
  profiles[`agent-${index}`] = { tier: (index < 30 ? 'junior' : 'expert') as AgentTier, teamId: null, skills: [skills[index % 3]!], capacity: 2 };
function routedHistory(index: number): WhatIfConversation {
  const created = end - days * 86_400_000 + Math.floor(random() * days * 86_400_000);
  const tier = random() < 0.2 ? 'expert' : 'junior';
  const skill = random() < 0.35 ? skills[Math.floor(random() * 3)]! : null;
  const agentIndex = tier === 'expert' ? 30 + Math.floor(random() * 10) : Math.floor(random() * 30);
  const assigned = created + minutes(0, 5);
  const at = (time: number) => new Date(time).toISOString();
  return {
    id: `r${index}`,
    events: [
      { id: '1', type: 'conversation.created', occurredAt: at(created), payload: { conversation: { tier, teamId: null } } },
      {
        id: '2',
        type: 'conversation.assigned',
        occurredAt: at(assigned),
        payload: { conversation: { assigneeId: `agent-${agentIndex}` }, explanation: { kind: 'routing', tier, teamId: null, skill } },
      },
      { id: '3', type: 'conversation.resolved', occurredAt: at(assigned + minutes(5, 180)), payload: {} },
    ],
  };
}
const routedConversations = Array.from({ length: conversationCount }, (_, index) => routedHistory(index)).sort(
  (a, b) => a.events[0]!.occurredAt.localeCompare(b.events[0]!.occurredAt) || a.id.localeCompare(b.id),
);
const changedAgent = { ...profiles['agent-0']!, tier: 'expert' as const, skills: ['billing', 'cards'] };
const routingStarted = performance.now();
const tally = emptyTally('routing_profile');
for (let start = 0; start < routedConversations.length; start += 500)
  tallyBatch(
    tally,
    routedConversations.slice(start, start + 500),
    { kind: 'routing_profile', profiles: { ...profiles, 'agent-0': changedAgent }, changed: ['agent-0'] },
    until,
  );
const routing = whatIfResult(tally).routing!;
const routingMs = performance.now() - routingStarted;
const routingRun = {
  ms: Math.round(routingMs),
  perSecond: Math.round((conversationCount / routingMs) * 1000),
  reassigned: routing.reassigned.count,
  waitedLonger: routing.waitedLonger.count,
  p90WaitMinutes: { actual: routing.actual.p90WaitMinutes, whatIf: routing.whatIf.p90WaitMinutes },
};

process.stdout.write(
  `${JSON.stringify({ bench: 'what-if-replay', conversations: conversationCount, events: eventCount, days, runs, routingProfile: routingRun })}\n`,
);
for (const [name, run] of Object.entries(runs))
  log(
    `${name.padEnd(14)} ${String(run.ms).padStart(7)} ms  ${String(run.perSecond).padStart(9)} conversations/s  (what-if breached ${run.breachedWhatIf}, changed ${run.changed})`,
  );
log(
  `${'routingProfile'.padEnd(14)} ${String(routingRun.ms).padStart(7)} ms  ${String(routingRun.perSecond).padStart(9)} conversations/s  (reassigned ${routingRun.reassigned}, waited longer ${routingRun.waitedLonger})`,
);
