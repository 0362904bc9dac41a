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
// - Routing profiles: the same replay, but each arrival goes only where the routing policy
//   (activities/conversation-activities.ts decideAssignee) would send it: to its tier's agents (of
//   its team when it has one), those with its skill first, junior work without a team overflowing
//   to experts; every agent with their profile (tier, team, skills, seats) as it is now, with the
//   candidate's changes. The tier, team and skill a conversation needed are its first routing
//   decision's (the explanation stored on routing.queued or conversation.assigned).
// Presence is not recorded moment by moment: an agent counts as on duty throughout once they took
// a conversation in the replayed period (or the candidate changes them); agents who took none are
// left out.
import { type PlanFor, recordedSla, replaySla, slaEventTypes, type SlaIncident } from './rules/sla-replay.js';
import type { RecordedEvent } from './rules/replay.js';
import type { AgentTier, RoutingTier } from './vocabulary.js';

export const whatIfKinds = ['sla_policy', 'business_hours', 'routing', 'routing_profile', 'bot_threshold'] as const;
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

/** An agent as routing sees them: what the policy matches a conversation against, and their seats. */
export interface AgentProfile {
  tier: AgentTier;
  teamId: string | null;
  skills: string[];
  capacity: number;
}

/** What routing looked for when a conversation reached a person. */
export interface RoutingNeed {
  tier: RoutingTier;
  teamId: string | null;
  skill: string | null;
}

/** Every agent's profile under the candidate (the changes applied); an agent missing takes nothing. */
export interface RoutingProfileCandidate {
  profiles: Record<string, AgentProfile>;
  /** The agents the candidate changes: on duty from the start, even with nothing recorded. */
  changed: string[];
}

/** Waits in whole seconds → how many conversations waited that long (so percentiles survive between batches). */
export type WaitHistogram = Record<string, number>;

type SimulatedAgent = {
  agentId: string;
  capacity: number;
  /** Absent for the seats kind: every agent may take every conversation. */
  profile?: Omit<AgentProfile, 'capacity'>;
  open: number[];
  assigned: number;
  waitMs: number;
  peakOpen: number;
};

