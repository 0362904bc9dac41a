// Known report data: conversations, messages and events at fixed instants of March 2025 in
// Asia/Shanghai (long before the demo data), written straight to the database. The overview's
// expected figures in test/reports.integration-test.ts and test/console-reports.e2e-test.ts are
// worked out by hand from the comments here.
import { randomUUID } from 'node:crypto';
import { conversationWorkflowId } from '../../domain/workflow-ids.js';
import type { Db } from '../../infra/db.js';

/** A local time in Shanghai (UTC+8, no DST), e.g. `sh('03-04 00:10')` for 2025-03-04. */
export const sh = (monthDayTime: string) => new Date(`2025-${monthDayTime.replace(' ', 'T')}:00+08:00`);
export const reportPeriod = { from: '2025-03-03T00:00:00+08:00', to: '2025-03-17T00:00:00+08:00' };

/** Writes conversations, messages and events straight to the database, at the instants given. */
async function reportWriter(db: Db) {
  const channel = await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  const customer = await db.customer.create({ data: { name: '报表客户 Report customer' } });
  const alex = await db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } });
  const lina = await db.user.findUniqueOrThrow({ where: { email: 'lina@seamless.local' } });

  const conversation = async (createdAt: Date, options: { resolvedAt?: Date; slaPolicyId?: string; assigneeId?: string } = {}) => {
    const id = randomUUID();
    await db.conversation.create({
      data: {
        id,
        workflowId: conversationWorkflowId(id),
        customerId: customer.id,
        channelId: channel.id,
        status: options.resolvedAt ? 'resolved' : 'open',
        createdAt,
        resolvedAt: options.resolvedAt ?? null,
        assigneeId: options.assigneeId ?? null,
        slaPolicyId: options.slaPolicyId ?? null,
        slaState: options.slaPolicyId ? 'ok' : 'none',
      },
    });
    await db.message.create({ data: { conversationId: id, authorKind: 'customer', customerId: customer.id, body: 'Question', createdAt } });
    return id;
  };
  const reply = (conversationId: string, createdAt: Date, isPrivate = false, author = alex.id) =>
    db.message.create({ data: { conversationId, authorKind: 'agent', authorUserId: author, body: 'Answer', private: isPrivate, createdAt } });
  const event = (conversationId: string, type: string, occurredAt: Date, payload: Record<string, unknown> = {}) =>
    db.event.create({
      data: {
        conversationId,
        customerId: customer.id,
        type,
        occurredAt,
        actorKind: type.startsWith('csat') ? 'customer' : 'system',
        internal: !type.startsWith('csat'),
        payload: payload as object,
      },
    });
  return { alex, lina, conversation, reply, event };
}

/** Writes the conversations, messages and events the expected figures are computed from (see each comment). */
export async function buildReportData(db: Db): Promise<void> {
  const { conversation: write, reply, event } = await reportWriter(db);
  const policy = await db.slaPolicy.create({
    data: { name: 'Report probe policy', priority: 'low', firstResponseMinutes: 30, nextResponseMinutes: 30, resolutionMinutes: 600, enabled: false },
  });
  const conversation = (createdAt: Date, options: { resolvedAt?: Date; sla?: boolean } = {}) =>
    write(createdAt, { ...(options.resolvedAt ? { resolvedAt: options.resolvedAt } : {}), ...(options.sla ? { slaPolicyId: policy.id } : {}) });

  // A: first reply after 10 min, resolved after 60, SLA kept, rated 5.
  const a = await conversation(sh('03-03 09:00'), { resolvedAt: sh('03-03 10:00'), sla: true });
  await reply(a, sh('03-03 09:10'));
  await event(a, 'csat.received', sh('03-03 11:00'), { score: 5, comment: null });
  // B: created late on the 3rd, a private note (not a reply), answered after 40 min on the 4th,
  // resolved after 120 min with its SLA breached; rated 2, then 4 (the 4 counts).
  const b = await conversation(sh('03-03 23:30'), { resolvedAt: sh('03-04 01:30'), sla: true });
  await reply(b, sh('03-03 23:35'), true);
  await reply(b, sh('03-04 00:10'));
  await event(b, 'sla.breached', sh('03-04 00:00'), { metric: 'first_response' });
  await event(b, 'csat.received', sh('03-04 02:00'), { score: 2, comment: 'slow' });
  await event(b, 'csat.received', sh('03-04 03:00'), { score: 4, comment: null });
  // C: the bot answers and the customer finds it helpful: resolved after 5 min, no person; rated 3.
  const c = await conversation(sh('03-04 08:00'), { resolvedAt: sh('03-04 08:05') });
  await event(c, 'bot.answered', sh('03-04 08:00'));
  await event(c, 'bot.helpful', sh('03-04 08:05'));
  await event(c, 'csat.received', sh('03-04 09:00'), { score: 3, comment: null });
  // D: the bot answers, the customer wants a person, who replies after 30 min; still open.
  const d = await conversation(sh('03-04 10:00'));
  await event(d, 'bot.answered', sh('03-04 10:00'));
  await event(d, 'bot.handed_off', sh('03-04 10:02'));
  await reply(d, sh('03-04 10:30'));
  // E: created before the period, first reply inside it (80 min): a first response, not a creation.
  const e = await conversation(sh('03-02 23:00'));
  await reply(e, sh('03-03 00:20'));
  // F: answered before the period: a later reply is not a first response.
  const f = await conversation(sh('03-01 10:00'));
  await reply(f, sh('03-01 10:05'));
  await reply(f, sh('03-05 10:00'));
  // G: the second week: resolved after 30 min, SLA kept, rated 1.
  const g = await conversation(sh('03-10 12:00'), { resolvedAt: sh('03-10 12:30'), sla: true });
  await event(g, 'csat.received', sh('03-10 13:00'), { score: 1, comment: 'no' });
  // After the period: counts nowhere.
  const late = await conversation(sh('03-17 00:00'), { resolvedAt: sh('03-17 00:10') });
  await reply(late, sh('03-17 00:05'));
}

