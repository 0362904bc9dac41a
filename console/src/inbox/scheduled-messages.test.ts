import { describe, expect, it } from 'vitest';
import { agentClock, scheduleAt, shownScheduled, withScheduled, type ScheduledMessageView } from './scheduled-messages';

const entry = (id: string, status: ScheduledMessageView['status'], sendAt: string): ScheduledMessageView => ({
  id,
  conversationId: 'c',
  authorId: 'a',
  authorName: 'Alex',
  body: 'Hello',
  sendAt,
  status,
  failureReason: status === 'failed' ? 'conversation_closed' : null,
  messageId: null,
  sentAt: null,
  createdAt: sendAt,
  updatedAt: sendAt,
});

describe('scheduleAt', () => {
  // A Friday afternoon in Shanghai.
  const now = new Date('2026-12-04T08:00:00Z');
  it('gives tomorrow and Monday at 9:00 in the time zone, and a chosen local time', () => {
    expect(scheduleAt('tomorrow', now, 'Asia/Shanghai')).toBe('2026-12-05T01:00:00.000Z');
    expect(scheduleAt('nextWeek', now, 'Asia/Shanghai')).toBe('2026-12-07T01:00:00.000Z');
    expect(scheduleAt('custom', now, 'Europe/London', '2026-12-10T14:30')).toBe('2026-12-10T14:30:00.000Z');
  });
  it('gives nothing for a missing or past chosen time', () => {
    expect(scheduleAt('custom', now, 'Europe/London', '')).toBeUndefined();
    expect(scheduleAt('custom', now, 'Europe/London', '2026-12-01T09:00')).toBeUndefined();
  });
  it("gives 9:00 the customer's time, and nothing for it without their zone", () => {
    expect(scheduleAt('customerTomorrow', now, 'Asia/Shanghai', '', 'Europe/London')).toBe('2026-12-05T09:00:00.000Z');
    expect(scheduleAt('customerNextWeek', now, 'Asia/Shanghai', '', 'Europe/London')).toBe('2026-12-07T09:00:00.000Z');
    expect(scheduleAt('customerTomorrow', now, 'Asia/Shanghai')).toBeUndefined();
  });
});

describe('agentClock', () => {
  it("shows the agent's clock time, with the weekday when it falls on another day than the customer's", () => {
    // Saturday 9:00 in New York: 14:00 in London the same day, 03:00 on Sunday in Auckland.
    expect(agentClock('2026-12-05T14:00:00.000Z', 'Europe/London', 'America/New_York', 'en-GB')).toBe('14:00');
    expect(agentClock('2026-12-05T14:00:00.000Z', 'Pacific/Auckland', 'America/New_York', 'en-GB')).toBe('Sun 03:00');
  });
});

describe('the list on the conversation', () => {
  it('shows pending ones by send time, then failed ones; sent and cancelled ones are left out', () => {
    const list = [
      entry('late', 'pending', '2026-12-09T09:00:00.000Z'),
      entry('failed', 'failed', '2026-12-01T09:00:00.000Z'),
      entry('sent', 'sent', '2026-12-02T09:00:00.000Z'),
      entry('soon', 'pending', '2026-12-08T09:00:00.000Z'),
      entry('cancelled', 'cancelled', '2026-12-08T09:00:00.000Z'),
    ];
    expect(shownScheduled(list).map((shown) => shown.id)).toEqual(['soon', 'late', 'failed']);
  });
  it('replaces an entry by id', () => {
    const list = withScheduled([entry('a', 'pending', '2026-12-08T09:00:00.000Z')], entry('a', 'cancelled', '2026-12-08T09:00:00.000Z'));
    expect(list.map((shown) => shown.status)).toEqual(['cancelled']);
  });
});
