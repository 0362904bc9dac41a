// SLA plans from policies: which calendar a policy's clock counts in.
import { describe, expect, it } from 'vitest';
import type { Db } from '../infra/db.js';
import type { SlaPolicy } from '../prisma/generated/client.js';
import { defaultHours, slaPlanOf } from './sla-plans.js';

const london = { timeZone: 'Europe/London', weekly: [{ day: 1, open: '09:00', close: '17:00' }], holidays: ['2026-12-25'] };
const shanghai = { timeZone: 'Asia/Shanghai', weekly: [{ day: 2, open: '10:00', close: '18:00' }], holidays: [] };

const policy = (fields: Partial<SlaPolicy> = {}) =>
  ({
    id: 'p1',
    name: 'Urgent',
    firstResponseMinutes: 15,
    nextResponseMinutes: 30,
    resolutionMinutes: 240,
    warningPercent: 80,
    escalation: [{ action: 'notify' }],
    ...fields,
  }) as SlaPolicy;

describe('slaPlanOf', () => {
  it('counts in the policy’s own hours before the fallback', () => {
    const plan = slaPlanOf({ ...policy(), businessHours: london as never }, shanghai as never);
    expect(plan).toMatchObject({ policyId: 'p1', policyName: 'Urgent', firstResponseMinutes: 15, warningPercent: 80, escalation: [{ action: 'notify' }] });
    expect(plan.calendar?.timeZone).toBe('Europe/London');
  });

  it('falls back to the given hours, and to the clock (no calendar) without any', () => {
    expect(slaPlanOf({ ...policy(), businessHours: null }, shanghai as never).calendar?.timeZone).toBe('Asia/Shanghai');
    expect(slaPlanOf({ ...policy(), businessHours: null }, null).calendar).toBeNull();
  });
});

describe('defaultHours', () => {
  it('takes the team’s hours (even none) without asking the database', async () => {
    const db = {} as Db; // any query would throw
    expect(await defaultHours(db, { businessHours: london as never }, 'expert')).toBe(london);
    expect(await defaultHours(db, { businessHours: null }, 'expert')).toBeNull();
  });

  it('without a team, takes the first team of the tier: self-service counts as junior', async () => {
    const asked: unknown[] = [];
    const db = { team: { findFirst: async (query: { where: unknown }) => (asked.push(query.where), { businessHours: shanghai }) } } as unknown as Db;
    expect(await defaultHours(db, null, 'self_service')).toBe(shanghai);
    expect(await defaultHours(db, null, 'expert')).toBe(shanghai);
    expect(asked).toEqual([{ tier: 'junior' }, { tier: 'expert' }]);
  });
});
