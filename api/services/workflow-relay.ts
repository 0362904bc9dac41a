// When Temporal cannot be reached, what the API accepted still reaches the workflows: a
// conversation's workflow start or a message's signal goes into the WorkflowOutbox table, and
// this relay delivers the rows oldest first once Temporal answers, then deletes them. It wakes
// when a row is added and retries with back-off while rows remain; at start it delivers what a
// previous process left behind. Several API processes share the table: rows are claimed with
// SKIP LOCKED, so each is delivered by one of them.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { conversationWorkflowId } from '../../domain/workflow-ids.js';
import type { Db } from '../../infra/db.js';
import { conversationWorkflowName, messagePostedSignal, type ConversationWorkflowInput, type MessagePostedInput } from '../../workflows/conversation.messages.js';

export type WorkflowWork =
  | { kind: 'start_conversation'; conversationId: string }
  | { kind: 'message_posted'; conversationId: string; payload: MessagePostedInput };

export interface WorkflowRelay {
  /** Keeps work Temporal refused just now; it is delivered as soon as Temporal answers. */
  defer(work: WorkflowWork, error: unknown): Promise<void>;
  /** Delivers what is waiting now; resolves with how many rows are left. */
  drain(): Promise<number>;
  close(): Promise<void>;
}

interface RelayDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  log: (message: string, error?: unknown) => void;
}

interface OutboxRow {
  id: bigint;
  kind: WorkflowWork['kind'];
  conversationId: string;
  payload: unknown;
}

const batchSize = 100;
const firstRetryMs = 500;
const maxRetryMs = 30_000;
const deliveryWaitMs = 5_000;

export function createWorkflowRelay({ db, temporal, taskQueue, log }: RelayDeps): WorkflowRelay {
  /** One delivery attempt; a server that does not answer soon fails it (the next round retries). */
  const deliver = (row: OutboxRow) => temporal.withDeadline(Date.now() + deliveryWaitMs, () => attempt(row));
  const attempt = async (row: OutboxRow) => {
    if (row.kind === 'start_conversation') {
      const input: ConversationWorkflowInput = { conversationId: row.conversationId };
      try {
        await temporal.workflow.start(conversationWorkflowName, { taskQueue, workflowId: conversationWorkflowId(row.conversationId), args: [input] });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      return;
    }
    try {
      await temporal.workflow.getHandle(conversationWorkflowId(row.conversationId)).signal(messagePostedSignal, row.payload as MessagePostedInput);
    } catch (error) {
      // A workflow that has ended (closed conversation) has nothing left to learn.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  };

  const drain = async (): Promise<number> => {
    return db.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<OutboxRow[]>`
          SELECT id, kind, "conversationId", payload FROM "WorkflowOutbox" ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
        // A conversation's work goes in order: after one of its rows fails, its later rows wait.
        const stuck = new Set<string>();
        const delivered: bigint[] = [];
        for (const row of rows) {
          if (stuck.has(row.conversationId)) continue;
          try {
            await deliver(row);
            delivered.push(row.id);
          } catch (error) {
            stuck.add(row.conversationId);
            await tx.workflowOutbox.update({ where: { id: row.id }, data: { attempts: { increment: 1 }, lastError: String(error).slice(0, 500) } });
          }
        }
        if (delivered.length) await tx.workflowOutbox.deleteMany({ where: { id: { in: delivered } } });
        return tx.workflowOutbox.count();
      },
      { timeout: 60_000 },
    );
  };

  // One loop per process: woken by defer(), backing off while Temporal keeps refusing.
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;
  let retryMs = firstRetryMs;
  const schedule = (delayMs: number) => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      running = drain()
        .then((left) => {
          retryMs = left === 0 ? firstRetryMs : Math.min(retryMs * 2, maxRetryMs);
          if (left > 0) schedule(retryMs);
        })
        .catch((error: unknown) => {
          log('the workflow relay could not reach the database', error);
          schedule((retryMs = Math.min(retryMs * 2, maxRetryMs)));
        })
        .finally(() => (running = null));
    }, delayMs);
  };
  schedule(0); // what an earlier process left behind

  return {
    async defer(work, error) {
      log(`Temporal refused ${work.kind} for conversation ${work.conversationId}; kept in the outbox`, error);
      const payload = work.kind === 'message_posted' ? { ...work.payload } : {};
      await db.workflowOutbox.create({ data: { kind: work.kind, conversationId: work.conversationId, payload, lastError: String(error).slice(0, 500) } });
      schedule(retryMs);
    },
    drain,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
