// Gauges read from the system of record when Prometheus scrapes: what is true of the whole
// deployment now (conversations by status, the queue, SLA state, the workflow outbox), not of
// one process. Every API process reports the same values; aggregate them with max(), not sum().
// Three small indexed queries per scrape (a scrape every 15 s is nothing next to the traffic).
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../db.js';

const conversationStatuses = ['bot', 'queued', 'open', 'snoozed', 'resolved', 'closed'] as const;
const watchedSlaStates = ['warning', 'breached'] as const;

/** Registers the database gauges on `registry`; each scrape reads them afresh. */
export function registerDatabaseGauges(registry: Registry, db: Db): void {
  new Gauge({
    name: 'seamless_conversations',
    help: 'Conversations by status, now.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await db.$queryRaw<{ status: string; count: bigint }[]>`
        SELECT status::text AS status, count(*) AS count FROM "Conversation" GROUP BY status`;
      const counts = new Map(rows.map((row) => [row.status, Number(row.count)]));
      for (const status of conversationStatuses) this.set({ status }, counts.get(status) ?? 0);
    },
  });
  const queueLength = new Gauge({ name: 'seamless_queue_conversations', help: 'Conversations waiting in the queue for an agent, now.', registers: [registry] });
  new Gauge({
    name: 'seamless_queue_oldest_age_seconds',
    help: 'How long the oldest conversation in the queue has existed (0 when the queue is empty).',
    registers: [registry],
    async collect() {
      const [row] = await db.$queryRaw<{ count: bigint; oldest: Date | null }[]>`
        SELECT count(*) AS count, min("createdAt") AS oldest FROM "Conversation" WHERE status = 'queued'`;
      queueLength.set(Number(row?.count ?? 0));
      this.set(row?.oldest ? Math.max(0, (Date.now() - row.oldest.getTime()) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'seamless_sla_conversations',
    help: 'Conversations not yet resolved whose SLA is at risk (warning) or breached, now.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const rows = await db.$queryRaw<{ state: string; count: bigint }[]>`
        SELECT "slaState"::text AS state, count(*) AS count FROM "Conversation"
        WHERE "slaState" IN ('warning', 'breached') AND status IN ('bot', 'queued', 'open', 'snoozed')
        GROUP BY "slaState"`;
      const counts = new Map(rows.map((row) => [row.state, Number(row.count)]));
      for (const state of watchedSlaStates) this.set({ state }, counts.get(state) ?? 0);
    },
  });
  new Gauge({
    name: 'seamless_workflow_outbox_pending',
    help: 'Workflow intents written with their change and not yet handed to Temporal (grows while Temporal is away).',
    registers: [registry],
    async collect() {
      const [row] = await db.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM "WorkflowOutbox"`;
      this.set(Number(row?.count ?? 0));
    },
  });
}
