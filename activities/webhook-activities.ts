// Outgoing webhook deliveries (docs/WEBHOOKS.md), for the webhook lane workflow
// (workflows/webhook-lane.ts). A send is at least once: a worker that dies after the receiver
// answered, before the row says so, sends again on the retry with the same event id, which the
// receiver drops (Seamless-Event-Id). Every try is recorded on the delivery (attempts, status,
// latency, next retry) for the delivery log. An ordered lane's send is one activity whose retry
// policy is the back-off; the unordered lane's batch (sendDueWebhookDeliveries) keeps each
// delivery's back-off in its row instead (`nextRetryAt`, given up `giveUpAfterMs` after
// `firstAttemptAt`). Two rules turn a failing endpoint off: deliveries given up in a row, and no
// try succeeding for a day.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { describeFailingWindow, failingTooLong, shouldDisableWebhook } from '../domain/webhook-events.js';
import { inCustomerLanguage, languageOfLocale } from '../infra/customer-language.js';
import type { Db, Tx } from '../infra/db.js';
import type { Mailer } from '../infra/email/mailer.js';
import { appendEvent } from '../infra/event-log.js';
import { OutboundRefusedError, outboundPolicyOf } from '../infra/outbound/outbound-guard.js';
import type { SecretBox } from '../infra/secrets/secret-box.js';
import { postSignedWebhook, WebhookDeliveryError } from '../infra/webhooks/signed-webhook.js';
import { openEndpointSecret, toWebhookEndpointView, webhookBodiesOf, webhookBodyOf, type WebhookBody } from '../infra/webhooks/webhook-endpoints.js';
import type { WebhookDelivery, WebhookEndpoint } from '../prisma/generated/client.js';
import {
  webhookFailures,
  type NextWebhookDelivery,
  type WebhookBatchOutcome,
  type WebhookLaneWorkflowInput,
  type WebhookRetryPolicy,
} from '../workflows/webhook-lane.messages.js';

export interface WebhookDeliveryOptions {
  /** The back-off; defaultWebhookRetry for what is not given (tests shorten it). */
  retry?: Partial<WebhookRetryPolicy>;
  /** Deliveries given up in a row that turn an endpoint off; default 5; 0: never. */
  disableAfterFailures?: number;
  /** One request, connection included; default 10 s. */
  requestTimeoutMs?: number;
  /** No try succeeded for this long since the first failure: the endpoint is turned off; default 24 h; 0: never. */
  disableAfterFailingMs?: number;
  /** Deliveries one batch of the unordered lane tries; default 100. */
  batchSize?: number;
  /** Requests one batch has in flight at once; default 8. */
  concurrency?: number;
  /** The clock of the back-off and of the 24-hour rule (tests move it). */
  now?: () => Date;
}

/**
 * Production: the first retry after 30 s, doubling up to every hour, for 3 days — about 80 tries;
 * a receiver down for a weekend gets everything once it is back.
 */
export const defaultWebhookRetry: WebhookRetryPolicy = {
  initialIntervalMs: 30_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 60 * 60_000,
  giveUpAfterMs: 3 * 24 * 60 * 60_000,
  attemptTimeoutMs: 30_000,
};
export const defaultDisableAfterFailures = 5;
export const defaultDisableAfterFailingMs = 24 * 60 * 60_000;

export interface WebhookActivities {
  /** The lane's oldest pending delivery and how to retry it; `disabled` while the endpoint is off. */
  nextWebhookDelivery(input: { endpointId: string; lane: string }): Promise<NextWebhookDelivery>;
  /** One signed POST of the delivery; records the try; throws on failure (retried, or non-retryable when refused or off). */
  sendWebhookDelivery(input: { deliveryId: string }): Promise<void>;
  /** The retries ran out (or the URL was refused): the delivery failed; the endpoint is turned off after too many in a row. */
  giveUpWebhookDelivery(input: { deliveryId: string }): Promise<void>;
  /**
   * The unordered lane's batch: tries its due deliveries (oldest first, `concurrency` at once,
   * heartbeating after each), records each outcome and back-off in the row, and says what is left.
   */
  sendDueWebhookDeliveries(input: WebhookLaneWorkflowInput): Promise<WebhookBatchOutcome>;
}

