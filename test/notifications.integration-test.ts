// SLA breach notifications by email, for real: the activity the workflows run on a "notify"
// escalation step sends over SMTP (nodemailer) to a real SMTP server started here, addressed to
// the assignee and the team lead, and records what it sent in the event log.
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationActivities } from '../activities/notification-activities.js';
import { createMailer } from '../infra/email/mailer.js';
import { startSmtpInbox, type SmtpInbox } from './support/smtp-inbox.js';
import { startSystem, type TestSystem } from './support/system.js';

let system: TestSystem;
let inbox: SmtpInbox;

beforeAll(async () => {
  inbox = await startSmtpInbox();
  system = await startSystem({ inProcessWorker: false });
});
afterAll(async () => {
  await system?.stop();
  await inbox?.close();
});

/** A conversation assigned to the junior agent, in the team led by the admin (demo data). */
async function assignedConversation() {
  const agent = await system.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } });
  const customer = await system.db.customer.findFirstOrThrow();
  const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  return system.db.conversation.create({
    data: {
      workflowId: `conversation-${randomUUID()}`,
      customerId: customer.id,
      channelId: channel.id,
      status: 'open',
      assigneeId: agent.id,
      teamId: agent.teamId,
      priority: 'high',
    },
  });
}

describe('SLA breach email', () => {
  it('reaches the assignee and the team lead over SMTP, in English and Chinese, and is recorded', async () => {
    const conversation = await assignedConversation();
    const activities = createNotificationActivities({
      db: system.db,
      mailer: createMailer({ SMTP_URL: inbox.url, MAIL_FROM: 'Seamless <alerts@seamless.local>' }),
    });
    await new MockActivityEnvironment().run(activities.emailSlaBreach, { subject: { conversationId: conversation.id }, metric: 'first_response' as const });

    expect(inbox.received).toHaveLength(1);
    const mail = inbox.received[0]!;
    const to = [mail.to].flat().flatMap((address) => address?.value.map((entry) => entry.address) ?? []);
    expect(to.sort()).toEqual(['admin@seamless.local', 'agent@seamless.local']);
    expect(mail.from?.value[0]?.address).toBe('alerts@seamless.local');
    expect(mail.subject).toContain(`conversation #${conversation.number}`);
    expect(mail.subject).toContain('首次响应');
    expect(mail.text).toContain('first response target');

    const recorded = await system.db.event.findFirstOrThrow({ where: { conversationId: conversation.id, type: 'notification.emailed' } });
    expect(recorded.internal).toBe(true);
    expect(recorded.payload).toMatchObject({ metric: 'first_response', messageId: mail.messageId });
  });

  it('records that nothing was sent when no mail server is configured', async () => {
    const conversation = await assignedConversation();
    const activities = createNotificationActivities({ db: system.db, mailer: createMailer({ MAIL_FROM: 'Seamless <alerts@seamless.local>' }) });
    const before = inbox.received.length;
    await new MockActivityEnvironment().run(activities.emailSlaBreach, { subject: { conversationId: conversation.id }, metric: 'resolution' as const });
    expect(inbox.received.length).toBe(before);
    const skipped = await system.db.event.findFirstOrThrow({ where: { conversationId: conversation.id, type: 'notification.email_skipped' } });
    expect(skipped.payload).toMatchObject({ reason: 'not_configured', to: ['agent@seamless.local', 'admin@seamless.local'] });
  });
});
