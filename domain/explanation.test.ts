import { describe, expect, it } from 'vitest';
import {
  describeExplanation,
  explainRouting,
  explanationFor,
  explanationOf,
  sameRoutingReasons,
  withoutExplanation,
  type RoutingAgent,
} from './explanation.js';

const now = new Date('2026-12-07T10:30:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const agent = (id: string, fields: Partial<RoutingAgent>): RoutingAgent => ({
  id,
  tier: 'junior',
  teamId: 'team-a',
  presence: 'online',
  skills: [],
  openCount: 0,
  capacity: 5,
  lastAssignedAt: null,
  ...fields,
});
const names: Record<string, string> = { lina: 'Li Na', alex: 'Alex', sam: 'Sam', bo: 'Bo', kim: 'Kim' };
const nameOf = (id: string) => names[id] ?? id;
/** Routing's explanation in the default case: junior work, no team, no skill. */
const route = (pools: RoutingAgent[][], chosenId: string | null, fields: { tier?: 'junior' | 'expert'; teamId?: string; skill?: string } = {}) =>
  explainRouting({ tier: 'junior', teamId: null, skill: null, ...fields, pools, chosenId, now });

describe('routing explanations', () => {
  const pool = [
    agent('lina', { skills: ['billing'], openCount: 2, lastAssignedAt: minutesAgo(12) }),
    agent('alex', { skills: ['billing'], openCount: 5, lastAssignedAt: minutesAgo(30) }),
    agent('sam', { skills: ['billing'], presence: 'away' }),
    agent('bo', { skills: ['billing'], openCount: 2, lastAssignedAt: minutesAgo(4) }),
    agent('kim', { skills: ['cards'], openCount: 0 }),
  ];

  it('says whom it chose, on which grounds, and why each other candidate was passed over', () => {
    const explanation = route([pool], 'lina', { teamId: 'team-a', skill: 'billing' });
    expect(explanation.outcome).toBe('assigned');
    expect(explanation.candidates.map((candidate) => [candidate.agentId, candidate.verdict])).toEqual([
      ['lina', 'chosen'],
      ['bo', 'idle_less'],
      ['kim', 'lacks_skill'],
      ['alex', 'at_capacity'],
      ['sam', 'away'],
    ]);
    expect(describeExplanation(explanation, nameOf, 'en')).toBe(
      'Assigned to Li Na: online, knows billing, 2 of 5 conversations open, idle longest (12 min). ' +
        'Passed over: Bo (idle for less time (4 min)), Kim (does not know billing), Alex (at capacity 5/5), Sam (away).',
    );
    expect(describeExplanation(explanation, nameOf, 'zh-CN')).toBe(
      '已分配给 Li Na：在线，擅长账单，进行中 2/5 个会话，空闲最久（12 分钟）。' +
        '未选：Bo（空闲时间更短（4 分钟）），Kim（不擅长账单），Alex（已满 5/5），Sam（离开）。',
    );
  });

  it('names the only agent with a free seat, the fewest open conversations, and overflow to the experts', () => {
    const only = route([[agent('lina', { openCount: 1 }), agent('sam', { presence: 'offline' })]], 'lina');
    expect(describeExplanation(only, nameOf, 'en')).toBe(
      'Assigned to Li Na: online, 1 of 5 conversations open, the only one with a free seat. Passed over: Sam (offline).',
    );
    const overflow = route(
      [[agent('alex', { openCount: 5 })], [agent('bo', { tier: 'expert', openCount: 3 }), agent('kim', { tier: 'expert', openCount: 1 })]],
      'kim',
    );
    expect(overflow.overflow).toBe(true);
    expect(describeExplanation(overflow, nameOf, 'en')).toBe(
      'Assigned to Kim: online, 1 of 5 conversations open, fewest open conversations. No junior agent could take it, so it went to the experts. ' +
        'Passed over: Bo (more conversations open (3)), Alex (at capacity 5/5).',
    );
    expect(describeExplanation(overflow, nameOf, 'zh-CN')).toBe(
      '已分配给 Kim：在线，进行中 1/5 个会话，进行中的会话最少。初级客服都无法接待，已转给专家。未选：Bo（进行中的会话更多（3）），Alex（已满 5/5）。',
    );
  });

  it('says why nobody was assigned', () => {
    const full = route([[agent('alex', { openCount: 5 }), agent('sam', { presence: 'away' })]], null);
    expect(full.outcome).toBe('queued');
    expect(describeExplanation(full, nameOf, 'en')).toBe(
      'Nobody was assigned: every online agent who could take it is at capacity. Considered: Alex (at capacity 5/5), Sam (away).',
    );
    expect(describeExplanation(full, nameOf, 'zh-CN')).toBe('未分配：在线且能接待的客服都已满。考虑过：Alex（已满 5/5），Sam（离开）。');
    const away = route([[agent('sam', { presence: 'offline' })]], null, { tier: 'expert' });
    expect(describeExplanation(away, nameOf, 'en')).toBe('Nobody was assigned: nobody who could take it is online. Considered: Sam (offline).');
    const none = route([[]], null, { tier: 'expert', teamId: 'team-x' });
    expect(describeExplanation(none, nameOf, 'zh-CN')).toBe('未分配：这个级别和团队没有客服。');
    // Routed again with nothing changed: the same reasons (written once).
    expect(sameRoutingReasons(full, route([[agent('alex', { openCount: 5 }), agent('sam', { presence: 'away' })]], null))).toBe(true);
    expect(sameRoutingReasons(full, away)).toBe(false);
  });

  it('lists at most eight candidates and counts the rest', () => {
    const many = Array.from({ length: 11 }, (_, index) => agent(`agent-${String(index).padStart(2, '0')}`, { presence: 'offline' }));
    const explanation = route([many], null);
    expect(explanation.candidates).toHaveLength(8);
    expect(explanation.more).toBe(3);
    expect(describeExplanation(explanation, nameOf, 'en')).toMatch(/agent-07 \(offline\), 3 more\.$/);
  });

  it("hides another team's load from a reader who may not see that team", () => {
    const explanation = route([[agent('lina', { openCount: 1 }), agent('alex', { teamId: 'team-b', openCount: 5 })]], 'lina');
    const seen = explanationFor(explanation, (teamId) => teamId === 'team-a');
    expect(describeExplanation(seen, nameOf, 'en')).toBe(
      'Assigned to Li Na: online, 1 of 5 conversations open, the only one with a free seat. Passed over: Alex (at capacity).',
    );
    expect(seen.kind === 'routing' && seen.candidates.map(({ open, capacity, idleMinutes }) => [open, capacity, idleMinutes])).toEqual([
      [1, 5, null],
      [null, null, null],
    ]);
  });
});