/** A try the receiver accepted, waiting to be recorded. */
interface DeliveredTry {
  id: string;
  attempts: number;
  firstAttemptAt: Date;
  status: number;
  latencyMs: number;
  at: Date;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/** When the try after `attempt` is due, by the retry policy (null past the give-up time). */
function nextRetryAt(retry: WebhookRetryPolicy, attempt: number, firstTryAt: Date, now: Date): Date | null {
  const waitMs = Math.min(retry.initialIntervalMs * retry.backoffCoefficient ** (attempt - 1), retry.maximumIntervalMs);
  const at = new Date(now.getTime() + waitMs);
  return at.getTime() - firstTryAt.getTime() > retry.giveUpAfterMs ? null : at;
}

export function createWebhookActivities({
  db,
  mailer,
  webhookSecrets,
  outboundAllowedHosts,
  webhooks,
}: {
  db: Db;
  mailer: Mailer;
  webhookSecrets: SecretBox;
  outboundAllowedHosts?: readonly string[];
  webhooks?: WebhookDeliveryOptions;
}): WebhookActivities {
  const retry: WebhookRetryPolicy = { ...defaultWebhookRetry, ...webhooks?.retry };
  const disableAfter = webhooks?.disableAfterFailures ?? defaultDisableAfterFailures;
  const policy = outboundPolicyOf(outboundAllowedHosts);
  const timeoutMs = webhooks?.requestTimeoutMs ?? 10_000;
  const failingWindowMs = webhooks?.disableAfterFailingMs ?? defaultDisableAfterFailingMs;
  const batchSize = webhooks?.batchSize ?? 100;
  const concurrency = webhooks?.concurrency ?? 8;
  const clock = webhooks?.now ?? (() => new Date());

  /**
   * Tells the admins, in their language, that an endpoint was turned off: English, or Chinese in
   * the script of their locale (Traditional converted from the Simplified text by OpenCC, as the
   * console's zh-TW table is). At least once is fine for an alert.
   */
  const emailAdmins = async (url: string, reason: string) => {
    const admins = await db.user.findMany({ where: { role: 'admin', deactivatedAt: null, deletedAt: null }, select: { email: true, locale: true } });
    for (const language of ['en', 'zh-CN', 'zh-TW'] as const) {
      const to = admins.filter((admin) => languageOfLocale(admin.locale) === language).map((admin) => admin.email);
      if (to.length === 0) continue;
      const subject = inCustomerLanguage(language, (written) => (written === 'en' ? `Webhook turned off: ${url}` : `Webhook 已停用：${url}`));
      const text = inCustomerLanguage(language, (written) =>
        written === 'en'
          ? `Seamless turned off the webhook ${url}: ${reason}.\nNew events are not queued for it until an admin turns it on again (Admin → Webhooks); deliveries still pending are sent then.`
          : `Webhook ${url} 因持续失败已被 Seamless 停用：${reason}。\n管理员重新启用前不会再为它排队新事件（管理 → Webhook）；仍待发送的投递届时会继续发送。`,
      );
      await mailer.send({ to, subject, text });
    }
  };

  /** Turns the endpoint off (unless it is off already) with its audit event; what the admins' email says, or null. */
  const turnOff = async (tx: Tx, endpointId: string, reason: string) => {
    const before = await tx.webhookEndpoint.findUnique({ where: { id: endpointId } });
    // Only the first of two racing rules turns it off: the update waits for the other's and sees it off.
    const changed = await tx.webhookEndpoint.updateMany({
      where: { id: endpointId, enabled: true },
      data: { enabled: false, disabledAt: clock(), disabledReason: reason },
    });
    if (!before || changed.count === 0) return null;
    const after = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
    await appendEvent(tx, {
      type: 'webhook.disabled',
      actorKind: 'system',
      internal: true,
      payload: { before: toWebhookEndpointView({ ...before, enabled: true }), after: toWebhookEndpointView(after), reason },
    });
    return { url: after.url, reason };
  };

  /** A delivery's retries ran out (or it was refused): failed, once; the endpoint is turned off after too many in a row. True when it was. */
  const giveUp = async (deliveryId: string): Promise<boolean> => {
    const disabled = await db.$transaction(async (tx) => {
      const delivery = await tx.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { endpointId: true } });
      if (!delivery) return null;
      // Once: a retry after the commit finds it failed already and counts nothing twice.
      const changed = await tx.webhookDelivery.updateMany({
        where: { id: deliveryId, status: 'pending' },
        data: { status: 'failed', nextRetryAt: null, finishedAt: clock() },
      });
      if (changed.count === 0) return null;
      const endpoint = await tx.webhookEndpoint.update({ where: { id: delivery.endpointId }, data: { failuresInARow: { increment: 1 } } });
      if (!endpoint.enabled || !shouldDisableWebhook(endpoint.failuresInARow, disableAfter)) return null;
      return turnOff(tx, endpoint.id, `${endpoint.failuresInARow} deliveries in a row failed after every retry`);
    });
    if (disabled) await emailAdmins(disabled.url, disabled.reason);
    return disabled !== null;
  };

  /** A try failed at `at`: the endpoint is failing since its first failure after its last success; for the whole window, it is turned off. True when it was. */
  const noteFailedTry = async (endpointId: string, at: Date): Promise<boolean> => {
    const disabled = await db.$transaction(async (tx) => {
      await tx.webhookEndpoint.updateMany({ where: { id: endpointId, failingSince: null }, data: { failingSince: at } });
      const endpoint = await tx.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { enabled: true, failingSince: true } });
      if (!endpoint?.enabled || !failingTooLong(endpoint.failingSince, clock(), failingWindowMs)) return null;
      return turnOff(tx, endpointId, `every try failed for ${describeFailingWindow(failingWindowMs)}`);
    });
    if (disabled) await emailAdmins(disabled.url, disabled.reason);
    return disabled !== null;
  };

  /** A try succeeded: both counts start over. */
  const noteSuccess = (endpointId: string) =>
    db.webhookEndpoint.updateMany({
      where: { id: endpointId, OR: [{ failuresInARow: { gt: 0 } }, { failingSince: { not: null } }] },
      data: { failuresInARow: 0, failingSince: null },
    });

  /** Deliveries that succeeded, recorded together: one statement for many (a retry of an unrecorded one is dropped by the receiver). */
  const recordDelivered = async (tries: readonly DeliveredTry[]) => {
    if (tries.length === 0) return;
    await db.$executeRaw`
      UPDATE "WebhookDelivery" AS d
      SET status = 'delivered', attempts = t.attempts, "firstAttemptAt" = t.first, "lastStatus" = t.status, "lastError" = NULL,
          "lastLatencyMs" = t.latency, "nextRetryAt" = NULL, "finishedAt" = t.at
      FROM unnest(
        ${tries.map((done) => done.id)}::text[]::uuid[], ${tries.map((done) => done.attempts)}::int[], ${tries.map((done) => done.firstAttemptAt.toISOString())}::text[]::timestamp(3)[],
        ${tries.map((done) => done.status)}::int[], ${tries.map((done) => done.latencyMs)}::int[], ${tries.map((done) => done.at.toISOString())}::text[]::timestamp(3)[]
      ) AS t(id, attempts, first, status, latency, at)
      WHERE d.id = t.id AND d.status = 'pending'`;
  };

  /**
   * One try of the unordered lane's delivery, its back-off kept in the row: `delivered` (handed to
   * `delivered` to record); `failed` (retried at its `nextRetryAt`); `given_up` (refused,
   * unreadable, or past the give-up time); `disabled` when giving it up turned the endpoint off.
   */
  const tryOnce = async (
    endpoint: WebhookEndpoint,
    secret: string | null,
    delivery: WebhookDelivery,
    body: WebhookBody | null,
    delivered: (done: DeliveredTry) => Promise<void>,
  ) => {
    const now = clock();
    const attempts = delivery.attempts + 1;
    const firstAttemptAt = delivery.firstAttemptAt ?? now;
    const record = (data: { lastStatus: number | null; lastError: string | null; lastLatencyMs: number; nextRetryAt: Date | null }) =>
      db.webhookDelivery.update({ where: { id: delivery.id }, data: { attempts, firstAttemptAt, ...data } });
    const giveUpWith = async (lastError: string, lastStatus: number | null = null, lastLatencyMs = 0) => {
      await record({ lastStatus, lastError, lastLatencyMs, nextRetryAt: null });
      return (await giveUp(delivery.id)) ? ('disabled' as const) : ('given_up' as const);
    };
    if (!body) return giveUpWith('the event no longer exists (erased)');
    if (secret === null) return giveUpWith('the stored secret cannot be decrypted (was SEAMLESS_SECRET changed?)');
    const started = performance.now();
    try {
      const { status } = await postSignedWebhook(endpoint.url, body, secret, { eventId: delivery.eventKey, timeoutMs, policy });
      await delivered({ id: delivery.id, attempts, firstAttemptAt, status, latencyMs: Math.round(performance.now() - started), at: clock() });
      return 'delivered' as const;
    } catch (error) {
      const lastLatencyMs = Math.round(performance.now() - started);
      const lastStatus = error instanceof WebhookDeliveryError ? error.status : null;
      if (error instanceof OutboundRefusedError) return giveUpWith(`refused by the outbound guard: ${error.reason}`, lastStatus, lastLatencyMs);
      const retryAt = nextRetryAt(retry, attempts, firstAttemptAt, clock());
      if (!retryAt) return giveUpWith(describe(error), lastStatus, lastLatencyMs);
      await record({ lastStatus, lastError: describe(error), lastLatencyMs, nextRetryAt: retryAt });
      return 'failed' as const;
    }
  };

  return {
    async nextWebhookDelivery({ endpointId, lane }) {
      const endpoint = await db.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { enabled: true } });
      if (!endpoint?.enabled) return { kind: 'disabled' };
      const next = await db.webhookDelivery.findFirst({ where: { endpointId, lane, status: 'pending' }, orderBy: { seq: 'asc' }, select: { id: true } });
      return next ? { kind: 'send', deliveryId: next.id, retry } : { kind: 'none' };
    },

    async sendWebhookDelivery({ deliveryId }) {
      // scheduledTimestampMs: when the first try was scheduled (the give-up time counts from it).
      const { attempt, scheduledTimestampMs } = Context.current().info;
      const delivery = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true } });
      if (!delivery) throw ApplicationFailure.nonRetryable('the endpoint was deleted', webhookFailures.disabled);
      if (delivery.status !== 'pending') return; // a retry after the record
      const { endpoint } = delivery;
      if (!endpoint.enabled) throw ApplicationFailure.nonRetryable('the endpoint is turned off', webhookFailures.disabled);
      const body = await webhookBodyOf(db, delivery);
      const record = (data: { lastStatus: number | null; lastError: string | null; lastLatencyMs: number; nextRetryAt?: Date | null }) =>
        db.webhookDelivery.update({ where: { id: deliveryId }, data: { attempts: attempt, ...data } });
      if (!body) {
        await record({ lastStatus: null, lastError: 'the event no longer exists (erased)', lastLatencyMs: 0 });
        throw ApplicationFailure.nonRetryable('the event no longer exists', webhookFailures.refused);
      }
      let secret: string;
      try {
        secret = openEndpointSecret(webhookSecrets, endpoint);
      } catch {
        const lastError = 'the stored secret cannot be decrypted (was SEAMLESS_SECRET changed?)';
        await record({ lastStatus: null, lastError, lastLatencyMs: 0 });
        throw ApplicationFailure.nonRetryable(lastError, webhookFailures.refused);
      }
      const started = performance.now();
      try {
        const { status } = await postSignedWebhook(endpoint.url, body, secret, { eventId: delivery.eventKey, timeoutMs, policy });
        const lastLatencyMs = Math.round(performance.now() - started);
        await db.webhookDelivery.update({
          where: { id: deliveryId },
          data: { attempts: attempt, status: 'delivered', lastStatus: status, lastError: null, lastLatencyMs, nextRetryAt: null, finishedAt: new Date() },
        });
        await noteSuccess(endpoint.id);
      } catch (error) {
        const lastLatencyMs = Math.round(performance.now() - started);
        const lastStatus = error instanceof WebhookDeliveryError ? error.status : null;
        if (error instanceof OutboundRefusedError) {
          await record({ lastStatus, lastError: `refused by the outbound guard: ${error.reason}`, lastLatencyMs, nextRetryAt: null });
          throw ApplicationFailure.nonRetryable(error.reason, webhookFailures.refused);
        }
        await record({
          lastStatus,
          lastError: describe(error),
          lastLatencyMs,
          nextRetryAt: nextRetryAt(retry, attempt, new Date(scheduledTimestampMs), new Date()),
        });
        // Failing for the whole window: turned off now; the delivery waits for it to be on again.
        if (await noteFailedTry(endpoint.id, clock())) throw ApplicationFailure.nonRetryable('the endpoint was turned off', webhookFailures.disabled);
        throw error;
      }
    },

    async giveUpWebhookDelivery({ deliveryId }) {
      await giveUp(deliveryId);
    },

    async sendDueWebhookDeliveries({ endpointId, lane }) {
      const endpoint = await db.webhookEndpoint.findUnique({ where: { id: endpointId } });
      if (!endpoint?.enabled) return { kind: 'disabled' };
      const dueAt = (now: Date) => ({ endpointId, lane, status: 'pending' as const, OR: [{ nextRetryAt: null }, { nextRetryAt: { lte: now } }] });
      const due = await db.webhookDelivery.findMany({ where: dueAt(clock()), orderBy: { seq: 'asc' }, take: batchSize });
      const bodies = await webhookBodiesOf(db, due);
      let secret: string | null = null;
      try {
        secret = openEndpointSecret(webhookSecrets, endpoint);
      } catch {
        secret = null; // each delivery says why it failed
      }
      let delivered = 0;
      let failedAt: Date | null = null;
      let off = false;
      let next = 0;
      // Successes are recorded a few at a time, in one statement each.
      const unrecorded: DeliveredTry[] = [];
      const flush = () => recordDelivered(unrecorded.splice(0));
      const succeeded = async (done: DeliveredTry) => {
        unrecorded.push(done);
        if (unrecorded.length >= 2 * concurrency) await flush();
      };
      const sendNext = async (): Promise<void> => {
        while (!off && next < due.length) {
          const delivery = due[next++]!;
          const at = clock();
          const outcome = await tryOnce(endpoint, secret, delivery, bodies.get(delivery.id) ?? null, succeeded);
          Context.current().heartbeat();
          if (outcome === 'delivered') delivered += 1;
          else failedAt ??= at;
          if (outcome === 'disabled') off = true;
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, sendNext));
      await flush();
      if (delivered > 0) await noteSuccess(endpointId);
      else if (failedAt && !off) off = await noteFailedTry(endpointId, failedAt);
      if (off) return { kind: 'disabled' };
      const now = clock();
      const [more, earliest] = await Promise.all([
        db.webhookDelivery.findFirst({ where: dueAt(now), select: { id: true } }),
        db.webhookDelivery.aggregate({ where: { endpointId, lane, status: 'pending', nextRetryAt: { gt: now } }, _min: { nextRetryAt: true } }),
      ]);
      const retryAt = earliest._min.nextRetryAt;
      return { kind: 'sent', sent: due.length, more: more !== null, retryInMs: retryAt ? retryAt.getTime() - now.getTime() : null };
    },
  };
}
