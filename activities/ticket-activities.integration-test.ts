// Ticket activities against a real database (cloned from the seeded template): which SLA policy a
// ticket gets, the settings its workflow reads, and assignment with its refusals and retries.
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../infra/db.js';
import { cloneTemplateDatabase } from '../test/support/test-database.js';
import { ticketFailures } from '../workflows/ticket.messages.js';
import type { ActivityDeps } from './activity-deps.js';
import { createTicketActivities, type TicketActivities } from './ticket-activities.js';

let db: Db;
let activities: TicketActivities;
let ids: { alex: string; admin: string; frontline: string; specialists: string };

beforeAll(async () => {
  db = createDb(await cloneTemplateDatabase(inject('postgresAdminUrl')), { poolSize: 2 });
  activities = createTicketActivities({ db } as ActivityDeps);
  ids = {
    alex: (await db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } })).id,
    admin: (await db.user.findUniqueOrThrow({ where: { email: 'admin@seamless.local' } })).id,
    frontline: (await db.team.findUniqueOrThrow({ where: { name: 'Frontline' } })).id,
    specialists: (await db.team.findUniqueOrThrow({ where: { name: 'Specialists' } })).id,
  };
});
afterAll(() => db?.$disconnect());

async function ticket(fields: { teamId?: string; priority?: 'low' | 'normal' | 'high' | 'urgent' } = {}) {
  const customer = await db.customer.findFirstOrThrow();
  return db.ticket.create({
    data: { workflowId: `ticket-${randomUUID()}`, subject: 'Test', customerId: customer.id, priority: fields.priority ?? 'high', teamId: fields.teamId },
  });
}

const run = <Args extends unknown[], Result>(fn: (...args: Args) => Promise<Result>, activityId: string, ...args: Args) =>
  new MockActivityEnvironment({ activityId }).run(fn, ...args);

describe('SLA policy', () => {
  it("prefers a policy for the ticket's team over one for every team, and records it", async () => {
    const policy = (name: string, teamId: string | null) =>
      db.slaPolicy.create({
        data: { name, priority: 'urgent', teamId, firstResponseMinutes: 10, nextResponseMinutes: 10, resolutionMinutes: 120, escalation: [] },
      });
    const everyone = await policy('Urgent for all', null);
    const specialistsOnly = await policy('Urgent for specialists', ids.specialists);
    const theirs = await ticket({ teamId: ids.specialists, priority: 'urgent' });
    expect((await activities.resolveTicketSlaPlan({ ticketId: theirs.id, priority: 'urgent' }))?.policyId).toBe(specialistsOnly.id);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: theirs.id } })).slaPolicyId).toBe(specialistsOnly.id);
    const others = await ticket({ teamId: ids.frontline, priority: 'urgent' });
    expect((await activities.resolveTicketSlaPlan({ ticketId: others.id, priority: 'urgent' }))?.policyId).toBe(everyone.id);
  });

  it('reads the reminder and auto-close settings, with defaults for what is unset or not positive', async () => {
    const stored = await ticket();
    await db.organization.update({ where: { id: 1 }, data: { settings: { ticketPendingReminderHours: 12, ticketAutoCloseDays: -1 } } });
    expect((await activities.prepareTicket({ ticketId: stored.id })).settings).toEqual({ pendingReminderHours: 12, autoCloseDaysAfterSolved: 4 });
  });
});

describe('assignTicket', () => {
  it("gives the ticket to an agent, its team following the agent's, once per call", async () => {
    const stored = await ticket({ teamId: ids.specialists });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(await run(activities.assignTicket, 'assign-1', { ticketId: stored.id, agentId: ids.alex, actorId: ids.admin })).toEqual({ teamId: ids.frontline });
    }
    expect(await db.ticket.findUniqueOrThrow({ where: { id: stored.id } })).toMatchObject({ assigneeId: ids.alex, teamId: ids.frontline });
    expect(await db.event.count({ where: { ticketId: stored.id, type: 'ticket.assigned' } })).toBe(1);
  });

  it('unassigns with null, keeping the team', async () => {
    const stored = await ticket({ teamId: ids.frontline });
    await run(activities.assignTicket, 'assign-2', { ticketId: stored.id, agentId: ids.alex, actorId: ids.admin });
    expect(await run(activities.assignTicket, 'assign-3', { ticketId: stored.id, agentId: null, actorId: ids.admin })).toEqual({ teamId: ids.frontline });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: stored.id } })).assigneeId).toBeNull();
  });

  it('refuses a user that does not exist, as a business failure', async () => {
    const stored = await ticket();
    await expect(run(activities.assignTicket, 'assign-4', { ticketId: stored.id, agentId: randomUUID(), actorId: ids.admin })).rejects.toMatchObject({
      type: ticketFailures.assignRefused,
      nonRetryable: true,
    });
    await expect(run(activities.assignTicket, 'assign-5', { ticketId: stored.id, agentId: 'alex', actorId: ids.admin })).rejects.toMatchObject({
      type: ticketFailures.assignRefused,
    });
  });
});
