// Fault test of the workflow gateway beyond messages (issue 15 leftovers, issue 16 item 5), with
// a Temporal dev server of this file's own (its SQLite file kept, so it can be stopped and
// started): while Temporal is down a ticket is created (201, its start waits in the outbox), a
// customer's reply to a conversation linked to a pending ticket is stored (the reopen waits), and
// a tag is added (its signal waits). Once Temporal is back the workflows have all of it: the new
// ticket's workflow runs, the pending ticket is open again in the database and in its workflow,
// and the conversation's workflow heard of the tag.
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationWorkflowId, ticketWorkflowId } from '../domain/workflow-ids.js';
import { ticketStateQuery } from '../workflows/ticket.messages.js';
import type { TestSocket } from './support/socket-client.js';
import { startRestartableTemporal, type RestartableTemporal } from './support/restartable-temporal.js';
import { startSystem, type TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';

let temporal: RestartableTemporal | undefined;
let system: TestSystem;

beforeAll(async () => {
  temporal = await startRestartableTemporal('gateway');
  system = await startSystem({ temporalAddress: temporal.address });
});
afterAll(async () => {
  await system?.stop();
  await temporal?.remove();
});

/** The signals of one name in a workflow's history, with their first argument. */
async function signalsNow(workflowId: string, name: string): Promise<unknown[]> {
  const history = await system.temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal?.signalName !== name) return [];
    const payload = signal.input?.payloads?.[0];
    return [payload ? defaultPayloadConverter.fromPayload(payload) : undefined];
  });
}

/**
 * The signals once there is one, or none after the timeout: a signal Temporal accepted while a
 * workflow task ran joins the history when that task completes.
 */
const signalsOf = (workflowId: string, name: string) =>
  waitUntil(async () => {
    const signals = await signalsNow(workflowId, name);
    return signals.length > 0 ? signals : null;
  }, 30_000).catch(() => []);

describe('the workflow gateway while Temporal is down', () => {
  it('creates tickets, stores replies and tags, and the workflows get every start and signal once it is back', async () => {
    const agent = await system.login('agent@seamless.local'); // online; skills: cards
    const agentSocket: TestSocket = await system.socket(agent);
    const visitor = await system.visitor();
    const opened = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'My card was declined at the shop' } });
    expect(opened.status).toBe(201);
    const conversationId = opened.body.conversation.id as string;
    await agentSocket.waitForEvent((event) => event.type === 'conversation.assigned' && event.conversationId === conversationId, 30_000);

    // A ticket raised from the conversation while Temporal is up, waiting on the customer.
    const raised = await system.request('POST', `/api/conversations/${conversationId}/ticket`, { token: agent, body: { subject: 'Declined card' } });
    expect(raised.status).toBe(201);
    const pendingId = raised.body.ticket.id as string;
    await waitUntil(async () => ((await system.db.ticket.findUniqueOrThrow({ where: { id: pendingId } })).slaPolicyId ? true : null), 30_000);
    const pending = await system.request('POST', `/api/tickets/${pendingId}/status`, { token: agent, body: { status: 'pending' } });
    expect([pending.status, pending.body.ticket?.status]).toEqual([200, 'pending']);

    await temporal!.stop();

    // A new ticket: stored and answered 201 with its start waiting; a retry with its key answers
    // the same ticket and leaves one start waiting, not two.
    const ticketRequest = {
      token: agent,
      body: { subject: 'Card replacement', customerId: visitor.customerId, conversationId },
      headers: { 'idempotency-key': 'gateway-ticket' },
    };
    const created = await system.request('POST', '/api/tickets', ticketRequest);
    expect(created.status).toBe(201);
    const newId = created.body.ticket.id as string;
    const replayed = await system.request('POST', '/api/tickets', ticketRequest);
    expect([replayed.status, replayed.body.ticket.id]).toEqual([200, newId]);
    // The customer answers in the linked conversation, and the agent tags it.
    const reply = await system.request('POST', `/api/widget/conversations/${conversationId}/messages`, {
      token: visitor.token,
      body: { body: 'Still declined today 今天还是被拒' },
    });
    expect(reply.status).toBe(201);
    const tagged = await system.request('POST', `/api/conversations/${conversationId}/tags`, { token: agent, body: { add: ['card-replacement'] } });
    expect(tagged.status).toBe(200);
    // A lifecycle change needs the workflow itself: refused as unavailable, nothing changed.
    const refused = await system.request('POST', `/api/tickets/${pendingId}/status`, { token: agent, body: { status: 'open' } });
    expect([refused.status, refused.body.error.code]).toEqual([503, 'workflow_unavailable']);

    const waiting = await system.db.workflowOutbox.findMany({ orderBy: { id: 'asc' } });
    expect(waiting.map((row) => [row.kind, row.workflowId])).toEqual([
      ['start_ticket', ticketWorkflowId(newId)],
      ['ticket_customer_replied', ticketWorkflowId(pendingId)],
      ['conversation_tags_added', conversationWorkflowId(conversationId)],
    ]);
    expect((await system.db.ticket.findUniqueOrThrow({ where: { id: pendingId } })).status).toBe('pending');

    await temporal!.start();
    await waitUntil(async () => ((await system.db.workflowOutbox.count()) === 0 ? true : null), 60_000);

    // The new ticket's workflow runs, and agrees with the database.
    const newHandle = system.temporal.workflow.getHandle(ticketWorkflowId(newId));
    expect((await newHandle.describe()).status.name).toBe('RUNNING');
    const settled = await waitUntil(async () => {
      const row = await system.db.ticket.findUniqueOrThrow({ where: { id: newId } });
      return row.slaPolicyId ? row : null;
    }, 30_000);
    expect((await newHandle.query(ticketStateQuery)).status).toBe(settled.status);

    // The pending ticket heard that its customer replied, once, and is open again in both.
    const pendingHandle = system.temporal.workflow.getHandle(ticketWorkflowId(pendingId));
    expect(await signalsOf(ticketWorkflowId(pendingId), 'customerReplied')).toEqual([{ at: reply.body.message.createdAt }]);
    const reopened = await waitUntil(async () => {
      const row = await system.db.ticket.findUniqueOrThrow({ where: { id: pendingId } });
      return row.status === 'open' ? row : null;
    }, 30_000);
    expect((await pendingHandle.query(ticketStateQuery)).status).toBe(reopened.status);

    // The conversation's workflow heard of the tag once (rules on tag_added can run), numbered by
    // its outbox row so a repeated delivery would be ignored.
    expect(await signalsOf(conversationWorkflowId(conversationId), 'tagsAdded')).toEqual([{ tags: ['card-replacement'], seq: expect.any(Number) }]);
  });
});
