// The gateway's policy with a fake Temporal client: which call each outbox kind makes, that an
// already-started workflow is a success and an ended one is not signalled, what a request hands
// the relay after its commit, and how updates answer. The SQL and the real Temporal are covered by
// the fault tests (test/workflow-gateway.integration-test.ts, test/workflow-outbox.integration-test.ts).
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { Db, Tx } from '../../infra/db.js';
import { HttpError } from '../http-error.js';
import { deliverRow, workflowIdOf, type DeliverableRow } from './workflow-intents.js';
import { workflowGateway, type UpdateTarget } from './workflow-gateway.js';
import type { LeaseClaim, Written, WorkflowRelay } from './workflow-relay.js';

interface Call {
  method: string;
  workflowId?: string;
  options?: Record<string, unknown>;
  signal?: string;
  args?: unknown[];
}

/** The parts of the Temporal client the gateway uses, recording each call; `fail` decides an error per call. */
function fakeTemporal(fail: (call: Call) => Error | null = () => null, status: 'RUNNING' | 'COMPLETED' | 'missing' = 'RUNNING') {
  const calls: Call[] = [];
  const record = async (call: Call) => {
    calls.push(call);
    const error = fail(call);
    if (error) throw error;
  };
  const client = {
    workflow: {
      start: (workflowType: string, options: Record<string, unknown>) =>
        record({ method: 'start', workflowId: options.workflowId as string, options: { ...options, workflowType } }),
      signalWithStart: (workflowType: string, options: Record<string, unknown>) =>
        record({
          method: 'signalWithStart',
          workflowId: options.workflowId as string,
          options: { ...options, workflowType },
          signal: (options.signal as { name: string }).name,
          args: options.signalArgs as unknown[],
        }),
      getHandle: (workflowId: string) => ({
        signal: (signal: { name: string }, ...args: unknown[]) => record({ method: 'signal', workflowId, signal: signal.name, args }),
        executeUpdate: (update: { name: string }, options: { args: unknown[] }) =>
          record({ method: 'executeUpdate', workflowId, signal: update.name, args: options.args }),
        describe: async () => {
          if (status === 'missing') throw new WorkflowNotFoundError('not found', workflowId, undefined);
          return { status: { name: status } };
        },
      }),
    },
  };
  return { client: client as unknown as Client, calls };
}

const row = (kind: string, workflowId: string, payload: unknown, id = 7n): DeliverableRow => ({ id, kind, workflowId, payload });
const unavailable = () =>
  new Error('Failed', { cause: Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14, details: '', metadata: {} }) });

