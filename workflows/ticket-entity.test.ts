// The ticket's steps without Temporal: fake activities record what the steps ask for, and the
// state shows what they decided. The workflow around them is covered by
// ticket.integration-test.ts and replay.integration-test.ts.
import { ApplicationFailure } from '@temporalio/workflow';
import { describe, expect, it, vi } from 'vitest';
import type { RuleEvent } from '../domain/rules/matcher.js';
import type { SlaPlan } from '../domain/sla-plan.js';
import { TicketEntity, type TicketPorts } from './ticket-entity.js';
import type { TicketState } from './ticket.messages.js';

const plan: SlaPlan = {
  policyId: 'policy-normal',
  policyName: 'Normal priority',
  firstResponseMinutes: 60,
  nextResponseMinutes: 120,
  resolutionMinutes: 8 * 60,
  warningPercent: 80,
  escalation: [{ action: 'notify' }, { action: 'raise_priority' }],
  calendar: null,
};

const start = new Date('2025-03-10T09:00:00.000Z');
const hour = 3_600_000;

const loadedTicket = (overrides: Partial<TicketState> = {}): TicketState => ({
  ticketId: 't-1',
  status: 'open',
  priority: 'normal',
  tier: 'junior',
  assigneeId: null,
  teamId: null,
  slaState: 'ok',
  sla: plan,
  resolution: { metric: 'resolution', targetMinutes: 8 * 60, consumedMinutes: 0, runningSince: start.toISOString() },
  reported: null,
  pendingSince: null,
  pendingReminded: false,
  solvedAt: null,
  settings: { pendingReminderHours: 48, autoCloseDaysAfterSolved: 4 },
  ...overrides,
});

function ticketWith(state: TicketState | null, options: { patches?: string[] } = {}) {
  const clock = { at: start };
  const pushed: RuleEvent[] = [];
  const ran: RuleEvent[] = [];
  const db = {
    prepareTicket: vi.fn(async (_input: { ticketId: string }) => ({
      status: 'pending' as const,
      priority: 'high' as const,
      tier: 'expert' as const,
      assigneeId: 'agent-1',
      teamId: 'team-1',
      sla: plan,
      settings: { pendingReminderHours: 48, autoCloseDaysAfterSolved: 4 },
      createdAt: new Date(start.getTime() - hour).toISOString(),
      solvedAt: null,
    })),
    resolveTicketSlaPlan: vi.fn(async () => plan),
    applyTicketChange: vi.fn(async (_input: { change: object; event: { type: string; details: Record<string, unknown> } }) => {}),
    assignTicket: vi.fn(async () => ({ teamId: 'team-2' as string | null })),
    saveTicketSla: vi.fn(async () => {}),
    escalateTicket: vi.fn(async ({ step }: { step: { action: string } }) => ({ state: step.action === 'raise_priority' ? { priority: 'high' as const } : {} })),
  };
  const notifications = { emailSlaBreach: vi.fn(async () => {}) };
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(action: () => Promise<T>): Promise<T> => {
    const result = tail.then(action);
    tail = result.catch(() => {});
    return result;
  };
  const patches = options.patches ?? ['rule-events', 'sla-email'];
  const ports: TicketPorts = {
    db: db as unknown as TicketPorts['db'],
    notifications,
    rules: { push: (event) => void pushed.push(event), run: async (event) => void ran.push(event) },
    exclusive,
    patched: (patchId) => patches.includes(patchId),
    now: () => clock.at,
  };
  const entity = new TicketEntity('t-1', state ?? ({} as TicketState), ports, { loaded: state !== null });
  const settled = async () => {
    let seen;
    do {
      seen = tail;
      await tail;
    } while (seen !== tail);
  };
  return { entity, state: entity.state, db, notifications, pushed, ran, clock, settled };
}

const written = (db: ReturnType<typeof ticketWith>['db']) => db.applyTicketChange.mock.calls.map(([input]) => input.event.type);

const failureType = (action: () => unknown) => {
  try {
    action();
  } catch (error) {
    return error instanceof ApplicationFailure ? error.type : String(error);
  }
  return null;
};

describe('loading', () => {
  it('takes the stored ticket, with its clock paused from the start while pending', async () => {
    const { entity, state } = ticketWith(null);
    expect(entity.ready).toBe(false);
    await entity.load();
    expect(entity.ready).toBe(true);
    expect(state).toMatchObject({ ticketId: 't-1', status: 'pending', priority: 'high', pendingSince: start.toISOString(), sla: plan });
    expect(state.resolution).toMatchObject({ runningSince: null });
  });

  it('checks only the input before the ticket is loaded, and the transition after', () => {
    const { entity } = ticketWith(null);
    expect(failureType(() => entity.validateSetStatus({ byUserId: 'u', status: 'closed' }))).toBe('InvalidTransition');
    expect(failureType(() => entity.validateSetStatus({ byUserId: 'u', status: 'solved' }))).toBeNull();
    const solved = ticketWith(loadedTicket({ status: 'solved' })).entity;
    expect(failureType(() => solved.validateSetStatus({ byUserId: 'u', status: 'pending' }))).toBe('InvalidTransition');
  });
});

