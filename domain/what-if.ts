// What-if on past traffic (issue 22, part 2): a candidate setting replayed against recorded
// conversations, batch after batch, side by side with what happened. Pure: the what-if job's
// activity (activities/what-if-activities.ts) loads each batch's event logs and keeps the tally
// in its row between batches; everything here is plain JSON so the tally can be stored as is.
//
// - SLA policy and business hours: the SLA clocks replayed (rules/sla-replay.ts) under the
//   candidate's plans; breaches and warnings (count and which conversations), first-response and
//   resolution compliance, and the conversations whose outcome changes.
// - Bot threshold: each recorded bot decision's confidence against the candidate threshold
//   (a decline for another reason than low confidence stays a decline): the answered share.
// - Routing capacity: the recorded arrivals (creation or hand-off to a person) and how long each
//   conversation held its agent, assigned again to the same agents with the candidate's seats
//   (least-loaded agent with a free seat, else the queue, first come first served): per-agent
//   load and the waits, beside the recorded assignments.
import { type PlanFor, recordedSla, replaySla, type SlaIncident } from './rules/sla-replay.js';
import type { RecordedEvent } from './rules/replay.js';

export const whatIfKinds = ['sla_policy', 'business_hours', 'routing', 'bot_threshold'] as const;
export type WhatIfKind = (typeof whatIfKinds)[number];

/** The ids kept per list (the counts are exact; the result shows the first few). */
export const idListLimit = 100;

export interface IdList {
  count: number;
  ids: string[];
}

export interface SlaSideTally {
  breached: IdList;
  warned: IdList;
  firstResponseBreached: number;
  resolutionBreached: number;
}

export interface AgentLoad {
  agentId: string;
  assigned: number;
  /** Sum of the waits (ms) of the conversations assigned to this agent. */
  waitMs: number;
  /** Most conversations held at once (what-if only). */
  peakOpen: number;
}

export interface RoutingCandidate {
  /** Seats per agent unless `capacities` names the agent. */
  defaultCapacity: number;
  capacities?: Record<string, number>;
}

/** The routing simulation between batches. */
export interface RoutingState {
  agents: { agentId: string; capacity: number; open: number[]; assigned: number; waitMs: number; peakOpen: number }[];
  queue: { conversationId: string; arrival: number; holdMs: number }[];
  actual: AgentLoad[];
  /** Conversations that reached a person (recorded arrivals). */
  arrivals: number;
}

export interface WhatIfTally {
  kind: WhatIfKind;
  conversations: number;
  sla: { actual: SlaSideTally; whatIf: SlaSideTally; changed: IdList };
  bot: { decisions: number; actualAnswered: number; whatIfAnswered: number; changed: IdList };
  routing: RoutingState | null;
}

const emptyIds = (): IdList => ({ count: 0, ids: [] });
const emptySide = (): SlaSideTally => ({ breached: emptyIds(), warned: emptyIds(), firstResponseBreached: 0, resolutionBreached: 0 });
const add = (list: IdList, id: string) => {
  list.count += 1;
  if (list.ids.length < idListLimit) list.ids.push(id);
};

export function emptyTally(kind: WhatIfKind): WhatIfTally {
  return {
    kind,
    conversations: 0,
    sla: { actual: emptySide(), whatIf: emptySide(), changed: emptyIds() },
    bot: { decisions: 0, actualAnswered: 0, whatIfAnswered: 0, changed: emptyIds() },
    routing: kind === 'routing' ? { agents: [], queue: [], actual: [], arrivals: 0 } : null,
  };
}

/** The conversations of one batch, each with its events oldest first. */
export interface WhatIfConversation {
  id: string;
  events: readonly RecordedEvent[];
}

export type WhatIfCandidate =
  { kind: 'sla_policy' | 'business_hours'; planFor: PlanFor } | { kind: 'bot_threshold'; threshold: number } | ({ kind: 'routing' } & RoutingCandidate);

/** Adds one batch to the tally (in place) and returns it. `until`: the end of the replayed period. */
export function tallyBatch(tally: WhatIfTally, conversations: readonly WhatIfConversation[], candidate: WhatIfCandidate, until: Date): WhatIfTally {
  tally.conversations += conversations.length;
  for (const conversation of conversations) {
    if (candidate.kind === 'sla_policy' || candidate.kind === 'business_hours')
      tallySla(tally, conversation, recordedSla(conversation.events, until), replaySla(conversation.events, candidate.planFor, until));
    else if (candidate.kind === 'bot_threshold') tallyBot(tally, conversation, candidate.threshold);
  }
  if (candidate.kind === 'routing') tallyRouting(tally, conversations, candidate, until.getTime());
  return tally;
}

const outcomeKey = (incidents: readonly SlaIncident[]) =>
  incidents
    .map((incident) => `${incident.metric}:${incident.kind}`)
    .sort()
    .join(',');

