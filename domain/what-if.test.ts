import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from './rules/replay.js';
import type { SlaPlan } from './sla-plan.js';
import { emptyTally, eventTypesRead, tallyBatch, whatIfResult, type WhatIfCandidate, type WhatIfConversation } from './what-if.js';

let nextId = 0;
const event = (type: string, occurredAt: string, payload: Record<string, unknown> = {}): RecordedEvent => ({ id: String(++nextId), type, occurredAt, payload });
const customer = { message: { authorKind: 'customer', private: false } };
const agent = { message: { authorKind: 'agent', private: false } };
const until = new Date('2026-03-10T00:00:00Z');

const plan = (firstResponseMinutes: number): SlaPlan => ({
  policyId: 'p',
  policyName: 'P',
  firstResponseMinutes,
  nextResponseMinutes: 600,
  resolutionMinutes: 6000,
  warningPercent: 50,
  escalation: [],
  calendar: null,
});

/** Created at 09:00, answered at 09:20, resolved at 10:00; the log recorded a first-response breach. */
const slow: WhatIfConversation = {
  id: 'slow',
  events: [
    event('conversation.created', '2026-03-02T09:00:00Z', { conversation: { priority: 'normal' } }),
    event('message.created', '2026-03-02T09:00:00Z', customer),
    event('sla.breached', '2026-03-02T09:15:00Z', { metric: 'first_response', dueAt: '2026-03-02T09:15:00Z' }),
    event('message.created', '2026-03-02T09:20:00Z', agent),
    event('conversation.resolved', '2026-03-02T10:00:00Z'),
  ],
};
/** Answered after 5 minutes: no incident recorded. */
const quick: WhatIfConversation = {
  id: 'quick',
  events: [
    event('conversation.created', '2026-03-02T11:00:00Z', { conversation: { priority: 'normal' } }),
    event('message.created', '2026-03-02T11:05:00Z', agent),
    event('conversation.resolved', '2026-03-02T11:30:00Z'),
  ],
};

