import { describe, expect, it } from 'vitest';
import { allEventTypes } from './events.js';
import {
  describeFailingWindow,
  failingTooLong,
  logTypesOf,
  shouldDisableWebhook,
  webhookEventTypeNames,
  webhookEventTypes,
  webhookTypeOf,
} from './webhook-events.js';

describe('webhook event types', () => {
  it('map each event log type to at most one public type, and only registered log types', () => {
    const logTypes = webhookEventTypeNames.flatMap((name) => webhookEventTypes[name]);
    expect(new Set(logTypes).size).toBe(logTypes.length);
    for (const logType of logTypes) expect(allEventTypes).toContain(logType);
  });

  it('expand a subscription to the log types it matches, and name a delivery by its public type', () => {
    expect(logTypesOf(['contact.updated', 'message.created'])).toEqual(['message.created', 'customer.updated', 'customer.merged']);
    expect(webhookTypeOf('ticket.status_changed')).toBe('ticket.updated');
    expect(webhookTypeOf('ping')).toBe('ping');
  });

  it('disable an endpoint once the limit of deliveries given up in a row is reached, never with the limit off', () => {
    expect(shouldDisableWebhook(2, 3)).toBe(false);
    expect(shouldDisableWebhook(3, 3)).toBe(true);
    expect(shouldDisableWebhook(10, 0)).toBe(false);
  });

  it('disable an endpoint failing for the whole window since its first failure, never while it succeeds or with the window off', () => {
    const since = new Date('2026-12-07T10:00:00Z');
    const day = 24 * 3_600_000;
    expect(failingTooLong(since, new Date('2026-12-08T09:59:59Z'), day)).toBe(false);
    expect(failingTooLong(since, new Date('2026-12-08T10:00:00Z'), day)).toBe(true);
    expect(failingTooLong(null, new Date('2026-12-09T10:00:00Z'), day)).toBe(false);
    expect(failingTooLong(since, new Date('2026-12-09T10:00:00Z'), 0)).toBe(false);
    expect([day, 90 * 60_000, 1_000, 30_500].map(describeFailingWindow)).toEqual(['24 hours', '90 minutes', '1 second', '31 seconds']);
  });
});
