import { expect, it } from 'vitest';
import { auditEventsQuery } from './audit.js';

it('reads the cursor as a big integer, the limit as a number with a default, and since as a date', () => {
  expect(auditEventsQuery().parse({ before: '9007199254740993', since: '2026-01-01T00:00:00Z' })).toEqual({
    before: 9007199254740993n,
    since: new Date('2026-01-01T00:00:00Z'),
    limit: 50,
  });
  expect(auditEventsQuery().safeParse({ before: '-1' }).success).toBe(false);
  expect(auditEventsQuery().safeParse({ limit: '0' }).success).toBe(false);
});

it('checks the type with the predicate it was made with', () => {
  const query = auditEventsQuery((type) => type === 'team.*');
  expect(query.parse({ type: 'team.*' }).type).toBe('team.*');
  expect(query.safeParse({ type: 'rule.*' }).error?.issues[0]).toMatchObject({
    path: ['type'],
    message: 'must be an audit event type (team.created) or a family (team.*)',
  });
});
