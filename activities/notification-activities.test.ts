// The SLA-breach email with a fake database and mailer: who gets it, what it says, what is
// recorded, and that a retry after the record sends nothing. Over real SMTP: test/notifications.
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import type { Db } from '../infra/db.js';
import type { Mailer, OutgoingEmail } from '../infra/email/mailer.js';
import { createNotificationActivities } from './notification-activities.js';

interface Person {
  email: string;
}

function fakes(options: { assignee?: Person | null; lead?: Person | null; recorded?: boolean; configured?: boolean }) {
  const sent: OutgoingEmail[] = [];
  const events: { type: string; payload: Record<string, unknown> }[] = [];
  const row = {
    number: 42,
    priority: 'high',
    customerId: 'cu1',
    teamId: 't1',
    assigneeId: 'u1',
    assignee: options.assignee ?? null,
    team: { lead: options.lead ?? null },
  };
  const tx = {
    event: {
      findFirst: async () => (options.recorded ? { id: 1n } : null),
      create: async ({ data }: { data: { type: string; payload: Record<string, unknown> } }) => {
        events.push(data);
        return { ...data, id: 1n, occurredAt: new Date(), actorId: null, conversationId: null, ticketId: null, internal: true };
      },
    },
  };
  const db = {
    conversation: { findUniqueOrThrow: async () => row },
    ticket: { findUniqueOrThrow: async () => row },
    $transaction: async <T>(run: (transaction: typeof tx) => Promise<T>) => run(tx),
  } as unknown as Db;
  const mailer: Mailer = {
    async send(email) {
      sent.push(email);
      return options.configured === false ? { sent: false, reason: 'not_configured' } : { sent: true, messageId: '<m1@test>' };
    },
  };
  const activities = createNotificationActivities({ db, mailer });
  return { sent, events, run: (input: Parameters<typeof activities.emailSlaBreach>[0]) => new MockActivityEnvironment().run(activities.emailSlaBreach, input) };
}

describe('emailSlaBreach', () => {
  it('writes once to the assignee and the lead, in English and Chinese, and records it', async () => {
    const { sent, events, run } = fakes({ assignee: { email: 'alex@x' }, lead: { email: 'ada@x' } });
    await run({ subject: { conversationId: 'c1' }, metric: 'first_response' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toEqual(['alex@x', 'ada@x']);
    expect(sent[0]!.subject).toBe('SLA breached: conversation #42 (first response) / SLA 已超时：会话 #42（首次响应）');
    expect(events).toMatchObject([{ type: 'notification.emailed', payload: { to: ['alex@x', 'ada@x'], metric: 'first_response', messageId: '<m1@test>' } }]);
  });

  it('sends a lead who is also the assignee one copy, and names a ticket as a ticket', async () => {
    const { sent, run } = fakes({ assignee: { email: 'ada@x' }, lead: { email: 'ada@x' } });
    await run({ subject: { ticketId: 't9' }, metric: 'resolution' });
    expect(sent[0]!.to).toEqual(['ada@x']);
    expect(sent[0]!.subject).toContain('ticket #42 (resolution)');
    expect(sent[0]!.subject).toContain('工单 #42（解决）');
  });

  it('records a skipped email when no mail server is configured', async () => {
    const { events, run } = fakes({ assignee: { email: 'alex@x' }, configured: false });
    await run({ subject: { conversationId: 'c1' }, metric: 'next_response' });
    expect(events).toMatchObject([{ type: 'notification.email_skipped', payload: { reason: 'not_configured' } }]);
  });

  it('sends nothing on a retry after its record was written', async () => {
    const { sent, events, run } = fakes({ assignee: { email: 'alex@x' }, recorded: true });
    await run({ subject: { conversationId: 'c1' }, metric: 'first_response' });
    expect([sent, events]).toEqual([[], []]);
  });
});