describe('what-if tally', () => {
  it('replays SLA candidates across two batches: a 30-minute target clears the recorded breach, leaving one warning', () => {
    const tally = emptyTally('sla_policy');
    const candidate = { kind: 'sla_policy' as const, planFor: () => plan(30) };
    tallyBatch(tally, [slow], candidate, until);
    tallyBatch(JSON.parse(JSON.stringify(tally)), [], candidate, until);
    const result = whatIfResult(tallyBatch(tally, [quick], candidate, until));
    expect(result.conversations).toBe(2);
    expect(result.sla).toEqual({
      actual: { breached: { count: 1, ids: ['slow'] }, warned: { count: 0, ids: [] }, firstResponseCompliance: 0.5, resolutionCompliance: 1 },
      whatIf: { breached: { count: 0, ids: [] }, warned: { count: 1, ids: ['slow'] }, firstResponseCompliance: 1, resolutionCompliance: 1 },
      changed: { count: 1, ids: ['slow'] },
    });
  });

  it('counts the answered share under a bot threshold; a decline for another reason than confidence stays one', () => {
    const conversations: WhatIfConversation[] = [
      { id: 'a', events: [event('bot.answered', '2026-03-02T09:00:00Z', { confidence: 0.72 })] },
      { id: 'b', events: [event('bot.declined', '2026-03-02T09:00:00Z', { confidence: 0.61, reason: 'low_confidence' })] },
      { id: 'c', events: [event('bot.declined', '2026-03-02T09:00:00Z', { confidence: 0.9, reason: 'not_verified' })] },
    ];
    const result = whatIfResult(tallyBatch(emptyTally('bot_threshold'), conversations, { kind: 'bot_threshold', threshold: 0.6 }, until));
    expect(result.bot).toEqual({
      decisions: 3,
      actual: { answered: 1, answeredShare: 0.3333 },
      whatIf: { answered: 2, answeredShare: 0.6667 },
      changed: { count: 1, ids: ['b'] },
    });
    const stricter = whatIfResult(tallyBatch(emptyTally('bot_threshold'), conversations, { kind: 'bot_threshold', threshold: 0.8 }, until));
    expect(stricter.bot?.whatIf).toEqual({ answered: 0, answeredShare: 0 });
    expect(stricter.bot?.changed.ids).toEqual(['a']);
  });

  it('assigns the recorded arrivals again with the candidate seats, carrying the queue across batches', () => {
    const held = (id: string, agentId: string, created: string, assigned: string, resolved: string): WhatIfConversation => ({
      id,
      events: [
        event('conversation.created', created),
        event('conversation.assigned', assigned, { conversation: { assigneeId: agentId } }),
        event('conversation.resolved', resolved),
      ],
    });
    // Recorded: ana took all three at once (no wait); bo took none.
    const first = [held('c1', 'ana', '2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z')];
    const second = [
      held('c2', 'ana', '2026-03-02T09:10:00Z', '2026-03-02T09:10:00Z', '2026-03-02T09:40:00Z'),
      held('c3', 'ana', '2026-03-02T09:20:00Z', '2026-03-02T09:20:00Z', '2026-03-02T09:30:00Z'),
      held('c4', 'bo', '2026-03-02T09:25:00Z', '2026-03-02T09:25:00Z', '2026-03-02T09:35:00Z'),
    ];
    const candidate = { kind: 'routing' as const, defaultCapacity: 1 };
    const tally = tallyBatch(emptyTally('routing'), first, candidate, until);
    const result = whatIfResult(tallyBatch(JSON.parse(JSON.stringify(tally)), second, candidate, until));
    // One seat each: c1 → ana (9:00, holds 60 min); c2 → bo (9:10, 30 min); c3 waits for bo at 9:40 (20 min,
    // holds 10); c4 waits behind it, for bo again at 9:50 (25 min) — ana is busy until 10:00.
    expect(result.routing).toEqual({
      arrivals: 4,
      stillQueued: 0,
      actual: {
        averageWaitMinutes: 0,
        medianWaitMinutes: 0,
        p90WaitMinutes: 0,
        agents: [
          { agentId: 'ana', assigned: 3, averageWaitMinutes: 0 },
          { agentId: 'bo', assigned: 1, averageWaitMinutes: 0 },
        ],
      },
      whatIf: {
        averageWaitMinutes: 11.25,
        medianWaitMinutes: 0,
        p90WaitMinutes: 25,
        agents: [
          { agentId: 'ana', capacity: 1, assigned: 1, peakOpen: 1, averageWaitMinutes: 0 },
          { agentId: 'bo', capacity: 1, assigned: 3, peakOpen: 1, averageWaitMinutes: 15 },
        ],
      },
      reassigned: { count: 2, ids: ['c2', 'c3'] },
      waitedLonger: { count: 2, ids: ['c3', 'c4'] },
    });
  });

  /** Routed at `at` (no wait) to `agentId` with the routing decision's record, resolved `minutes` later. */
  const routed = (id: string, agentId: string, at: string, minutes: number, need: { tier: string; teamId?: string; skill?: string }): WhatIfConversation => ({
    id,
    events: [
      event('conversation.created', at, { conversation: { tier: 'junior', teamId: null } }),
      event('conversation.assigned', at, {
        conversation: { assigneeId: agentId, teamId: 'frontline' },
        explanation: { kind: 'routing', tier: need.tier, teamId: need.teamId ?? null, skill: need.skill ?? null },
      }),
      event('conversation.resolved', new Date(Date.parse(at) + minutes * 60_000).toISOString()),
    ],
  });
  const profile = (tier: 'junior' | 'expert', skills: string[] = [], teamId: string | null = null) => ({ tier, teamId, skills, capacity: 1 });

  it('routes the recorded arrivals by tier, team and skill with the candidate profiles', () => {
    const conversations = [
      routed('k1', 'ana', '2026-03-02T09:00:00Z', 30, { tier: 'junior', skill: 'billing' }),
      routed('k2', 'ana', '2026-03-02T09:05:00Z', 15, { tier: 'junior', skill: 'billing' }),
      routed('k3', 'eve', '2026-03-02T09:10:00Z', 30, { tier: 'expert' }),
      routed('k4', 'ana', '2026-03-02T09:12:00Z', 10, { tier: 'junior', teamId: 'frontline' }),
    ];
    // Bo learns billing and ana forgets it; eve moves down to junior, leaving no expert.
    const candidate = {
      kind: 'routing_profile' as const,
      profiles: { ana: profile('junior', [], 'frontline'), bo: profile('junior', ['billing']), eve: profile('junior') },
      changed: ['ana', 'bo', 'eve'],
    };
    const result = whatIfResult(tallyBatch(emptyTally('routing_profile'), conversations, candidate, until));
    // k1 → bo, who has the skill (until 9:30); k2: bo busy, so any junior: ana before eve (until 9:20);
    // k3 needs an expert and waits to the end; k4 needs frontline: only ana, free at 9:20 (8 minutes
    // later), not eve, who is of no team.
    expect(result.routing).toEqual({
      arrivals: 4,
      stillQueued: 1,
      actual: {
        averageWaitMinutes: 0,
        medianWaitMinutes: 0,
        p90WaitMinutes: 0,
        agents: [
          { agentId: 'ana', assigned: 3, averageWaitMinutes: 0 },
          { agentId: 'eve', assigned: 1, averageWaitMinutes: 0 },
        ],
      },
      whatIf: {
        averageWaitMinutes: 2.67,
        medianWaitMinutes: 0,
        p90WaitMinutes: 8,
        agents: [
          { agentId: 'ana', capacity: 1, assigned: 2, peakOpen: 1, averageWaitMinutes: 4 },
          { agentId: 'bo', capacity: 1, assigned: 1, peakOpen: 1, averageWaitMinutes: 0 },
          { agentId: 'eve', capacity: 1, assigned: 0, peakOpen: 0, averageWaitMinutes: null },
        ],
      },
      reassigned: { count: 1, ids: ['k1'] },
      waitedLonger: { count: 2, ids: ['k4', 'k3'] },
    });
  });

  it('lets junior work without a team overflow to a free expert, never expert work down to a junior, across batches', () => {
    const candidate = { kind: 'routing_profile' as const, profiles: { ana: profile('junior'), eve: profile('expert') }, changed: ['eve'] };
    const tally = tallyBatch(emptyTally('routing_profile'), [routed('j1', 'ana', '2026-03-02T09:00:00Z', 60, { tier: 'junior' })], candidate, until);
    const result = whatIfResult(
      tallyBatch(
        JSON.parse(JSON.stringify(tally)),
        [routed('j2', 'ana', '2026-03-02T09:01:00Z', 10, { tier: 'junior' }), routed('x1', 'eve', '2026-03-02T09:02:00Z', 10, { tier: 'expert' })],
        candidate,
        until,
      ),
    );
    // j1 → ana; j2 overflows to eve (until 9:11); x1 waits for eve, 9 minutes, though ana frees at 10:00.
    expect(result.routing?.whatIf.agents.map(({ agentId, assigned }) => [agentId, assigned])).toEqual([
      ['ana', 1],
      ['eve', 2],
    ]);
    expect(result.routing?.reassigned).toEqual({ count: 1, ids: ['j2'] });
    expect(result.routing?.waitedLonger).toEqual({ count: 1, ids: ['x1'] });
    expect(result.routing?.whatIf.p90WaitMinutes).toBe(9);
  });

  it('gives the same result from only the event types each kind reads (what the job loads) as from the whole log', () => {
    const noise = (at: string) => [
      event('conversation.tag_added', at, { tag: 'vip', conversation: { priority: 'high', assigneeId: 'bo' } }),
      event('routing.queued', at, { conversation: { tier: 'expert' }, explanation: { kind: 'routing', tier: 'expert' } }),
    ];
    const log = (id: string, hour: number, typesAndMinutes: [string, number, Record<string, unknown>?][]): WhatIfConversation => ({
      id,
      events: typesAndMinutes.flatMap(([type, minute, payload]) => {
        const at = new Date(Date.UTC(2026, 2, 2, hour, minute)).toISOString();
        return [event(type, at, payload), ...noise(at)];
      }),
    });
    const conversations = [
      log('x', 9, [
        ['conversation.created', 0, { conversation: { priority: 'normal' } }],
        ['message.created', 1, customer],
        ['bot.declined', 2, { confidence: 0.5, reason: 'low_confidence' }],
        ['bot.handed_off', 3],
        ['conversation.assigned', 4, { conversation: { assigneeId: 'ana' } }],
        ['message.created', 8, agent],
        ['conversation.snoozed', 31],
        ['conversation.unsnoozed', 40],
        ['sla.warning', 41, { metric: 'resolution' }],
        ['conversation.resolved', 50],
        ['conversation.reopened', 55],
        ['conversation.priority_changed', 56, { conversation: { priority: 'urgent' } }],
      ]),
      log('y', 10, [
        ['conversation.created', 0, { conversation: { priority: 'normal' } }],
        ['bot.answered', 1, { confidence: 0.9 }],
        ['bot.helpful', 2],
        ['message.created', 20, customer],
        ['bot.handed_off', 21],
        ['conversation.assigned', 22, { conversation: { assigneeId: 'bo' } }],
        ['sla.breached', 40, { metric: 'first_response' }],
        ['conversation.closed', 59],
      ]),
    ];
    const candidates: WhatIfCandidate[] = [
      { kind: 'sla_policy', planFor: () => plan(10) },
      { kind: 'bot_threshold', threshold: 0.4 },
      { kind: 'routing', defaultCapacity: 1 },
    ];
    for (const candidate of candidates) {
      const types = eventTypesRead(candidate.kind)!;
      const read = conversations.map(({ id, events }) => ({ id, events: events.filter((each) => types.includes(each.type)) }));
      const whole = whatIfResult(tallyBatch(emptyTally(candidate.kind), conversations, candidate, until));
      expect(whatIfResult(tallyBatch(emptyTally(candidate.kind), read, candidate, until)), candidate.kind).toEqual(whole);
    }
    // What routing looked for may come from any event: the profiles kind reads them all.
    expect(eventTypesRead('routing_profile')).toBeNull();
  });
});