describe('status moves', () => {
  it('solves a ticket: records when, stops its clock, and queues a ticket_updated rule event', async () => {
    const { entity, state, db, pushed } = ticketWith(loadedTicket());
    await entity.setStatus({ byUserId: 'agent-1', status: 'solved' });
    expect(db.applyTicketChange.mock.calls[0]![0]).toMatchObject({
      change: { status: 'solved', solvedAt: start.toISOString() },
      event: { details: { from: 'open', to: 'solved' } },
    });
    expect(state).toMatchObject({ status: 'solved', solvedAt: start.toISOString() });
    expect(state.resolution?.runningSince).toBeNull();
    expect(pushed).toEqual([{ on: 'ticket_updated' }]);
  });

  it('reopens a pending ticket when the customer replies, and ignores the reply of an open one', async () => {
    const pending = ticketWith(loadedTicket({ status: 'pending', pendingSince: start.toISOString() }));
    pending.entity.customerReplied(start.toISOString());
    await pending.settled();
    expect(pending.state).toMatchObject({ status: 'open', pendingSince: null });
    expect(pending.db.applyTicketChange.mock.calls[0]![0].event.details).toMatchObject({ reason: 'customer replied' });

    const open = ticketWith(loadedTicket());
    open.entity.customerReplied(start.toISOString());
    await open.settled();
    expect(open.db.applyTicketChange).not.toHaveBeenCalled();
  });

  it('ignores a repeated customer reply stored before the ticket began to wait again', async () => {
    const repliedAt = new Date(start.getTime() - hour).toISOString();
    const pending = ticketWith(loadedTicket({ status: 'pending', pendingSince: start.toISOString() }), {
      patches: ['rule-events', 'sla-email', 'customer-reply-once'],
    });
    pending.entity.customerReplied(repliedAt);
    await pending.settled();
    expect(pending.state.status).toBe('pending');
    expect(pending.db.applyTicketChange).not.toHaveBeenCalled();

    // Runs from before the patch reopened on it: they still do.
    const older = ticketWith(loadedTicket({ status: 'solved', solvedAt: start.toISOString() }));
    older.entity.customerReplied(repliedAt);
    await older.settled();
    expect(older.state.status).toBe('open');
  });

  it('refuses to assign or re-prioritise a closed ticket', async () => {
    const { entity, db } = ticketWith(loadedTicket({ status: 'closed' }));
    expect(failureType(() => entity.validateAssign({ byUserId: 'u', assigneeId: 'agent-2' }))).toBe('InvalidTransition');
    await expect(entity.setPriority({ byUserId: 'u', priority: 'urgent' })).rejects.toMatchObject({ type: 'InvalidTransition' });
    expect(db.applyTicketChange).not.toHaveBeenCalled();
  });

  it('mirrors a rule that moved the ticket to pending: the pending period starts and the clock pauses', async () => {
    const { entity, state } = ticketWith(loadedTicket());
    await entity.mirrorRuleAction({ state: { status: 'pending' }, freedSeatOf: null });
    expect(state).toMatchObject({ status: 'pending', pendingSince: start.toISOString(), pendingReminded: false });
    expect(state.resolution?.runningSince).toBeNull();
  });
});

describe('timers', () => {
  it('reminds once per pending period', async () => {
    const { entity, state, db, clock } = ticketWith(loadedTicket({ status: 'pending', pendingSince: start.toISOString(), resolution: null, sla: null }));
    expect(entity.nextWake()).toBe(start.getTime() + 48 * hour);
    clock.at = new Date(start.getTime() + 48 * hour);
    await entity.onTime();
    await entity.onTime();
    expect(written(db)).toEqual(['ticket.pending_reminder']);
    expect(state.pendingReminded).toBe(true);
    expect(entity.nextWake()).toBeNull();
  });

  it('closes a solved ticket after the configured days', async () => {
    const { entity, state, db, clock } = ticketWith(loadedTicket({ status: 'solved', solvedAt: start.toISOString(), resolution: null, sla: null }));
    clock.at = new Date(start.getTime() + 4 * 24 * hour);
    await entity.onTime();
    expect(written(db)).toEqual(['ticket.closed']);
    expect(state.status).toBe('closed');
  });

  it('on a breach records it, runs the rules and the escalation ladder, and emails on notify', async () => {
    const { entity, state, db, notifications, ran, clock } = ticketWith(loadedTicket({ reported: 'warning' }));
    clock.at = new Date(start.getTime() + 8 * hour);
    await entity.onTime();
    expect(db.saveTicketSla).toHaveBeenCalledWith(expect.objectContaining({ event: expect.objectContaining({ kind: 'breached' }) }));
    expect(ran).toEqual([{ on: 'sla_breach' }]);
    expect(db.escalateTicket.mock.calls.map(([input]) => input.step.action)).toEqual(['notify', 'raise_priority']);
    expect(notifications.emailSlaBreach).toHaveBeenCalledWith({ subject: { ticketId: 't-1' }, metric: 'resolution' });
    expect(state).toMatchObject({ reported: 'breached', priority: 'high' });
  });

  it('runs no rules on SLA events in runs from before rule events', async () => {
    const { entity, ran, clock } = ticketWith(loadedTicket(), { patches: [] });
    clock.at = new Date(start.getTime() + 8 * hour);
    await entity.onTime();
    expect(ran).toEqual([]);
  });
});
