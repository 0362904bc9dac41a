// Tickets by email (issue 17) on the real stack (PostgreSQL, Temporal, worker): with the email
// channel's `createTickets` on, a new thread opens a ticket linked to its conversation (once, also
// when the pipeline's step runs again); replies stay in the conversation and reopen the pending
// ticket the way linked tickets are told; auto-replies and a channel with the setting off open none.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketWorkflowId } from '../../../domain/workflow-ids.js';
import { startSystem, type TestSystem } from '../../../test/support/system.js';
import { waitUntil } from '../../../test/support/wait-until.js';
import { openTicketForEmailThread } from './email-ticket.js';
import { ingestInboundEmail } from './ingest-email.js';

const replyDomain = 'support.example.com';
const channelAddress = `help@${replyDomain}`;
const secret = randomBytes(48).toString('base64url');

let system: TestSystem;
let channelId: string;
let admin: string;

beforeAll(async () => {
  system = await startSystem({ secret });
  channelId = (await system.db.channel.findFirstOrThrow({ where: { kind: 'email' } })).id;
  await system.db.channel.update({ where: { id: channelId }, data: { enabled: true } });
  admin = await system.login('admin@seamless.local');
});

afterAll(async () => {
  await system?.stop();
});

const deps = () => ({ db: system.db, temporal: system.temporal, taskQueue: system.taskQueue, secret, log: () => {} });

const ingest = async (headers: Record<string, string>, body: string) => {
  const raw = Buffer.from(
    Object.entries({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', 'Message-ID': `<${randomUUID()}@mail.example.com>`, ...headers })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n') + `\r\n\r\n${body}\r\n`,
  );
  const result = await ingestInboundEmail(deps(), raw, channelId, { replyDomain });
  if (result.outcome !== 'processed') throw new Error(`not processed: ${JSON.stringify(result)}`);
  return result;
};

const setChannel = async (settings: Record<string, unknown>) => {
  const response = await system.request('PATCH', `/api/channels/${channelId}`, { token: admin, body: { settings: { address: channelAddress, ...settings } } });
  expect(response.status).toBe(200);
};

const ticketsOf = (conversationId: string) => system.db.ticket.findMany({ where: { conversations: { some: { conversationId } } } });

describe('an email channel that makes tickets', () => {
  let conversationId: string;
  let ticketId: string;
  let messageId: string;

  it('opens a ticket linked to the conversation of each new thread, as the system', async () => {
    await setChannel({ createTickets: true });
    const first = await ingest({ From: 'Erin <erin@example.com>', To: channelAddress, Subject: 'Invoice 77 is wrong' }, 'The amount on invoice 77 is wrong.');
    conversationId = first.conversationId;
    messageId = first.messageId;
    const tickets = await ticketsOf(conversationId);
    expect(tickets).toHaveLength(1);
    const ticket = tickets[0]!;
    ticketId = ticket.id;
    const conversation = await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(ticket).toMatchObject({ subject: 'Invoice 77 is wrong', description: 'The amount on invoice 77 is wrong.', customerId: conversation.customerId });
    const event = await system.db.event.findFirstOrThrow({ where: { type: 'ticket.created', ticketId } });
    expect(event).toMatchObject({ actorKind: 'system', actorId: null });
    // Its workflow runs (started by the API's relay: this pipeline was called without one), and
    // answers the agents' updates.
    await waitUntil(() =>
      system.temporal.workflow
        .getHandle(ticketWorkflowId(ticketId))
        .describe()
        .then((described) => (described.status.name === 'RUNNING' ? true : null))
        .catch(() => null),
    );
    const pending = await system.request('POST', `/api/tickets/${ticketId}/status`, { token: admin, body: { status: 'pending' } });
    expect(pending.status, JSON.stringify(pending.body)).toBe(200);
    expect(await system.request('GET', `/api/tickets/${ticketId}`, { token: admin })).toMatchObject({ body: { conversations: [conversationId] } });
  });

  it('opens it once: the step again (a retried mail) answers the same ticket', async () => {
    const row = await system.db.inboundEmail.findFirstOrThrow({ where: { messageId } });
    expect(await openTicketForEmailThread(deps(), { conversationId, inboundEmailId: row.id })).toBe(ticketId);
    expect(await ticketsOf(conversationId)).toHaveLength(1);
  });

  it('keeps replies in the conversation: no new ticket, and the pending ticket goes back to open', async () => {
    const reply = await ingest(
      {
        From: 'erin@example.com',
        To: channelAddress,
        Subject: 'Re: Invoice 77 is wrong',
        'In-Reply-To': `<${(await system.db.inboundEmail.findFirstOrThrow({ where: { messageId } })).emailMessageId}>`,
      },
      'Any news?',
    );
    expect(reply.conversationId).toBe(conversationId);
    expect(await ticketsOf(conversationId)).toHaveLength(1);
    const reopened = await waitUntil(async () => {
      const ticket = await system.db.ticket.findUniqueOrThrow({ where: { id: ticketId } });
      return ticket.status === 'open' ? ticket : null;
    });
    expect(reopened.status).toBe('open');
  });

  it('opens none for an auto-reply, nor when the channel has the setting off', async () => {
    const auto = await ingest(
      { From: 'frank@example.com', To: channelAddress, Subject: 'Out of office', 'Auto-Submitted': 'auto-replied' },
      'I am away until Monday.',
    );
    expect(await ticketsOf(auto.conversationId)).toHaveLength(0);
    await setChannel({ createTickets: false });
    const plain = await ingest({ From: 'gina@example.com', To: channelAddress, Subject: 'Question' }, 'Do you ship to Taiwan?');
    expect(await ticketsOf(plain.conversationId)).toHaveLength(0);
  });
});
