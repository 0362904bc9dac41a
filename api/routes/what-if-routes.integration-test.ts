// What-if jobs on the running system (API, Temporal, worker, PostgreSQL): a small known history
// replayed against an SLA policy, a bot threshold and an agent's new skill, the figures checked
// word for word; a job cancelled while its first batch waits on the database.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatIfWorkflowId } from '../../workflows/what-if.messages.js';
import { demoStaff, signIn } from '../../test/support/fixtures.js';
import { startSystem, type TestSystem } from '../../test/support/system.js';
import { waitUntil } from '../../test/support/wait-until.js';

let system: TestSystem;
let tokens: Record<'agent' | 'admin', string>;
const ids = { slow: randomUUID(), quick: randomUUID(), bot: randomUUID() };

const minute = 60_000;
/** Two days ago, on the minute: inside the 7 days every job here replays. */
const start = Math.floor((Date.now() - 2 * 24 * 60 * minute) / minute) * minute;
const at = (minutes: number) => new Date(start + minutes * minute);

beforeAll(async () => {
  system = await startSystem();
  tokens = await signIn(system, 'agent', 'admin');
  const { db } = system;
  // The demo data out of the period, and every clock in 24/7 (no team hours as a policy's fallback).
  await db.conversation.updateMany({ data: { createdAt: new Date(Date.now() - 400 * 24 * 60 * minute) } });
  await db.team.updateMany({ data: { businessHoursId: null } });
  const customer = await db.customer.findFirstOrThrow();
  const channel = await db.channel.findFirstOrThrow();
  const conversation = (id: string, created: number) =>
    db.conversation.create({ data: { id, workflowId: `seeded-${id}`, customerId: customer.id, channelId: channel.id, createdAt: at(created) } });
  const event = (conversationId: string, minutes: number, type: string, payload: Record<string, unknown> = {}) =>
    db.event.create({ data: { type, occurredAt: at(minutes), actorKind: 'system', conversationId, internal: true, payload: payload as object } });
  const created = { conversation: { priority: 'normal' } };
  const customerMessage = { message: { authorKind: 'customer', private: false } };
  const agentReply = { message: { authorKind: 'agent', private: false } };

  // Answered after 20 minutes: the log recorded a first-response breach (a 15-minute target).
  await conversation(ids.slow, 0);
  await event(ids.slow, 0, 'conversation.created', created);
  await event(ids.slow, 0, 'message.created', customerMessage);
  await event(ids.slow, 15, 'sla.breached', { metric: 'first_response', dueAt: at(15).toISOString() });
  await event(ids.slow, 20, 'message.created', agentReply);
  await event(ids.slow, 60, 'conversation.resolved');
  // The bot answered (confidence 0.72), a person replied after 5 minutes.
  await conversation(ids.quick, 120);
  await event(ids.quick, 120, 'conversation.created', created);
  await event(ids.quick, 120, 'bot.answered', { confidence: 0.72 });
  await event(ids.quick, 125, 'message.created', agentReply);
  await event(ids.quick, 150, 'conversation.resolved');
  // The bot declined for low confidence (0.61) and the customer left.
  await conversation(ids.bot, 240);
  await event(ids.bot, 240, 'conversation.created', created);
  await event(ids.bot, 240, 'bot.declined', { confidence: 0.61, reason: 'low_confidence' });
  await event(ids.bot, 250, 'conversation.resolved');
});
afterAll(() => system?.stop());

const startJob = (body: unknown, token = tokens.admin) => system.request('POST', '/api/what-if', { token, body });
/** Waits for the job's workflow to end (it updates the row before), then reads the job. */
async function finished(id: string) {
  await system.temporal.workflow.getHandle(whatIfWorkflowId(id)).result();
  const read = await system.request('GET', `/api/what-if/${id}`, { token: tokens.admin });
  expect(read.status).toBe(200);
  return read.body.whatIf;
}

