import { describe, expect, it } from 'vitest';
import { ConnectionLimits, defaultConnectionLimits } from './connection-limits.js';

const limits = (overrides: Partial<typeof defaultConnectionLimits>) => new ConnectionLimits({ ...defaultConnectionLimits, ...overrides });

describe('connection limits', () => {
  it('caps upgrades being authenticated per address and in all, and frees a slot when one ends', () => {
    const bounded = limits({ pendingUpgradesPerIp: 2, pendingUpgrades: 3 });
    expect(bounded.beginUpgrade('10.0.0.1')).toBeNull();
    expect(bounded.beginUpgrade('10.0.0.1')).toBeNull();
    expect(bounded.beginUpgrade('10.0.0.1')).toBe('too_many_pending_upgrades');
    expect(bounded.beginUpgrade('10.0.0.2')).toBeNull();
    expect(bounded.beginUpgrade('10.0.0.3')).toBe('too_many_pending_upgrades');
    bounded.endUpgrade('10.0.0.1');
    expect(bounded.beginUpgrade('10.0.0.3')).toBeNull();
  });

  it('caps open sockets per token and per address', () => {
    const bounded = limits({ socketsPerToken: 2, socketsPerIp: 3 });
    expect(bounded.openSocket('visitor-a', 'ip-1')).toBeNull();
    expect(bounded.openSocket('visitor-a', 'ip-2')).toBeNull();
    expect(bounded.openSocket('visitor-a', 'ip-3')).toBe('too_many_sockets');
    expect(bounded.openSocket('visitor-b', 'ip-1')).toBeNull();
    expect(bounded.openSocket('visitor-c', 'ip-1')).toBeNull();
    expect(bounded.openSocket('visitor-d', 'ip-1')).toBe('too_many_sockets');
    bounded.closeSocket('visitor-a', 'ip-1');
    expect(bounded.openSocket('visitor-a', 'ip-1')).toBeNull();
  });

  it('lets a socket send a burst, then frames at the refill rate only', () => {
    const bucket = limits({ frameBurst: 3, framesPerSecond: 2 }).frameBucket();
    const at = 1_000_000;
    expect([bucket.take(at), bucket.take(at), bucket.take(at), bucket.take(at)]).toEqual([true, true, true, false]);
    expect(bucket.take(at + 499)).toBe(false);
    expect(bucket.take(at + 500)).toBe(true);
    expect(bucket.take(at + 500)).toBe(false);
  });
});