function tallySide(side: SlaSideTally, id: string, incidents: readonly SlaIncident[]) {
  const has = (match: (incident: SlaIncident) => boolean) => incidents.some(match);
  if (has((incident) => incident.kind === 'breached')) add(side.breached, id);
  if (has((incident) => incident.kind === 'warning')) add(side.warned, id);
  if (has((incident) => incident.kind === 'breached' && incident.metric === 'first_response')) side.firstResponseBreached += 1;
  if (has((incident) => incident.kind === 'breached' && incident.metric === 'resolution')) side.resolutionBreached += 1;
}

function tallySla(tally: WhatIfTally, conversation: WhatIfConversation, actual: readonly SlaIncident[], whatIf: readonly SlaIncident[]) {
  tallySide(tally.sla.actual, conversation.id, actual);
  tallySide(tally.sla.whatIf, conversation.id, whatIf);
  if (outcomeKey(actual) !== outcomeKey(whatIf)) add(tally.sla.changed, conversation.id);
}

function tallyBot(tally: WhatIfTally, conversation: WhatIfConversation, threshold: number) {
  let changed = false;
  for (const event of conversation.events) {
    if (event.type !== 'bot.answered' && event.type !== 'bot.declined') continue;
    const confidence = typeof event.payload.confidence === 'number' ? event.payload.confidence : null;
    if (confidence === null) continue;
    const answered = event.type === 'bot.answered';
    // Only a decline for low confidence depends on the threshold.
    const wouldAnswer = answered || event.payload.reason === 'low_confidence' ? confidence >= threshold : false;
    tally.bot.decisions += 1;
    if (answered) tally.bot.actualAnswered += 1;
    if (wouldAnswer) tally.bot.whatIfAnswered += 1;
    if (wouldAnswer !== answered) changed = true;
  }
  if (changed) add(tally.bot.changed, conversation.id);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const assigneeOf = (event: RecordedEvent): string | null => {
  const conversation = event.payload.conversation;
  return isRecord(conversation) && typeof conversation.assigneeId === 'string' ? conversation.assigneeId : null;
};

/** When a conversation reached a person, who first took it and when, and when it let go of that seat. */
export function recordedArrival(
  events: readonly RecordedEvent[],
  until: number,
): { arrival: number; agentId: string; assignedAt: number; releasedAt: number } | null {
  let arrival: number | null = null;
  let agentId: string | null = null;
  let assignedAt = 0;
  let botAnswering = false;
  for (const event of events) {
    const at = Date.parse(event.occurredAt);
    if (at > until) break;
    if (event.type === 'conversation.created' && arrival === null) arrival = at;
    else if (event.type === 'bot.answered') botAnswering = agentId === null;
    else if (event.type === 'bot.handed_off' && agentId === null) {
      arrival = at;
      botAnswering = false;
    } else if (event.type === 'conversation.assigned' && agentId === null) {
      agentId = assigneeOf(event);
      assignedAt = at;
    } else if (
      agentId !== null &&
      (event.type === 'conversation.resolved' ||
        event.type === 'conversation.closed' ||
        (event.type === 'conversation.assigned' && assigneeOf(event) !== agentId))
    ) {
      return arrival === null ? null : { arrival, agentId, assignedAt, releasedAt: at };
    }
  }
  if (agentId === null || arrival === null || botAnswering) return null;
  return { arrival, agentId, assignedAt, releasedAt: until };
}

function tallyRouting(tally: WhatIfTally, conversations: readonly WhatIfConversation[], candidate: RoutingCandidate, until: number) {
  const state = tally.routing!;
  const capacityOf = (agentId: string) => Math.max(0, Math.floor(candidate.capacities?.[agentId] ?? candidate.defaultCapacity));
  const agentOf = (agentId: string) => {
    let agent = state.agents.find((known) => known.agentId === agentId);
    if (!agent) {
      agent = { agentId, capacity: capacityOf(agentId), open: [], assigned: 0, waitMs: 0, peakOpen: 0 };
      state.agents.push(agent);
    }
    return agent;
  };
  const actualOf = (agentId: string) => {
    let load = state.actual.find((known) => known.agentId === agentId);
    if (!load) {
      load = { agentId, assigned: 0, waitMs: 0, peakOpen: 0 };
      state.actual.push(load);
    }
    return load;
  };
  const arrivals = conversations
    .map((conversation) => ({ conversationId: conversation.id, recorded: recordedArrival(conversation.events, until) }))
    .filter((arrival) => arrival.recorded !== null)
    .sort((a, b) => a.recorded!.arrival - b.recorded!.arrival || a.conversationId.localeCompare(b.conversationId));
  for (const { recorded } of arrivals) agentOf(recorded!.agentId);
  for (const { conversationId, recorded } of arrivals) {
    const { arrival, agentId, assignedAt, releasedAt } = recorded!;
    state.arrivals += 1;
    const actual = actualOf(agentId);
    actual.assigned += 1;
    actual.waitMs += Math.max(0, assignedAt - arrival);
    releaseUntil(state, arrival);
    state.queue.push({ conversationId, arrival, holdMs: Math.max(0, releasedAt - assignedAt) });
    assignQueued(state, arrival);
  }
}

/** Gives the free seats to the queue, oldest first, at `now`. */
function assignQueued(state: RoutingState, now: number) {
  while (state.queue.length > 0) {
    const free = state.agents
      .filter((agent) => agent.open.length < agent.capacity)
      .sort((a, b) => a.open.length - b.open.length || a.assigned - b.assigned || a.agentId.localeCompare(b.agentId))[0];
    if (!free) return;
    const next = state.queue.shift()!;
    free.open.push(now + next.holdMs);
    free.open.sort((a, b) => a - b);
    free.assigned += 1;
    free.waitMs += now - next.arrival;
    free.peakOpen = Math.max(free.peakOpen, free.open.length);
  }
}

/** Ends the holds that end by `until`, in time order, seating the queue as seats free up. */
function releaseUntil(state: RoutingState, until: number) {
  for (;;) {
    let earliest: { agent: RoutingState['agents'][number]; at: number } | null = null;
    for (const agent of state.agents) {
      const at = agent.open[0];
      if (at !== undefined && at <= until && (!earliest || at < earliest.at)) earliest = { agent, at };
    }
    if (!earliest) return;
    earliest.agent.open.shift();
    assignQueued(state, earliest.at);
  }
}

export interface SlaSideResult {
  breached: IdList;
  warned: IdList;
  /** Share of conversations with no breach of that target; null with no conversations. */
  firstResponseCompliance: number | null;
  resolutionCompliance: number | null;
}

export interface WhatIfResult {
  kind: WhatIfKind;
  conversations: number;
  sla?: { actual: SlaSideResult; whatIf: SlaSideResult; changed: IdList };
  bot?: {
    decisions: number;
    actual: { answered: number; answeredShare: number | null };
    whatIf: { answered: number; answeredShare: number | null };
    changed: IdList;
  };
  routing?: {
    arrivals: number;
    /** Conversations no seat ever took (what-if: every agent had 0 seats). */
    stillQueued: number;
    actual: { averageWaitMinutes: number | null; agents: { agentId: string; assigned: number; averageWaitMinutes: number | null }[] };
    whatIf: {
      averageWaitMinutes: number | null;
      agents: { agentId: string; capacity: number; assigned: number; peakOpen: number; averageWaitMinutes: number | null }[];
    };
  };
}

const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
const minutesOf = (ms: number, count: number) => (count === 0 ? null : Math.round(ms / count / 600) / 100);

/** The comparison shown to the admin, from the tally after the last batch. */
export function whatIfResult(tally: WhatIfTally): WhatIfResult {
  const result: WhatIfResult = { kind: tally.kind, conversations: tally.conversations };
  if (tally.kind === 'sla_policy' || tally.kind === 'business_hours') {
    const side = (tallied: SlaSideTally): SlaSideResult => ({
      breached: tallied.breached,
      warned: tallied.warned,
      firstResponseCompliance: share(tally.conversations - tallied.firstResponseBreached, tally.conversations),
      resolutionCompliance: share(tally.conversations - tallied.resolutionBreached, tally.conversations),
    });
    result.sla = { actual: side(tally.sla.actual), whatIf: side(tally.sla.whatIf), changed: tally.sla.changed };
  } else if (tally.kind === 'bot_threshold') {
    const { decisions, actualAnswered, whatIfAnswered, changed } = tally.bot;
    result.bot = {
      decisions,
      actual: { answered: actualAnswered, answeredShare: share(actualAnswered, decisions) },
      whatIf: { answered: whatIfAnswered, answeredShare: share(whatIfAnswered, decisions) },
      changed,
    };
  } else if (tally.routing) {
    const state = structuredClone(tally.routing);
    releaseUntil(state, Number.POSITIVE_INFINITY);
    const byId = (a: { agentId: string }, b: { agentId: string }) => a.agentId.localeCompare(b.agentId);
    const sum = (loads: readonly { assigned: number; waitMs: number }[]) =>
      loads.reduce((total, load) => ({ assigned: total.assigned + load.assigned, waitMs: total.waitMs + load.waitMs }), { assigned: 0, waitMs: 0 });
    const actualTotal = sum(state.actual);
    const whatIfTotal = sum(state.agents);
    result.routing = {
      arrivals: state.arrivals,
      stillQueued: state.queue.length,
      actual: {
        averageWaitMinutes: minutesOf(actualTotal.waitMs, actualTotal.assigned),
        agents: [...state.actual]
          .sort(byId)
          .map((load) => ({ agentId: load.agentId, assigned: load.assigned, averageWaitMinutes: minutesOf(load.waitMs, load.assigned) })),
      },
      whatIf: {
        averageWaitMinutes: minutesOf(whatIfTotal.waitMs, whatIfTotal.assigned),
        agents: [...state.agents].sort(byId).map((agent) => ({
          agentId: agent.agentId,
          capacity: agent.capacity,
          assigned: agent.assigned,
          peakOpen: agent.peakOpen,
          averageWaitMinutes: minutesOf(agent.waitMs, agent.assigned),
        })),
      },
    };
  }
  return result;
}
