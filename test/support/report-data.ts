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

/** Writes the conversations, messages and events the expected figures are computed from (see each comment). */
export async function buildReportData(db: Db): Promise<void> {
  const channel = await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  const customer = await db.customer.create({ data: { name: '报表客户 Report customer' } });
  const alex = await db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } });
  const policy = await db.slaPolicy.create({
    data: { name: 'Report probe policy', priority: 'low', firstResponseMinutes: 30, nextResponseMinutes: 30, resolutionMinutes: 600, enabled: false },
  });

  const conversation = async (createdAt: Date, options: { resolvedAt?: Date; sla?: boolean } = {}) => {
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
        slaPolicyId: options.sla ? policy.id : null,
        slaState: options.sla ? 'ok' : 'none',
      },
    });
    await db.message.create({ data: { conversationId: id, authorKind: 'customer', customerId: customer.id, body: 'Question', createdAt } });
    return id;
  };
  const reply = (conversationId: string, createdAt: Date, isPrivate = false) =>
    db.message.create({ data: { conversationId, authorKind: 'agent', authorUserId: alex.id, body: 'Answer', private: isPrivate, createdAt } });
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
