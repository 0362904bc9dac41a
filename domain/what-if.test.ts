import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from './rules/replay.js';
import type { SlaPlan } from './sla-plan.js';
import { emptyTally, tallyBatch, whatIfResult, type WhatIfConversation } from './what-if.js';

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
        agents: [
          { agentId: 'ana', assigned: 3, averageWaitMinutes: 0 },
          { agentId: 'bo', assigned: 1, averageWaitMinutes: 0 },
        ],
      },
      whatIf: {
        averageWaitMinutes: 11.25,
        agents: [
          { agentId: 'ana', capacity: 1, assigned: 1, peakOpen: 1, averageWaitMinutes: 0 },
          { agentId: 'bo', capacity: 1, assigned: 3, peakOpen: 1, averageWaitMinutes: 15 },
        ],
      },
    });
  });
});