describe('delivering an outbox row', () => {
  it('starts a ticket workflow once: REJECT_DUPLICATE, and an already started one counts as delivered', async () => {
    const { client, calls } = fakeTemporal((call) =>
      calls.length > 1 ? new WorkflowExecutionAlreadyStartedError('started', call.workflowId!, 'ticketWorkflow') : null,
    );
    const start = row('start_ticket', 'ticket-t1', { ticketId: 't1' });
    await deliverRow(client, 'queue', start, () => {});
    await deliverRow(client, 'queue', start, () => {}); // a repeated delivery
    expect(calls).toHaveLength(2);
    expect(calls[0]!.options).toMatchObject({
      workflowType: 'ticketWorkflow',
      taskQueue: 'queue',
      workflowId: 'ticket-t1',
      args: [{ ticketId: 't1' }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  });

  it('starts a conversation whose first message nothing may answer with autoAnswer false in its input, others without it', async () => {
    const { client, calls } = fakeTemporal();
    await deliverRow(client, 'q', row('start_conversation', 'conversation-c1', { conversationId: 'c1', autoAnswer: false }), () => {});
    await deliverRow(client, 'q', row('start_conversation', 'conversation-c2', { conversationId: 'c2' }), () => {});
    expect(calls.map((call) => call.options?.args)).toEqual([[{ conversationId: 'c1', autoAnswer: false }], [{ conversationId: 'c2' }]]);
  });

  it('keeps the row when Temporal does not take the start', async () => {
    const { client } = fakeTemporal(() => unavailable());
    await expect(deliverRow(client, 'queue', row('start_conversation', 'conversation-c1', { conversationId: 'c1' }), () => {})).rejects.toThrow('Failed');
  });

  it("sends each signal kind as its workflow's signal with its input", async () => {
    const { client, calls } = fakeTemporal();
    await deliverRow(client, 'q', row('ticket_customer_replied', 'ticket-t1', { ticketId: 't1', at: '2026-01-01T00:00:00.000Z' }), () => {});
    await deliverRow(client, 'q', row('conversation_tags_added', 'conversation-c1', { conversationId: 'c1', tags: ['vip'] }), () => {});
    await deliverRow(client, 'q', row('conversation_csat_received', 'conversation-c1', { conversationId: 'c1' }), () => {});
    await deliverRow(client, 'q', row('ticket_sla_policy_changed', 'ticket-t1', { ticketId: 't1' }), () => {});
    await deliverRow(
      client,
      'q',
      row('conversation_requeue', 'conversation-c1', { conversationId: 'c1', fromAgentId: 'u1', reason: 'agent deactivated' }),
      () => {},
    );
    await deliverRow(
      client,
      'q',
      row('message_posted', 'conversation-c1', { messageId: 'm1', authorKind: 'agent', at: '2026-01-01T00:00:00.000Z' }, 42n),
      () => {},
    );
    expect(calls.map(({ method, workflowId, signal, args }) => [method, workflowId, signal, args])).toEqual([
      ['signal', 'ticket-t1', 'customerReplied', [{ at: '2026-01-01T00:00:00.000Z' }]],
      ['signal', 'conversation-c1', 'tagsAdded', [{ tags: ['vip'], seq: 7 }]],
      ['signal', 'conversation-c1', 'csatReceived', [{ seq: 7 }]],
      ['signal', 'ticket-t1', 'slaPolicyChanged', []],
      ['signal', 'conversation-c1', 'requeue', [{ fromAgentId: 'u1', reason: 'agent deactivated' }]],
      // The row id orders the conversation's message signals: the workflow ignores a repeat by it.
      ['signal', 'conversation-c1', 'messagePosted', [{ messageId: 'm1', authorKind: 'agent', at: '2026-01-01T00:00:00.000Z', seq: 42 }]],
    ]);
  });

  it("starts an agent's workflow with its first signal", async () => {
    const { client, calls } = fakeTemporal();
    await deliverRow(client, 'q', row('agent_presence_changed', 'agent-u1', { userId: 'u1', presence: 'online' }), () => {});
    expect(calls).toEqual([
      expect.objectContaining({
        method: 'signalWithStart',
        workflowId: 'agent-u1',
        signal: 'presenceChanged',
        args: [{ presence: 'online' }],
        options: expect.objectContaining({ workflowType: 'agentWorkflow', args: [{ userId: 'u1' }], taskQueue: 'q' }),
      }),
    ]);
  });

  it("starts the organisation's calibration workflow with its first knowledge change (issue 20)", async () => {
    const { client, calls } = fakeTemporal();
    await deliverRow(client, 'q', row('knowledge_changed', 'knowledge-calibration-1', { organizationId: 1, trigger: 'article_changed' }), () => {});
    expect(calls).toEqual([
      expect.objectContaining({
        method: 'signalWithStart',
        workflowId: 'knowledge-calibration-1',
        signal: 'knowledgeChanged',
        args: [{ trigger: 'article_changed' }],
        options: expect.objectContaining({ workflowType: 'knowledgeCalibrationWorkflow', args: [{ organizationId: 1 }], taskQueue: 'q' }),
      }),
    ]);
    expect(workflowIdOf({ kind: 'knowledge_changed', organizationId: 1, trigger: 'manual' })).toBe('knowledge-calibration-1');
  });

  it('drops a signal to a workflow seen ended, and keeps one whose workflow runs after all', async () => {
    const notFound = () => new WorkflowNotFoundError('not found', 'ticket-t1', undefined);
    const logs: string[] = [];
    const ended = fakeTemporal(notFound, 'COMPLETED');
    await deliverRow(ended.client, 'q', row('ticket_customer_replied', 'ticket-t1', { ticketId: 't1', at: 'x' }), (line) => logs.push(line));
    expect(logs).toEqual(['ticket-t1 has ended: ticket_customer_replied (outbox row 7) is not signalled']);
    const neverStarted = fakeTemporal(notFound, 'missing');
    await expect(
      deliverRow(neverStarted.client, 'q', row('conversation_csat_received', 'conversation-c1', { conversationId: 'c1' }), () => {}),
    ).resolves.toBeUndefined();
    const running = fakeTemporal(notFound, 'RUNNING');
    await expect(deliverRow(running.client, 'q', row('conversation_csat_received', 'conversation-c1', { conversationId: 'c1' }), () => {})).rejects.toThrow(
      'not found',
    );
  });

  it('leaves a row of a kind it does not know (a newer API wrote it) in the outbox', async () => {
    const { client, calls } = fakeTemporal();
    await expect(deliverRow(client, 'q', row('conversation_teleported', 'conversation-c1', {}), () => {})).rejects.toThrow(
      "unknown outbox kind 'conversation_teleported'",
    );
    expect(calls).toEqual([]);
  });

  it('keys each intent by the workflow it is for', () => {
    expect(workflowIdOf({ kind: 'start_ticket', ticketId: 't1' })).toBe('ticket-t1');
    expect(workflowIdOf({ kind: 'conversation_tags_added', conversationId: 'c1', tags: [] })).toBe('conversation-c1');
    expect(workflowIdOf({ kind: 'agent_seats_added', userId: 'u1', reason: 'more' })).toBe('agent-u1');
  });
});

/** A relay that records what requests hand it. */
function recordingRelay(claim: LeaseClaim | null) {
  const handed: Written[][] = [];
  const relay: WorkflowRelay = { claim: () => claim, deliverNow: async (written) => void handed.push([...written]), close: async () => {} };
  return { relay, handed };
}

/** A transaction whose writing statement answers, per workflow, whether it took the lease. */
const txAnswering = (rows: { workflowId: string; acquired: boolean | null }[]) => {
  const statements: unknown[][] = [];
  const tx = { $queryRawUnsafe: async (...args: unknown[]) => (statements.push(args), rows) } as unknown as Tx;
  return { tx, statements };
};

describe('a request writing to the outbox', () => {
  const claim: LeaseClaim = { holder: 'p:1', leaseMs: 10_000, askedAt: 0 };

  it('writes its intents with the lease claim in one statement and hands the workflows to the relay after the commit', async () => {
    const { relay, handed } = recordingRelay(claim);
    const outbox = workflowGateway({ db: {} as Db, temporal: {} as Client, relay }).outbox();
    const { tx, statements } = txAnswering([
      { workflowId: 'ticket-t1', acquired: true },
      { workflowId: 'ticket-t2', acquired: false },
    ]);
    await outbox.write(tx, [
      { kind: 'start_ticket', ticketId: 't1' },
      { kind: 'ticket_customer_replied', ticketId: 't2', at: 'x' },
    ]);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.slice(1)).toEqual([
      ['start_ticket', 'ticket_customer_replied'],
      ['ticket-t1', 'ticket-t2'],
      ['{"ticketId":"t1"}', '{"ticketId":"t2","at":"x"}'],
      'p:1',
      10,
    ]);
    expect(handed).toEqual([]); // nothing before the commit
    await outbox.deliver();
    expect(handed).toEqual([
      [
        { workflowId: 'ticket-t1', taken: { claim, acquired: true } },
        // Rang: the holder delivers it, the relay skips it.
        { workflowId: 'ticket-t2', taken: { claim, acquired: false } },
      ],
    ]);
  });

  it('reports a row its own statement wrote: with the lease it asked for, or none (then the relay takes it)', async () => {
    const { relay, handed } = recordingRelay(claim);
    const outbox = workflowGateway({ db: {} as Db, temporal: {} as Client, relay }).outbox();
    outbox.wrote('conversation-c1', true);
    outbox.wrote('ticket-t1');
    await outbox.deliver();
    expect(handed).toEqual([
      [
        { workflowId: 'conversation-c1', taken: { claim, acquired: true } },
        { workflowId: 'ticket-t1', taken: undefined },
      ],
    ]);
  });

  it('asks for no lease while Temporal is away, and leaves the rows to the relay', async () => {
    const { relay, handed } = recordingRelay(null);
    const outbox = workflowGateway({ db: {} as Db, temporal: {} as Client, relay }).outbox();
    const { tx, statements } = txAnswering([{ workflowId: 'conversation-c1', acquired: null }]);
    await outbox.write(tx, [{ kind: 'start_conversation', conversationId: 'c1' }]);
    expect(statements[0]!.slice(4)).toEqual([null, 0]);
    await outbox.deliver();
    expect(handed).toEqual([[{ workflowId: 'conversation-c1', taken: undefined }]]);
  });

  it('hands a replay the workflows whose rows may still wait, once each', async () => {
    const { relay, handed } = recordingRelay(claim);
    await workflowGateway({ db: {} as Db, temporal: {} as Client, relay }).deliverWaiting(['conversation-c1', 'ticket-t1', 'conversation-c1']);
    expect(handed).toEqual([[{ workflowId: 'conversation-c1' }, { workflowId: 'ticket-t1' }]]);
  });
});

describe('an update', () => {
  const target = (temporal: Client) =>
    workflowGateway({ db: {} as Db, temporal }).update({
      workflowId: 'ticket-t1',
      update: { name: 'setTicketStatus' } as UpdateTarget<unknown, unknown>['update'],
      input: { status: 'open' },
      refusals: { InvalidTransition: { status: 409, code: 'invalid_transition' } },
      closed: { code: 'ticket_closed', message: 'This ticket is closed.' },
    });
  const answer = (promise: Promise<void>) =>
    promise.then(
      () => null,
      (error: unknown) => (error instanceof HttpError ? [error.status, error.code] : error),
    );

  it('runs on the workflow itself and answers at once', async () => {
    const { client, calls } = fakeTemporal();
    await target(client);
    expect(calls).toEqual([{ method: 'executeUpdate', workflowId: 'ticket-t1', signal: 'setTicketStatus', args: [{ status: 'open' }] }]);
  });

  it('answers 503 workflow_unavailable while Temporal is away, a refusal with its status, an ended workflow as closed', async () => {
    expect(await answer(target(fakeTemporal(() => unavailable()).client))).toEqual([503, 'workflow_unavailable']);
    const refused = new Error('update failed', { cause: ApplicationFailure.create({ type: 'InvalidTransition', message: 'not from closed' }) });
    expect(await answer(target(fakeTemporal(() => refused).client))).toEqual([409, 'invalid_transition']);
    expect(await answer(target(fakeTemporal(() => new WorkflowNotFoundError('gone', 'ticket-t1', undefined)).client))).toEqual([409, 'ticket_closed']);
  });
});
