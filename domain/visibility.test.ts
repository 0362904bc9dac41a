import { describe, expect, it } from 'vitest';
import { canSee, type Scope, type Viewer } from './visibility.js';

const scope = (overrides: Partial<Scope> = {}): Scope => ({
  customerId: 'cust-1',
  teamId: 'team-billing',
  assigneeId: null,
  internal: false,
  ...overrides,
});

const admin: Viewer = { kind: 'user', userId: 'admin-1', role: 'admin', teamId: null };
const agent = (teamId: string | null = 'team-billing', userId = 'agent-1'): Viewer => ({ kind: 'user', userId, role: 'agent', teamId });
const customer = (customerId = 'cust-1'): Viewer => ({ kind: 'customer', customerId });
const integration: Viewer = { kind: 'integration', apiKeyId: 'key-1', scopes: ['conversations:read'] };

describe('canSee', () => {
  describe('admins', () => {
    it('see everything, including internal items of other teams and customers', () => {
      expect(canSee(admin, scope({ teamId: 'team-other', assigneeId: 'agent-9', internal: true }))).toBe(true);
      expect(canSee(admin, scope({ customerId: null, teamId: null }))).toBe(true);
    });
  });

  describe('integrations', () => {
    it('see everything, like admins (their scopes limit what they may read at all)', () => {
      expect(canSee(integration, scope({ teamId: 'team-other', assigneeId: 'agent-9', internal: true }))).toBe(true);
      expect(canSee(integration, scope({ customerId: null, teamId: null }))).toBe(true);
    });
  });

  describe('agents', () => {
    it('see what is assigned to them, even in another team', () => {
      expect(canSee(agent('team-billing', 'agent-1'), scope({ teamId: 'team-other', assigneeId: 'agent-1' }))).toBe(true);
    });

    it('see what belongs to their team, even when assigned to a colleague', () => {
      expect(canSee(agent('team-billing'), scope({ teamId: 'team-billing', assigneeId: 'agent-2' }))).toBe(true);
    });

    it('see what belongs to no team yet', () => {
      expect(canSee(agent('team-billing'), scope({ teamId: null }))).toBe(true);
      expect(canSee(agent(null), scope({ teamId: null, assigneeId: 'agent-2' }))).toBe(true);
    });

    it('see internal items they may otherwise see', () => {
      expect(canSee(agent('team-billing'), scope({ internal: true }))).toBe(true);
    });

    it('do not see another team’s items assigned to someone else or to nobody', () => {
      expect(canSee(agent('team-billing'), scope({ teamId: 'team-other', assigneeId: 'agent-2' }))).toBe(false);
      expect(canSee(agent('team-billing'), scope({ teamId: 'team-other', assigneeId: null }))).toBe(false);
    });

    it('without a team do not see team items that are not theirs', () => {
      expect(canSee(agent(null), scope({ teamId: 'team-billing', assigneeId: null }))).toBe(false);
    });
  });

  describe('customers', () => {
    it('see their own non-internal items', () => {
      expect(canSee(customer('cust-1'), scope({ customerId: 'cust-1' }))).toBe(true);
    });

    it('never see internal items, even their own', () => {
      expect(canSee(customer('cust-1'), scope({ customerId: 'cust-1', internal: true }))).toBe(false);
    });

    it('do not see another customer’s items', () => {
      expect(canSee(customer('cust-1'), scope({ customerId: 'cust-2' }))).toBe(false);
    });

    it('do not see items that belong to no customer, even without a team', () => {
      expect(canSee(customer('cust-1'), scope({ customerId: null, teamId: null }))).toBe(false);
    });
  });
});