/** The routing simulation between batches. */
export interface RoutingState {
  agents: SimulatedAgent[];
  queue: {
    conversationId: string;
    arrival: number;
    holdMs: number;
    /** Null for the seats kind. */
    need?: RoutingNeed | null;
    recordedAgentId?: string;
    recordedWaitMs?: number;
  }[];
  actual: AgentLoad[];
  /** Conversations that reached a person (recorded arrivals). */
  arrivals: number;
  /** Absent from tallies stored before they existed. */
  waits?: { actual: WaitHistogram; whatIf: WaitHistogram };
  /** Seated with another agent than the recorded one, and seated later than recorded. */
  reassigned?: IdList;
  waitedLonger?: IdList;
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

const emptyRouting = (): RoutingState => ({
  agents: [],
  queue: [],
  actual: [],
  arrivals: 0,
  waits: { actual: {}, whatIf: {} },
  reassigned: emptyIds(),
  waitedLonger: emptyIds(),
});

export function emptyTally(kind: WhatIfKind): WhatIfTally {
  return {
    kind,
    conversations: 0,
    sla: { actual: emptySide(), whatIf: emptySide(), changed: emptyIds() },
    bot: { decisions: 0, actualAnswered: 0, whatIfAnswered: 0, changed: emptyIds() },
    routing: kind === 'routing' || kind === 'routing_profile' ? emptyRouting() : null,
  };
}

/** The conversations of one batch, each with its events oldest first. */
export interface WhatIfConversation {
  id: string;
  events: readonly RecordedEvent[];
}

export type WhatIfCandidate =
  | { kind: 'sla_policy' | 'business_hours'; planFor: PlanFor }
  | { kind: 'bot_threshold'; threshold: number }
  | ({ kind: 'routing' } & RoutingCandidate)
  | ({ kind: 'routing_profile' } & RoutingProfileCandidate);

/** Adds one batch to the tally (in place) and returns it. `until`: the end of the replayed period. */
export function tallyBatch(tally: WhatIfTally, conversations: readonly WhatIfConversation[], candidate: WhatIfCandidate, until: Date): WhatIfTally {
  tally.conversations += conversations.length;
  for (const conversation of conversations) {
    if (candidate.kind === 'sla_policy' || candidate.kind === 'business_hours')
      tallySla(tally, conversation, recordedSla(conversation.events, until), replaySla(conversation.events, candidate.planFor, until));
    else if (candidate.kind === 'bot_threshold') tallyBot(tally, conversation, candidate.threshold);
  }
  if (candidate.kind === 'routing' || candidate.kind === 'routing_profile') tallyRouting(tally, conversations, candidate, until.getTime());
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

/** The event types the bot threshold kind reads. */
export const botDecisionEventTypes = ['bot.answered', 'bot.declined'] as const;

function tallyBot(tally: WhatIfTally, conversation: WhatIfConversation, threshold: number) {
  let changed = false;
  for (const event of conversation.events) {
    const type = event.type as (typeof botDecisionEventTypes)[number];
    if (type !== 'bot.answered' && type !== 'bot.declined') continue;
    const confidence = typeof event.payload.confidence === 'number' ? event.payload.confidence : null;
    if (confidence === null) continue;
    const answered = type === 'bot.answered';
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
const viewOf = (event: RecordedEvent) => (isRecord(event.payload.conversation) ? event.payload.conversation : null);
const assigneeOf = (event: RecordedEvent): string | null => {
  const assigneeId = viewOf(event)?.assigneeId;
  return typeof assigneeId === 'string' ? assigneeId : null;
};
const stringOr = <T extends string | null>(value: unknown, fallback: T): T => (typeof value === 'string' ? (value as T) : fallback);

/**
 * The event types that say when a conversation reached a person, who took it and when they let go
 * (recordedArrival). What routing looked for may come from any event's view or explanation, so
 * only the seats kind, which does not use it, may read just these.
 */
export const arrivalEventTypes = [
  'conversation.created',
  'bot.answered',
  'bot.handed_off',
  'conversation.assigned',
  'conversation.resolved',
  'conversation.closed',
] as const;

/** The event types each kind reads (null: every type); the what-if job loads only these. */
export function eventTypesRead(kind: WhatIfKind): readonly string[] | null {
  switch (kind) {
    case 'sla_policy':
    case 'business_hours':
      return slaEventTypes;
    case 'bot_threshold':
      return botDecisionEventTypes;
    case 'routing':
      return arrivalEventTypes;
    case 'routing_profile':
      return null;
  }
}

/** When a conversation reached a person, who first took it and when, when it let go of that seat, and what routing looked for. */
export function recordedArrival(
  events: readonly RecordedEvent[],
  until: number,
): { arrival: number; agentId: string; assignedAt: number; releasedAt: number; need: RoutingNeed } | null {
  let arrival: number | null = null;
  let agentId: string | null = null;
  let assignedAt = 0;
  let botAnswering = false;
  // What routing looked for: its first decision's own record, else the conversation's tier and team.
  let need: RoutingNeed = { tier: 'junior', teamId: null, skill: null };
  let decided = false;
  for (const event of events) {
    const at = Date.parse(event.occurredAt);
    if (at > until) break;
    const type = event.type as (typeof arrivalEventTypes)[number];
    if (agentId === null && !decided) {
      const { explanation } = event.payload;
      const view = viewOf(event);
      if (isRecord(explanation) && explanation.kind === 'routing') {
        decided = true;
        need = { tier: stringOr(explanation.tier, need.tier), teamId: stringOr(explanation.teamId, null), skill: stringOr(explanation.skill, null) };
      }
      // An assignment's view names the agent's team, not the one routing looked in.
      else if (view && type !== 'conversation.assigned') need = { tier: stringOr(view.tier, need.tier), teamId: stringOr(view.teamId, null), skill: null };
    }
    if (type === 'conversation.created' && arrival === null) arrival = at;
    else if (type === 'bot.answered') botAnswering = agentId === null;
    else if (type === 'bot.handed_off' && agentId === null) {
      arrival = at;
      botAnswering = false;
    } else if (type === 'conversation.assigned' && agentId === null) {
      agentId = assigneeOf(event);
      assignedAt = at;
    } else if (
      agentId !== null &&
      (type === 'conversation.resolved' || type === 'conversation.closed' || (type === 'conversation.assigned' && assigneeOf(event) !== agentId))
    ) {
      return arrival === null ? null : { arrival, agentId, assignedAt, releasedAt: at, need };
    }
  }
  if (agentId === null || arrival === null || botAnswering) return null;
  return { arrival, agentId, assignedAt, releasedAt: until, need };
}

const waitKey = (ms: number) => String(Math.floor(ms / 1000));
const countWait = (histogram: WaitHistogram, ms: number) => {
  const key = waitKey(ms);
  histogram[key] = (histogram[key] ?? 0) + 1;
};

function tallyRouting(
  tally: WhatIfTally,
  conversations: readonly WhatIfConversation[],
  candidate: ({ kind: 'routing' } & RoutingCandidate) | ({ kind: 'routing_profile' } & RoutingProfileCandidate),
  until: number,
) {
  const state = tally.routing!;
  const waits = (state.waits ??= { actual: {}, whatIf: {} });
  const byProfile = candidate.kind === 'routing_profile';
  const agentOf = (agentId: string) => {
    if (state.agents.some((known) => known.agentId === agentId)) return;
    if (candidate.kind === 'routing') {
      const capacity = Math.max(0, Math.floor(candidate.capacities?.[agentId] ?? candidate.defaultCapacity));
      state.agents.push({ agentId, capacity, open: [], assigned: 0, waitMs: 0, peakOpen: 0 });
      return;
    }
    const { capacity, ...profile } = candidate.profiles[agentId] ?? { tier: 'junior', teamId: null, skills: [], capacity: 0 };
    state.agents.push({ agentId, capacity: Math.max(0, Math.floor(capacity)), profile, open: [], assigned: 0, waitMs: 0, peakOpen: 0 });
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
  if (byProfile) for (const agentId of candidate.changed) agentOf(agentId);
  for (const { recorded } of arrivals) agentOf(recorded!.agentId);
  for (const { conversationId, recorded } of arrivals) {
    const { arrival, agentId, assignedAt, releasedAt, need } = recorded!;
    const recordedWaitMs = Math.max(0, assignedAt - arrival);
    state.arrivals += 1;
    const actual = actualOf(agentId);
    actual.assigned += 1;
    actual.waitMs += recordedWaitMs;
    countWait(waits.actual, recordedWaitMs);
    releaseUntil(state, arrival);
    state.queue.push({
      conversationId,
      arrival,
      holdMs: Math.max(0, releasedAt - assignedAt),
      need: byProfile ? need : null,
      recordedAgentId: agentId,
      recordedWaitMs,
    });
    assignQueued(state, arrival);
  }
}

/** The agent with the fewest open conversations, then the fewest given, then the smaller id. */
function leastLoaded(agents: readonly SimulatedAgent[]): SimulatedAgent | undefined {
  return [...agents].sort((a, b) => a.open.length - b.open.length || a.assigned - b.assigned || a.agentId.localeCompare(b.agentId))[0];
}

/** Whom the policy gives a conversation among the agents with a free seat (`need` null: anyone). */
function seatFor(free: readonly SimulatedAgent[], need: RoutingNeed | null | undefined): SimulatedAgent | undefined {
  if (!need) return leastLoaded(free);
  const { tier, teamId, skill } = need;
  const pool = (agentTier: AgentTier) => free.filter((agent) => agent.profile?.tier === agentTier && (teamId === null || agent.profile.teamId === teamId));
  const choose = (agents: SimulatedAgent[]) =>
    (skill ? leastLoaded(agents.filter((agent) => agent.profile?.skills.includes(skill))) : undefined) ?? leastLoaded(agents);
  // Junior work overflows to experts rather than waiting; expert work never goes down a tier.
  return choose(pool(tier === 'expert' ? 'expert' : 'junior')) ?? (tier !== 'expert' && teamId === null ? choose(pool('expert')) : undefined);
}

/** Gives the free seats to the queue, oldest first (a conversation no free agent may take waits on), at `now`. */
function assignQueued(state: RoutingState, now: number) {
  for (let index = 0; index < state.queue.length;) {
    const free = state.agents.filter((agent) => agent.open.length < agent.capacity);
    if (free.length === 0) return;
    const next = state.queue[index]!;
    const agent = seatFor(free, next.need);
    if (!agent) {
      index += 1;
      continue;
    }
    state.queue.splice(index, 1);
    const waitMs = now - next.arrival;
    agent.open.push(now + next.holdMs);
    agent.open.sort((a, b) => a - b);
    agent.assigned += 1;
    agent.waitMs += waitMs;
    agent.peakOpen = Math.max(agent.peakOpen, agent.open.length);
    if (state.waits) countWait(state.waits.whatIf, waitMs);
    if (next.recordedAgentId !== undefined && next.recordedAgentId !== agent.agentId) add((state.reassigned ??= emptyIds()), next.conversationId);
    if (next.recordedWaitMs !== undefined && waitMs > next.recordedWaitMs) add((state.waitedLonger ??= emptyIds()), next.conversationId);
  }
}

/** Ends the holds that end by `until`, in time order, seating the queue as seats free up. */
function releaseUntil(state: RoutingState, until: number) {
  for (;;) {
    let earliest: { agent: SimulatedAgent; at: number } | null = null;
    for (const agent of state.agents) {
      const at = agent.open[0];
      if (at !== undefined && at <= until && (!earliest || at < earliest.at)) earliest = { agent, at };
    }
    if (!earliest) return;
    earliest.agent.open.shift();
    assignQueued(state, earliest.at);
  }
}

/** The wait (minutes) that `fraction` of the conversations waited at most (nearest rank); null with none. */
export function waitPercentile(histogram: WaitHistogram, fraction: number): number | null {
  const entries = Object.entries(histogram)
    .map(([seconds, count]) => [Number(seconds), count] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.ceil(fraction * total);
  let seen = 0;
  for (const [seconds, count] of entries) {
    seen += count;
    if (seen >= rank) return Math.round((seconds / 60) * 100) / 100;
  }
  return null;
}

export interface SlaSideResult {
  breached: IdList;
  warned: IdList;
  /** Share of conversations with no breach of that target; null with no conversations. */
  firstResponseCompliance: number | null;
  resolutionCompliance: number | null;
}

/** Waits in minutes: the mean, the median and the 90th percentile; null with no conversation seated. */
export interface WaitFigures {
  averageWaitMinutes: number | null;
  medianWaitMinutes: number | null;
  p90WaitMinutes: number | null;
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
    /** Conversations no seat ever took (what-if: no agent with a seat could take them). */
    stillQueued: number;
    actual: WaitFigures & { agents: { agentId: string; assigned: number; averageWaitMinutes: number | null }[] };
    whatIf: WaitFigures & {
      agents: { agentId: string; capacity: number; assigned: number; peakOpen: number; averageWaitMinutes: number | null }[];
    };
    /** Would have gone to another agent than the recorded one. */
    reassigned: IdList;
    /** Would have waited longer than recorded (those still queued at the end too). */
    waitedLonger: IdList;
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
    const waits = state.waits ?? { actual: {}, whatIf: {} };
    const figures = (waitMs: number, assigned: number, histogram: WaitHistogram): WaitFigures => ({
      averageWaitMinutes: minutesOf(waitMs, assigned),
      medianWaitMinutes: waitPercentile(histogram, 0.5),
      p90WaitMinutes: waitPercentile(histogram, 0.9),
    });
    const waitedLonger = state.waitedLonger ?? emptyIds();
    for (const queued of state.queue) add(waitedLonger, queued.conversationId);
    result.routing = {
      arrivals: state.arrivals,
      stillQueued: state.queue.length,
      actual: {
        ...figures(actualTotal.waitMs, actualTotal.assigned, waits.actual),
        agents: [...state.actual]
          .sort(byId)
          .map((load) => ({ agentId: load.agentId, assigned: load.assigned, averageWaitMinutes: minutesOf(load.waitMs, load.assigned) })),
      },
      whatIf: {
        ...figures(whatIfTotal.waitMs, whatIfTotal.assigned, waits.whatIf),
        agents: [...state.agents].sort(byId).map((agent) => ({
          agentId: agent.agentId,
          capacity: agent.capacity,
          assigned: agent.assigned,
          peakOpen: agent.peakOpen,
          averageWaitMinutes: minutesOf(agent.waitMs, agent.assigned),
        })),
      },
      reassigned: state.reassigned ?? emptyIds(),
      waitedLonger,
    };
  }
  return result;
}
