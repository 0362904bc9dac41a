import { describe, expect, it } from 'vitest';
import type { ConversationView } from '../shared/wire-types';
import { durationParts, slaCountdown, slaStatusOf, trackSlaEvent } from './sla';

const conversation = (overrides: Partial<ConversationView> = {}): ConversationView =>
  ({
    id: 'c1',
    number: 1,
    status: 'open',
    waitingOn: 'agent',
    priority: 'normal',
    tier: 'junior',
    assigneeId: null,
    teamId: null,
    customerId: 'u1',
    customer: { id: 'u1', name: null, email: null },
    subject: null,
    lastMessageAt: '2025-01-01T09:00:00.000Z',
    createdAt: '2025-01-01T09:00:00.000Z',
    assigneeName: null,
    resolvedAt: null,
    snoozedUntil: null,
    tags: [],
    ...overrides,
    // Without slaState and the due dates unless a test gives them: these tests cover the live-event
    // fallback sla.ts keeps for a view that lacks them (the server sends them since infra/views.ts).
  }) as ConversationView;

const now = new Date('2025-01-01T10:00:00.000Z');

describe('slaStatusOf', () => {
  it('is unknown when the view has no SLA state and no event was seen', () => {
    expect(slaStatusOf(conversation(), undefined)).toBeNull();
  });

  it('takes the nearest due date of the view when it carries them', () => {
    const status = slaStatusOf(
      conversation({ slaState: 'ok', firstResponseDueAt: null, nextResponseDueAt: '2025-01-01T10:20:00.000Z', resolutionDueAt: '2025-01-01T10:05:00.000Z' }),
      undefined,
    );
    expect(status).toEqual({ state: 'ok', dueAt: '2025-01-01T10:05:00.000Z', breachedAt: null });
  });

  it('reports a breach over a warning, with the earliest breach instant', () => {
    const track = {
      first_response: { kind: 'warning' as const, at: '2025-01-01T09:30:00.000Z' },
      resolution: { kind: 'breached' as const, at: '2025-01-01T09:50:00.000Z' },
    };
    expect(slaStatusOf(conversation(), track)).toEqual({ state: 'breached', dueAt: null, breachedAt: '2025-01-01T09:50:00.000Z' });
  });

  it('shows nothing for a resolved conversation, whatever was tracked', () => {
    expect(slaStatusOf(conversation({ status: 'resolved' }), { resolution: { kind: 'breached', at: '2025-01-01T09:50:00.000Z' } })).toBeNull();
  });
});

describe('trackSlaEvent', () => {
  it('never turns a breached metric back into a warning (a replayed older event)', () => {
    const breached = trackSlaEvent(undefined, { conversationId: 'c1', metric: 'resolution', kind: 'breached', at: 'b' });
    expect(trackSlaEvent(breached, { conversationId: 'c1', metric: 'resolution', kind: 'warning', at: 'w' })).toEqual(breached);
  });
});

describe('slaCountdown', () => {
  it('counts down to a due date ahead', () => {
    expect(slaCountdown({ state: 'warning', dueAt: '2025-01-01T10:05:00.000Z', breachedAt: null }, now)).toEqual({ key: 'sla.dueIn', ms: 300_000 });
  });

  it('counts up from a missed due date or a breach', () => {
    expect(slaCountdown({ state: 'breached', dueAt: null, breachedAt: '2025-01-01T09:00:00.000Z' }, now)).toEqual({ key: 'sla.overdue', ms: 3_600_000 });
  });

  it('has nothing to count without a date', () => {
    expect(slaCountdown({ state: 'warning', dueAt: null, breachedAt: null }, now)).toBeNull();
    expect(slaCountdown(null, now)).toBeNull();
  });
});

describe('durationParts', () => {
  it('picks the two largest units', () => {
    expect(durationParts(30_000)).toEqual({ key: 'duration.underMinute', params: {} });
    expect(durationParts(12 * 60_000)).toEqual({ key: 'duration.minutes', params: { m: 12 } });
    expect(durationParts(65 * 60_000)).toEqual({ key: 'duration.hours', params: { h: 1, m: '05' } });
    expect(durationParts((2 * 1440 + 3 * 60 + 7) * 60_000)).toEqual({ key: 'duration.days', params: { d: 2, h: 3 } });
  });
});