describe('what-if jobs', () => {
  it('replays a 30-minute first-response target: the recorded breach becomes a warning', async () => {
    const started = await startJob({
      kind: 'sla_policy',
      days: 7,
      candidate: { priority: 'normal', firstResponseMinutes: 30, nextResponseMinutes: 600, resolutionMinutes: 6000, warningPercent: 50 },
    });
    expect(started.status).toBe(202);
    expect(started.body.whatIf).toMatchObject({ kind: 'sla_policy', days: 7, status: 'running', processed: 0 });
    const job = await finished(started.body.whatIf.id);
    expect(job).toMatchObject({ status: 'completed', processed: 3, total: 3, error: null });
    expect(job.result).toEqual({
      kind: 'sla_policy',
      conversations: 3,
      sla: {
        actual: { breached: { count: 1, ids: [ids.slow] }, warned: { count: 0, ids: [] }, firstResponseCompliance: 0.6667, resolutionCompliance: 1 },
        whatIf: { breached: { count: 0, ids: [] }, warned: { count: 1, ids: [ids.slow] }, firstResponseCompliance: 1, resolutionCompliance: 1 },
        changed: { count: 1, ids: [ids.slow] },
      },
    });
  });

  it('replays a bot threshold of 0.6: the low-confidence decline would have been answered', async () => {
    const started = await startJob({ kind: 'bot_threshold', days: 7, candidate: { threshold: 0.6 } });
    expect(started.status).toBe(202);
    const job = await finished(started.body.whatIf.id);
    expect(job.result).toEqual({
      kind: 'bot_threshold',
      conversations: 3,
      bot: { decisions: 2, actual: { answered: 1, answeredShare: 0.5 }, whatIf: { answered: 2, answeredShare: 1 }, changed: { count: 1, ids: [ids.bot] } },
    });
    // Done: a cancel is refused, the job stays completed.
    const late = await system.request('POST', `/api/what-if/${job.id}/cancel`, { token: tokens.admin, body: {} });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('what_if_finished');
  });

  it('cancels a running job: its workflow ends cancelled, nothing replayed', async () => {
    // Hold the conversations table so the first batch waits, then cancel while it does.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = system.db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe('LOCK TABLE "Conversation" IN ACCESS EXCLUSIVE MODE');
        locked();
        await released;
      },
      { timeout: 60_000 },
    );
    try {
      await isLocked;
      const started = await startJob({ kind: 'bot_threshold', days: 7, candidate: { threshold: 0.6 } });
      expect(started.status).toBe(202);
      const id: string = started.body.whatIf.id;
      // Cancel only once the batch waits on the lock: cancelled before its first read, the batch
      // sees the row cancelled and the workflow ends quietly instead of as cancelled.
      await waitUntil(async () => {
        const [{ waiting } = { waiting: 0 }] = await system.db.$queryRaw<{ waiting: number }[]>`
          SELECT count(*)::int AS waiting FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
          WHERE c.relname = 'Conversation' AND NOT l.granted`;
        return waiting > 0 ? true : null;
      });
      const cancelled = await system.request('POST', `/api/what-if/${id}/cancel`, { token: tokens.admin, body: {} });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.whatIf).toMatchObject({ id, status: 'cancelled', processed: 0, result: null });
      release();
      await holder;
      const ended = await system.temporal.workflow
        .getHandle(whatIfWorkflowId(id))
        .result()
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(ended).toBeInstanceOf(WorkflowFailedError);
      expect((ended as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      const read = await system.request('GET', `/api/what-if/${id}`, { token: tokens.admin });
      expect(read.body.whatIf).toMatchObject({ status: 'cancelled', processed: 0, result: null });
    } finally {
      release();
      await holder;
    }
  });

  it('is for admins and team leads only', async () => {
    expect((await startJob({ kind: 'bot_threshold', days: 7, candidate: { threshold: 0.6 } }, tokens.agent)).status).toBe(403);
  });

  describe('routing profiles', () => {
    // Fixed ids: equally loaded agents are told apart by id, so the replay is the same on every run.
    const ana = '00000000-0000-4000-8000-00000000a001';
    const bo = '00000000-0000-4000-8000-00000000a002';
    const routed = { first: randomUUID(), second: randomUUID() };

    beforeAll(async () => {
      const { db } = system;
      const agent = (id: string, name: string, skills: string[]) =>
        db.user.create({ data: { id, name, email: `${name.toLowerCase()}-${id}@example.test`, passwordHash: 'unused', tier: 'junior', skills, capacity: 1 } });
      await agent(ana, 'Ana', []);
      await agent(bo, 'Bo', []);
      const customer = await db.customer.findFirstOrThrow();
      const channel = await db.channel.findFirstOrThrow();
      const explanation = { kind: 'routing', tier: 'junior', teamId: null, skill: 'billing' };
      // Two billing questions five minutes apart, nobody with the skill: ana took both, the second
      // after waiting 25 minutes for her seat (bo was away).
      for (const [id, created, assigned, resolved] of [
        [routed.first, 300, 300, 330],
        [routed.second, 305, 330, 340],
      ] as const) {
        await db.conversation.create({ data: { id, workflowId: `seeded-${id}`, customerId: customer.id, channelId: channel.id, createdAt: at(created) } });
        const event = (minutes: number, type: string, payload: Record<string, unknown> = {}) =>
          db.event.create({ data: { type, occurredAt: at(minutes), actorKind: 'system', conversationId: id, internal: true, payload: payload as object } });
        await event(created, 'conversation.created', { conversation: { tier: 'junior', teamId: null } });
        await event(assigned, 'conversation.assigned', { conversation: { assigneeId: ana, teamId: null }, explanation });
        await event(resolved, 'conversation.resolved');
      }
    });

    it('replays bo learning billing: the first question goes to him, the second to ana at once', async () => {
      const started = await startJob({ kind: 'routing_profile', days: 7, candidate: { changes: { [bo]: { skills: ['billing'] } } } });
      expect(started.status).toBe(202);
      const job = await finished(started.body.whatIf.id);
      expect(job.result).toEqual({
        kind: 'routing_profile',
        conversations: 5,
        routing: {
          arrivals: 2,
          stillQueued: 0,
          actual: {
            averageWaitMinutes: 12.5,
            medianWaitMinutes: 0,
            p90WaitMinutes: 25,
            agents: [{ agentId: ana, assigned: 2, averageWaitMinutes: 12.5 }],
          },
          whatIf: {
            averageWaitMinutes: 0,
            medianWaitMinutes: 0,
            p90WaitMinutes: 0,
            agents: [
              { agentId: ana, capacity: 1, assigned: 1, peakOpen: 1, averageWaitMinutes: 0 },
              { agentId: bo, capacity: 1, assigned: 1, peakOpen: 1, averageWaitMinutes: 0 },
            ],
          },
          reassigned: { count: 1, ids: [routed.first] },
          waitedLonger: { count: 0, ids: [] },
        },
      });
    });

    it("lets a team lead try their own team's agents and hours only, and follow only their own jobs", async () => {
      const { db } = system;
      const lead = await db.user.findUniqueOrThrow({ where: { email: demoStaff.agent } });
      const weekly = [{ day: 1, open: '09:00', close: '17:00' }];
      const hours = await db.businessHours.create({ data: { name: `Billing hours ${randomUUID()}`, timeZone: 'UTC', weekly, holidays: [] } });
      // Named last of its tier: the first team's hours also count for policies without hours of their own, so those would not be only the lead's.
      const team = await db.team.create({ data: { name: `Zz billing ${randomUUID()}`, tier: 'junior', leadId: lead.id, businessHoursId: hours.id } });
      await db.user.update({ where: { id: ana }, data: { teamId: team.id } });
      const asLead = (body: unknown) => startJob(body, tokens.agent);
      const runs = () => db.whatIfRun.count();
      const before = await runs();
      // Bo is of no team, the bot threshold concerns everyone, hours named by no team are not theirs.
      for (const body of [
        { kind: 'routing_profile', days: 7, candidate: { changes: { [bo]: { skills: ['billing'] } } } },
        { kind: 'routing_profile', days: 7, candidate: { changes: { [ana]: { teamId: null } } } },
        { kind: 'bot_threshold', days: 7, candidate: { threshold: 0.6 } },
        { kind: 'business_hours', days: 7, candidate: { businessHoursId: null, timeZone: 'UTC', weekly } },
      ]) {
        const refused = await asLead(body);
        expect([body.kind, refused.status, refused.body.error?.code]).toEqual([body.kind, 403, 'forbidden']);
      }
      expect(await runs()).toBe(before);

      const own = await asLead({ kind: 'routing_profile', days: 7, candidate: { changes: { [ana]: { tier: 'expert' } } } });
      expect(own.status).toBe(202);
      const job = await finished(own.body.whatIf.id);
      expect(job).toMatchObject({ kind: 'routing_profile', status: 'completed', processed: 5 });
      expect((await system.request('GET', `/api/what-if/${job.id}`, { token: tokens.agent })).status).toBe(200);
      const teamHours = await asLead({ kind: 'business_hours', days: 7, candidate: { businessHoursId: hours.id, timeZone: 'UTC', weekly } });
      expect(teamHours.status).toBe(202);
      await finished(teamHours.body.whatIf.id);

      // An admin's job is not the lead's to read or stop.
      const admins = await startJob({ kind: 'bot_threshold', days: 7, candidate: { threshold: 0.6 } });
      await finished(admins.body.whatIf.id);
      expect((await system.request('GET', `/api/what-if/${admins.body.whatIf.id}`, { token: tokens.agent })).status).toBe(403);
      expect((await system.request('POST', `/api/what-if/${admins.body.whatIf.id}/cancel`, { token: tokens.agent, body: {} })).status).toBe(403);
    });
  });
});
