// Outgoing webhook deliveries (docs/WEBHOOKS.md), for the webhook lane workflow
// (workflows/webhook-lane.ts). A send is at least once: a worker that dies after the receiver
// answered, before the row says so, sends again on the retry with the same event id, which the
// receiver drops (Seamless-Event-Id). Every try is recorded on the delivery (attempts, status,
// latency, next retry) for the delivery log.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { shouldDisableWebhook } from '../domain/webhook-events.js';
import type { Db } from '../infra/db.js';
import type { Mailer } from '../infra/email/mailer.js';
import { appendEvent } from '../infra/event-log.js';
import { OutboundRefusedError, outboundPolicyOf } from '../infra/outbound/outbound-guard.js';
import type { SecretBox } from '../infra/secrets/secret-box.js';
import { postSignedWebhook, WebhookDeliveryError } from '../infra/webhooks/signed-webhook.js';
import { openEndpointSecret, toWebhookEndpointView, webhookBodyOf } from '../infra/webhooks/webhook-endpoints.js';
import { webhookFailures, type NextWebhookDelivery, type WebhookRetryPolicy } from '../workflows/webhook-lane.messages.js';

export interface WebhookDeliveryOptions {
  /** The back-off; defaultWebhookRetry for what is not given (tests shorten it). */
  retry?: Partial<WebhookRetryPolicy>;
  /** Deliveries given up in a row that turn an endpoint off; default 5; 0: never. */
  disableAfterFailures?: number;
  /** One request, connection included; default 10 s. */
  requestTimeoutMs?: number;
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

export interface WebhookActivities {
  /** The lane's oldest pending delivery and how to retry it; `disabled` while the endpoint is off. */
  nextWebhookDelivery(input: { endpointId: string; lane: string }): Promise<NextWebhookDelivery>;
  /** One signed POST of the delivery; records the try; throws on failure (retried, or non-retryable when refused or off). */
  sendWebhookDelivery(input: { deliveryId: string }): Promise<void>;
  /** The retries ran out (or the URL was refused): the delivery failed; the endpoint is turned off after too many in a row. */
  giveUpWebhookDelivery(input: { deliveryId: string }): Promise<void>;
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

  /** Tells the admins, in their language, that an endpoint was turned off. At least once is fine for an alert. */
  const emailAdmins = async (url: string, reason: string) => {
    const admins = await db.user.findMany({ where: { role: 'admin', deactivatedAt: null, deletedAt: null }, select: { email: true, locale: true } });
    for (const locale of ['en', 'zh-CN'] as const) {
      const to = admins.filter((admin) => (locale === 'en' ? !admin.locale.startsWith('zh') : admin.locale.startsWith('zh'))).map((admin) => admin.email);
      if (to.length === 0) continue;
      await mailer.send(
        locale === 'en'
          ? {
              to,
              subject: `Webhook turned off: ${url}`,
              text: `Seamless turned off the webhook ${url}: ${reason}.\nNew events are not queued for it until an admin turns it on again (Admin → Webhooks); deliveries still pending are sent then.`,
            }
          : {
              to,
              subject: `Webhook 已停用：${url}`,
              text: `Webhook ${url} 因持续失败已被 Seamless 停用：${reason}。\n管理员重新启用前不会再为它排队新事件（管理 → Webhook）；仍待发送的投递届时会继续发送。`,
            },
      );
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
        await db.$transaction([
          db.webhookDelivery.update({
            where: { id: deliveryId },
            data: { attempts: attempt, status: 'delivered', lastStatus: status, lastError: null, lastLatencyMs, nextRetryAt: null, finishedAt: new Date() },
          }),
          db.webhookEndpoint.updateMany({ where: { id: endpoint.id, failuresInARow: { gt: 0 } }, data: { failuresInARow: 0 } }),
        ]);
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
        throw error;
      }
    },

    async giveUpWebhookDelivery({ deliveryId }) {
      const disabled = await db.$transaction(async (tx) => {
        const delivery = await tx.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { endpointId: true, attempts: true } });
        if (!delivery) return null;
        // Once: a retry after the commit finds it failed already and counts nothing twice.
        const changed = await tx.webhookDelivery.updateMany({
          where: { id: deliveryId, status: 'pending' },
          data: { status: 'failed', nextRetryAt: null, finishedAt: new Date() },
        });
        if (changed.count === 0) return null;
        const before = await tx.webhookEndpoint.update({ where: { id: delivery.endpointId }, data: { failuresInARow: { increment: 1 } } });
        if (!before.enabled || !shouldDisableWebhook(before.failuresInARow, disableAfter)) return null;
        const reason = `${before.failuresInARow} deliveries in a row failed after every retry`;
        const after = await tx.webhookEndpoint.update({
          where: { id: before.id },
          data: { enabled: false, disabledAt: new Date(), disabledReason: reason },
        });
        await appendEvent(tx, {
          type: 'webhook.disabled',
          actorKind: 'system',
          internal: true,
          payload: { before: toWebhookEndpointView(before), after: toWebhookEndpointView(after), reason },
        });
        return { url: after.url, reason };
      });
      if (disabled) await emailAdmins(disabled.url, disabled.reason);
    },
  };
}