/** The leads' reports' period (domain/report-insights.ts): two weeks of April 2025 in Shanghai, Monday to Monday. */
export const insightsPeriod = { from: '2025-04-07T00:00:00+08:00', to: '2025-04-21T00:00:00+08:00' };

/**
 * The history the resolution, agents and busiest-hours reports are checked against
 * (test/reports.integration-test.ts); each comment says what the conversation counts for.
 * Alex Agent and 李娜 are the demo's agents.
 */
export async function buildInsightsData(db: Db): Promise<void> {
  const { alex, lina, conversation, reply, event } = await reportWriter(db);
  const rate = (id: string, at: Date, score: number) => event(id, 'csat.received', at, { score, comment: null });
  // P1 (Mon 09:00): Alex replies once after 10 min, resolves after 40: first contact; rated 5.
  const p1 = await conversation(sh('04-07 09:00'), { resolvedAt: sh('04-07 09:40'), assigneeId: alex.id });
  await reply(p1, sh('04-07 09:10'));
  await rate(p1, sh('04-07 10:00'), 5);
  // P2 (Mon 09:30): Alex replies twice (first after 20 min), resolved after 120: not first contact; rated 3.
  const p2 = await conversation(sh('04-07 09:30'), { resolvedAt: sh('04-07 11:30'), assigneeId: alex.id });
  await reply(p2, sh('04-07 09:50'));
  await reply(p2, sh('04-07 10:20'));
  await rate(p2, sh('04-07 12:00'), 3);
  // P3 (Tue 14:00): 李娜 replies once after 5 min, resolved, reopened, resolved again after 180 min
  // in all: not first contact; rated 2 then 4 (the 4 counts).
  const p3 = await conversation(sh('04-08 14:00'), { resolvedAt: sh('04-08 17:00'), assigneeId: lina.id });
  await reply(p3, sh('04-08 14:05'), false, lina.id);
  await event(p3, 'conversation.reopened', sh('04-08 16:00'));
  await rate(p3, sh('04-08 15:00'), 2);
  await rate(p3, sh('04-08 18:00'), 4);
  // P4 (Tue 14:20): only a private note by 李娜, resolved by her after 40 min: no reply, so no first contact.
  const p4 = await conversation(sh('04-08 14:20'), { resolvedAt: sh('04-08 15:00'), assigneeId: lina.id });
  await reply(p4, sh('04-08 14:30'), true, lina.id);
  // B1 (Wed 20:00): the bot answers, the customer says it helped: AI resolution.
  const b1 = await conversation(sh('04-09 20:00'), { resolvedAt: sh('04-09 20:02') });
  await event(b1, 'bot.answered', sh('04-09 20:00'));
  await event(b1, 'bot.helpful', sh('04-09 20:02'));
  // B2 (Wed 21:15): the bot answers, silence resolves it, never reopened: AI resolution.
  const b2 = await conversation(sh('04-09 21:15'), { resolvedAt: sh('04-09 21:45') });
  await event(b2, 'bot.answered', sh('04-09 21:15'));
  await event(b2, 'bot.assumed_resolved', sh('04-09 21:45'));
  // B3 (Thu 08:00): silence resolves it, reopened 2 days later, resolved again with no reply: not an AI resolution.
  const b3 = await conversation(sh('04-10 08:00'), { resolvedAt: sh('04-12 09:00') });
  await event(b3, 'bot.answered', sh('04-10 08:00'));
  await event(b3, 'bot.assumed_resolved', sh('04-10 08:30'));
  await event(b3, 'conversation.reopened', sh('04-12 08:00'));
  // B4 (Thu 10:00): the customer says it helped, reopened the next day: still an AI resolution (confirmed).
  const b4 = await conversation(sh('04-10 10:00'), { resolvedAt: sh('04-11 12:00') });
  await event(b4, 'bot.answered', sh('04-10 10:00'));
  await event(b4, 'bot.helpful', sh('04-10 10:05'));
  await event(b4, 'conversation.reopened', sh('04-11 09:00'));
  // B5 (Fri 11:00): the bot answers, the customer asks for a person; Alex replies after 20 min and
  // resolves after 50: first contact, not an AI resolution.
  const b5 = await conversation(sh('04-11 11:00'), { resolvedAt: sh('04-11 11:50'), assigneeId: alex.id });
  await event(b5, 'bot.answered', sh('04-11 11:00'));
  await event(b5, 'bot.handed_off', sh('04-11 11:01'));
  await reply(b5, sh('04-11 11:20'));
  // B6 (Mon 12:00): silence resolves it; reopened 8 days later (past the 7), resolved again without
  // a reply: an AI resolution.
  const b6 = await conversation(sh('04-07 12:00'), { resolvedAt: sh('04-15 14:00') });
  await event(b6, 'bot.answered', sh('04-07 12:00'));
  await event(b6, 'bot.assumed_resolved', sh('04-07 12:30'));
  await event(b6, 'conversation.reopened', sh('04-15 13:00'));
  // O1 (Sat 10:00): 李娜 replies after 45 min; still open.
  const o1 = await conversation(sh('04-12 10:00'), { assigneeId: lina.id });
  await reply(o1, sh('04-12 10:45'), false, lina.id);
  // F: created and first answered (by Alex) before the period; 李娜's later reply is handling, not a first response.
  const f = await conversation(sh('04-05 10:00'), { assigneeId: lina.id });
  await reply(f, sh('04-05 10:05'));
  await reply(f, sh('04-08 09:00'), false, lina.id);
}
