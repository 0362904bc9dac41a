import { describe, expect, it } from 'vitest';
import { describeExplanation } from '../explanation.js';
import { traceConditions } from './condition-trace.js';
import type { RuleFacts } from './matcher.js';

const now = new Date('2026-12-07T10:30:00Z');
const facts: RuleFacts = {
  subject: 'conversation',
  id: 'c1',
  channel: 'web_chat',
  status: 'queued',
  priority: 'high',
  tier: 'junior',
  teamId: null,
  assigneeId: null,
  tags: ['refund'],
  customer: { vip: true, language: 'en', attributes: { plan: 'gold' } },
  message: { authorKind: 'customer', text: 'I want my money back, card 4111 1111', intent: 'billing', sentiment: 'negative' },
  counts: { messages: 3, reopens: 0 },
  times: { created: '2026-12-07T10:00:00Z', status_changed: '2026-12-07T10:00:00Z', last_customer_message: null, last_agent_message: null, assigned: null },
  calendar: null,
};

describe('traceConditions', () => {
  it('lists each condition with the value the rule saw and whether it held', () => {
    const trace = traceConditions(
      {
        all: [
          { field: 'customer.vip', op: 'is', value: true },
          { field: 'priority', op: 'in', value: ['high', 'urgent'] },
          {
            any: [
              { field: 'minutes_since', since: 'created', op: 'gt', value: 20 },
              { field: 'tags', op: 'contains', value: 'urgent' },
            ],
          },
        ],
      } as never,
      facts,
      now,
    );
    expect(trace).toEqual({
      mode: 'all',
      conditions: [
        { field: 'customer.vip', op: 'is', expected: true, seen: true, held: true },
        { field: 'priority', op: 'in', expected: ['high', 'urgent'], seen: 'high', held: true },
        { field: 'minutes_since.created', op: 'gt', expected: 20, seen: 30, held: true },
        { field: 'tags', op: 'contains', expected: 'urgent', seen: ['refund'], held: false },
      ],
    });
    expect(describeExplanation({ kind: 'rule', ruleName: 'VIP waiting', trigger: 'time_elapsed', ...trace }, String, 'en')).toBe(
      'Rule "VIP waiting" ran on time_elapsed: every condition held: customer.vip is true (seen: true, held), priority in high, urgent (seen: high, held), ' +
        'minutes_since.created gt 20 (seen: 30, held), tags contains urgent (seen: refund, did not hold).',
    );
  });

  it("never copies the message's text or a custom field, only whether the condition held", () => {
    const trace = traceConditions(
      {
        any: [
          { field: 'message.text', op: 'contains', value: 'money back' },
          { field: 'customer.attributes.plan', op: 'eq', value: 'gold' },
        ],
      } as never,
      facts,
      now,
    );
    expect(trace.mode).toBe('any');
    expect(trace.conditions.map((condition) => [condition.seen, condition.held])).toEqual([
      [null, true],
      [null, true],
    ]);
    expect(JSON.stringify(trace)).not.toContain('4111');
  });

  it('says a rule without conditions always runs', () => {
    expect(traceConditions({ all: [] }, facts, now)).toEqual({ mode: 'always', conditions: [] });
  });
});
