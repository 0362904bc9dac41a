// Notifications that leave the product: the email an SLA breach's "notify" step sends to the
// assignee and the team lead. The realtime side needs no activity (the sla.escalated event
// reaches their consoles). Sending is at least once: a retry after the send but before the
// record may send again, which for an alert beats not sending.
import type { SlaMetric } from '../domain/sla-clock.js';
import type { Db } from '../infra/db.js';
import type { Mailer } from '../infra/email/mailer.js';
import { appendEvent } from '../infra/event-log.js';
import { alreadyRecorded, operationId } from './operations.js';

export type NotificationSubject = { conversationId: string } | { ticketId: string };

export interface NotificationActivities {
  /** Emails the assignee and the team lead that an SLA target was breached; records the attempt. */
  emailSlaBreach(input: { subject: NotificationSubject; metric: SlaMetric }): Promise<void>;
}

const metricNames: Record<SlaMetric, { en: string; zh: string }> = {
  first_response: { en: 'first response', zh: '首次响应' },
  next_response: { en: 'next response', zh: '后续响应' },
  resolution: { en: 'resolution', zh: '解决' },
};

export function createNotificationActivities({ db, mailer }: { db: Db; mailer: Mailer }): NotificationActivities {
  /** What the email is about: its label, its people, and the scope its event is visible in. */
  const load = async (subject: NotificationSubject) => {
    const people = { assignee: true, team: { include: { lead: true } } } as const;
    if ('conversationId' in subject) {
      const row = await db.conversation.findUniqueOrThrow({ where: { id: subject.conversationId }, include: people });
      return { row, label: { en: `conversation #${row.number}`, zh: `会话 #${row.number}` } };
    }
    const row = await db.ticket.findUniqueOrThrow({ where: { id: subject.ticketId }, include: people });
    return { row, label: { en: `ticket #${row.number}`, zh: `工单 #${row.number}` } };
  };

  return {
    async emailSlaBreach({ subject, metric }) {
      const operation = operationId();
      const { row, label } = await load(subject);
      const recipients = [...new Set([row.assignee?.email, row.team?.lead?.email].filter((email): email is string => Boolean(email)))];
      const name = metricNames[metric];
      const email = {
        to: recipients,
        subject: `SLA breached: ${label.en} (${name.en}) / SLA 已超时：${label.zh}（${name.zh}）`,
        text: [
          `The ${name.en} target of ${label.en} was breached. Priority: ${row.priority}.`,
          `${label.zh} 的${name.zh}目标已超时。优先级：${row.priority}。`,
        ].join('\n'),
      };
      if (await db.$transaction((tx) => alreadyRecorded(tx, subject, operation))) return; // a retry after the record
      const result = await mailer.send(email);
      await db.$transaction((tx) =>
        appendEvent(tx, {
          type: result.sent ? 'notification.emailed' : 'notification.email_skipped',
          actorKind: 'system',
          ...subject,
          customerId: row.customerId,
          teamId: row.teamId,
          assigneeId: row.assigneeId,
          internal: true,
          payload: {
            to: recipients,
            subject: email.subject,
            metric,
            operation,
            ...(result.sent ? { messageId: result.messageId } : { reason: result.reason }),
          },
        }),
      );
    },
  };
}
