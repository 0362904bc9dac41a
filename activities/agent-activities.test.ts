// The agent workflow's activities with a fake database: their decisions, not the queries.
import { describe, expect, it } from 'vitest';
import type { ActivityDeps } from './activity-deps.js';
import { createAgentActivities } from './agent-activities.js';

/** Deps whose database answers only what the test scripts; anything else throws. */
function depsWith(db: Record<string, unknown>): ActivityDeps {
  const strict = new Proxy(db, {
    get: (target, key) => {
      if (key in target) return target[key as string];
      throw new Error(`the activity touched db.${String(key)}, which this test did not expect`);
    },
  });
  return { db: strict } as unknown as ActivityDeps;
}

describe('agentSettings', () => {
  it('gives an agent 5 minutes offline before their conversations move, unless the organisation says otherwise', async () => {
    const none = createAgentActivities(depsWith({ organization: { findUnique: async () => null } }));
    expect(await none.agentSettings()).toEqual({ offlineGraceMinutes: 5 });
    const stored = createAgentActivities(depsWith({ organization: { findUnique: async () => ({ settings: { offlineGraceMinutes: '12' } }) } }));
    expect(await stored.agentSettings()).toEqual({ offlineGraceMinutes: 12 });
  });
});

describe('requeueAgentConversations', () => {
  it('moves nothing when the agent came back online just as the timer fired', async () => {
    for (const presence of ['online', 'away'] as const) {
      const activities = createAgentActivities(depsWith({ user: { findUnique: async () => ({ presence }) } }));
      // Only db.user is scripted: a requeue would touch conversations and throw.
      expect(await activities.requeueAgentConversations({ userId: 'u1', reason: 'offline' })).toBe(0);
    }
  });

  it('moves nothing for an agent who no longer exists', async () => {
    const activities = createAgentActivities(depsWith({ user: { findUnique: async () => null } }));
    expect(await activities.requeueAgentConversations({ userId: 'gone', reason: 'offline' })).toBe(0);
  });
});