describe('escalation, bot and rule explanations', () => {
  it('names the clock, the ladder step and the times', () => {
    const explanation = {
      kind: 'escalation',
      metric: 'first_response',
      action: 'notify',
      step: 1,
      steps: 2,
      policyName: 'Standard',
      dueAt: '2026-12-07T10:05:00.000Z',
      escalatedAt: '2026-12-07T10:05:02.000Z',
    } as const;
    expect(describeExplanation(explanation, nameOf, 'en')).toBe(
      'Escalated because the first response target was missed (due 2026-12-07 10:05 UTC): step 1 of 2 of the "Standard" ladder, notify the assignee and the team lead, at 2026-12-07 10:05 UTC.',
    );
    expect(describeExplanation(explanation, nameOf, 'zh-CN')).toBe(
      '已升级，因为首次响应目标未达成（截止 2026-12-07 10:05 UTC）：“Standard”升级阶梯第 1/2 步，通知负责人和团队主管，时间 2026-12-07 10:05 UTC。',
    );
  });

  it("gives the bot's confidence, threshold and best matches", () => {
    const answered = {
      kind: 'bot',
      outcome: 'answered',
      reason: null,
      confidence: 0.91,
      threshold: 0.75,
      calibrated: true,
      alternatives: [
        { title: 'Reset your password', score: 0.88 },
        { title: 'Change your email', score: 0.4 },
      ],
    } as const;
    expect(describeExplanation(answered, nameOf, 'en')).toBe(
      'The bot answered: confidence 91% reached the threshold 75% (calibrated on this knowledge base). Best matches: Reset your password (88%), Change your email (40%).',
    );
    expect(describeExplanation(answered, nameOf, 'zh-CN')).toBe(
      '机器人已回答：置信度 91%，达到阈值 75%（按本知识库校准）。最佳匹配：Reset your password（88%），Change your email（40%）。',
    );
    const declined = { ...answered, outcome: 'declined', reason: 'low_confidence', confidence: 0.31, calibrated: false, alternatives: [] } as const;
    expect(describeExplanation(declined, nameOf, 'en')).toBe('The bot did not answer: confidence 31% is below the threshold 75%.');
    expect(describeExplanation(declined, nameOf, 'zh-CN')).toBe('机器人没有回答：置信度 31% 低于阈值 75%。');
    const person = { ...declined, reason: 'asked_for_person', confidence: 0, threshold: null } as const;
    expect(describeExplanation(person, nameOf, 'en')).toBe('The bot did not answer: the customer asked for a person.');
  });

  it('lists the conditions a rule saw with the values seen', () => {
    const explanation = {
      kind: 'rule',
      ruleName: 'VIP first',
      trigger: 'conversation_created',
      mode: 'all',
      conditions: [
        { field: 'customer.vip', op: 'is', expected: true, seen: true, held: true },
        { field: 'priority', op: 'in', expected: ['high', 'urgent'], seen: 'high', held: true },
      ],
    } as const;
    expect(describeExplanation(explanation, nameOf, 'en')).toBe(
      'Rule "VIP first" ran on conversation_created: every condition held: customer.vip is true (seen: true, held), priority in high, urgent (seen: high, held).',
    );
    expect(describeExplanation(explanation, nameOf, 'zh-CN')).toBe(
      '规则“VIP first”在 conversation_created 时运行：所有条件都成立：customer.vip is true（实际：true，成立），priority in high, urgent（实际：high，成立）。',
    );
  });

  it('reads an explanation out of a payload and leaves it out of what the journey carries', () => {
    const payload = { previousAssigneeId: null, explanation: { kind: 'bot', outcome: 'declined' } };
    expect(explanationOf(payload)?.kind).toBe('bot');
    expect(explanationOf({ explanation: { kind: 'other' } })).toBeNull();
    expect(explanationOf({})).toBeNull();
    expect(withoutExplanation(payload)).toEqual({ previousAssigneeId: null });
  });
});
