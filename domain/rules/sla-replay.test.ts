import { describe, expect, it } from 'vitest';
import type { SlaPlan } from '../sla-plan.js';
import type { Priority } from '../vocabulary.js';
import type { RecordedEvent } from './replay.js';
import { compareSla, replaySla } from './sla-replay.js';

const plan = (fields: Partial<SlaPlan>): SlaPlan => ({
  policyId: 'p',
  policyName: 'Candidate',
  firstResponseMinutes: 30,
  nextResponseMinutes: 60,
  resolutionMinutes: 24 * 60,
  warningPercent: 80,
  escalation: [],
  calendar: null,
  ...fields,
});
let id = 0;
const at = (time: string) => `2026-12-01T${time}:00.000Z`;
const event = (type: string, time: string, payload: Record<string, unknown> = {}): RecordedEvent => ({ id: String(++id), type, occurredAt: at(time), payload });
const created = (time: string, priority: Priority = 'normal') => event('conversation.created', time, { conversation: { priority } });
const message = (time: string, authorKind: 'customer' | 'agent', privateNote = false) =>
  event('message.created', time, { message: { authorKind, private: privateNote } });

// Created 10:00; the agent answers 10:50; the customer writes 11:00; the agent answers 13:30 (a note at 11:30 is no answer); resolved 14:00.
const slow = [
  created('10:00'),
  message('10:00', 'customer'),
  message('10:50', 'agent'),
  message('11:00', 'customer'),
  message('11:30', 'agent', true),
  message('13:30', 'agent'),
  event('conversation.resolved', '14:00'),
];
const until = new Date(at('23:00'));

describe('replaySla', () => {
  it('gives the warnings and breaches a conversation would have had under a plan', () => {
    expect(replaySla(slow, () => plan({}), until)).toEqual([
      { metric: 'first_response', kind: 'warning', at: at('10:24') },
      { metric: 'first_response', kind: 'breached', at: at('10:30') },
      { metric: 'next_response', kind: 'warning', at: at('11:48') },
      { metric: 'next_response', kind: 'breached', at: at('12:00') },
    ]);
    // Looser targets: only the warnings.
    expect(replaySla(slow, () => plan({ firstResponseMinutes: 60, nextResponseMinutes: 180 }), until)).toEqual([
      { metric: 'first_response', kind: 'warning', at: at('10:48') },
      { metric: 'next_response', kind: 'warning', at: at('13:24') },
    ]);
    // No policy for the priority: no clocks.
    expect(replaySla(slow, () => null, until)).toEqual([]);
  });

  it('runs no clock while the bot serves, and restarts them when it hands off', () => {
    const events = [created('10:00'), event('bot.answered', '10:00'), event('bot.handed_off', '11:00'), message('11:20', 'agent')];
    expect(replaySla(events, () => plan({ firstResponseMinutes: 15 }), until)).toEqual([
      { metric: 'first_response', kind: 'warning', at: at('11:12') },
      { metric: 'first_response', kind: 'breached', at: at('11:15') },
    ]);
  });

  it("moves the clocks to the new priority's plan, keeping the time used, and pauses resolution while snoozed", () => {
    const plans: Record<string, SlaPlan> = { normal: plan({ firstResponseMinutes: 120 }), urgent: plan({ firstResponseMinutes: 30, resolutionMinutes: 120 }) };
    const events = [
      created('10:00'),
      event('conversation.priority_changed', '10:20', { conversation: { priority: 'urgent' } }),
      message('10:25', 'agent'),
      event('conversation.snoozed', '10:30'),
      event('conversation.unsnoozed', '12:00'),
      message('12:00', 'customer'),
    ];
    expect(replaySla(events, (priority) => plans[priority] ?? null, until)).toEqual(
      [
        // 20 minutes used of 30 at 10:20: the warning (24) at 10:24, answered at 10:25.
        { metric: 'first_response', kind: 'warning', at: at('10:24') },
        // Next response from 12:00 (60 minutes): warning 12:48, breach 13:00.
        { metric: 'next_response', kind: 'warning', at: at('12:48') },
        // Resolution: 25 minutes to the reply, then from 12:00: 96 of 120 at 13:11, breached at 13:35.
        { metric: 'resolution', kind: 'warning', at: at('13:11') },
        { metric: 'resolution', kind: 'breached', at: at('13:35') },
        { metric: 'next_response', kind: 'breached', at: at('13:00') },
      ].sort((a, b) => a.at.localeCompare(b.at)),
    );
  });
});

describe('compareSla', () => {
  it('sets what would have happened beside what did, with the conversations that change', () => {
    const recorded = [
      ...slow,
      event('sla.warning', '10:48', { metric: 'first_response', dueAt: at('10:48') }),
      event('sla.warning', '13:24', { metric: 'next_response', dueAt: at('13:24') }),
    ].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    const quick = [created('10:00'), message('10:00', 'customer'), message('10:05', 'agent'), event('conversation.resolved', '10:10')];
    const result = compareSla(
      [
        { id: 'slow', events: recorded },
        { id: 'quick', events: quick },
      ],
      () => plan({}),
      until,
    );
    expect(result.actual).toEqual({
      conversations: 2,
      breached: { count: 0, conversationIds: [] },
      warned: { count: 1, conversationIds: ['slow'] },
      firstResponseCompliance: 1,
      resolutionCompliance: 1,
    });
    expect(result.whatIf).toEqual({
      conversations: 2,
      breached: { count: 1, conversationIds: ['slow'] },
      warned: { count: 1, conversationIds: ['slow'] },
      firstResponseCompliance: 0.5,
      resolutionCompliance: 1,
    });
    expect(result.changed).toEqual(['slow']);
  });
});
