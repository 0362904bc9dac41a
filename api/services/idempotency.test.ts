import { describe, expect, it } from 'vitest';
import { ownedKey, senderOf } from './idempotency.js';

describe('ownedKey', () => {
  it('stores one key apart for each sender, so no caller finds what another stored under it', () => {
    const agent = senderOf({ kind: 'user', userId: 'u1', role: 'agent', teamId: null });
    const colleague = senderOf({ kind: 'user', userId: 'u2', role: 'agent', teamId: null });
    const integration = senderOf({ kind: 'integration', apiKeyId: 'u1', scopes: [] });
    const customer = senderOf({ kind: 'customer', customerId: 'u1' });
    const stored = [agent, colleague, integration, customer].map((sender) => ownedKey(sender, 'retry-1'));
    expect(new Set(stored).size).toBe(4);
    expect(stored[0]).toBe('user:u1:retry-1');
  });

  it("never meets the system's own keys (rule-raised tickets use rule:<execution>:<action>)", () => {
    expect(ownedKey({ kind: 'user', id: 'u1' }, 'rule:e1:0')).not.toMatch(/^rule:/);
  });

  it('keeps no key as none', () => {
    expect(ownedKey({ kind: 'user', id: 'u1' }, null)).toBeNull();
  });
});
