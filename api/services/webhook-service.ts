// Outgoing webhook endpoints (docs/WEBHOOKS.md): admins create, change, rotate, delete them, read
// their delivery log, redeliver one and send a test event. Deliveries of events are written by
// the Event insert trigger (migration 20261207111518_webhook_endpoints), not here; what this
// service writes itself (a redelivery, a ping, the lanes an endpoint turned on again must
// resume) goes to the outbox in the same transaction, like every start the API owes a workflow.
// The secret is sealed at once and returned only in the answer that set it.
import { randomBytes, randomUUID } from 'node:crypto';
import type { CreateWebhookInput, UpdateWebhookInput } from '../../contract/requests/webhooks.js';
import type { WebhookDeliveryView, WebhookEndpointView } from '../../contract/webhooks.js';
import { logTypesOf, webhookPingType, type WebhookEventType } from '../../domain/webhook-events.js';
import type { Db, Tx } from '../../infra/db.js';
import type { Actor } from '../../infra/auth/principal.js';
import { appendEvent } from '../../infra/event-log.js';
import { outboundUrlProblem, type OutboundPolicy } from '../../infra/outbound/outbound-guard.js';
import type { SecretBox } from '../../infra/secrets/secret-box.js';
import { sealEndpointSecret, toWebhookDeliveryView, toWebhookEndpointView } from '../../infra/webhooks/webhook-endpoints.js';
import type { WebhookDelivery } from '../../prisma/generated/client.js';
import { badRequest, conflict, notFound } from '../http-error.js';
import { workflowGateway, type GatewayDeps } from './workflow-gateway.js';
import { webhookUnorderedLane } from '../../workflows/webhook-lane.messages.js';

export interface WebhookServiceDeps extends GatewayDeps {
  box: SecretBox;
  outbound: OutboundPolicy;
}

/** A new endpoint's (or a rotation's) secret when the admin gives none: 32 random bytes. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

function checkUrl(url: string, policy: OutboundPolicy): void {
  const problem = outboundUrlProblem(url, policy);
  if (problem) throw badRequest('invalid_input', 'The webhook cannot be saved as it is.', [{ path: 'url', message: problem }]);
}

/** Audited as internal events naming the admin, or the integration's key. */
const audit = (
  tx: Tx,
  type: 'webhook.created' | 'webhook.updated' | 'webhook.deleted',
  actor: Actor,
  payload: { before: unknown; after: unknown; changed?: string[] },
) => appendEvent(tx, { type, actorKind: actor.actorKind, actorId: actor.actorId, internal: true, payload });

export async function listWebhooks(db: Db): Promise<WebhookEndpointView[]> {
  return (await db.webhookEndpoint.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })).map(toWebhookEndpointView);
}

export async function getWebhook(db: Db, id: string): Promise<WebhookEndpointView> {
  const row = await db.webhookEndpoint.findUnique({ where: { id } });
  if (!row) throw notFound('Webhook');
  return toWebhookEndpointView(row);
}

/** A new endpoint; `secret` is the only time it is shown. */
export async function createWebhook(
  deps: WebhookServiceDeps,
  actor: Actor,
  input: CreateWebhookInput,
): Promise<{ webhook: WebhookEndpointView; secret: string }> {
  checkUrl(input.url, deps.outbound);
  const id = randomUUID();
  const secret = input.secret ?? newSecret();
  const events = input.events as WebhookEventType[];
  const webhook = await deps.db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.create({
      data: {
        id,
        url: input.url,
        description: input.description ?? '',
        events: [...new Set(events)],
        logTypes: logTypesOf(events),
        ordered: input.ordered ?? false,
        enabled: input.enabled ?? true,
        sealedSecret: sealEndpointSecret(deps.box, id, secret),
      },
    });
    const view = toWebhookEndpointView(row);
    await audit(tx, 'webhook.created', actor, { before: null, after: view });
    return view;
  });
  return { webhook, secret };
}

/** Lanes with deliveries waiting (an endpoint turned on again resumes them), as outbox intents. */
async function waitingLanes(tx: Tx, endpointId: string) {
  const lanes = await tx.webhookDelivery.findMany({ where: { endpointId, status: 'pending' }, distinct: ['lane'], select: { lane: true } });
  return lanes.map(({ lane }) => ({ kind: 'webhook_lane' as const, endpointId, lane }));
}

/** Changes an endpoint; `secret` in the answer only when a new one was set or made (rotation). */
export async function updateWebhook(
  deps: WebhookServiceDeps,
  actor: Actor,
  id: string,
  changes: UpdateWebhookInput,
): Promise<{ webhook: WebhookEndpointView; secret?: string }> {
  if (changes.url !== undefined) checkUrl(changes.url, deps.outbound);
  const secret = changes.rotateSecret ? newSecret() : changes.secret;
  const outbox = workflowGateway(deps).outbox();
  const webhook = await deps.db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "WebhookEndpoint" WHERE id = ${id}::uuid FOR UPDATE`;
    if (!current) throw notFound('Webhook');
    const before = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id } });
    const events = changes.events as WebhookEventType[] | undefined;
    const turnedOn = changes.enabled === true && !before.enabled;
    const row = await tx.webhookEndpoint.update({
      where: { id },
      data: {
        ...(changes.url === undefined ? {} : { url: changes.url }),
        ...(changes.description === undefined ? {} : { description: changes.description }),
        ...(events === undefined ? {} : { events: [...new Set(events)], logTypes: logTypesOf(events) }),
        ...(changes.ordered === undefined ? {} : { ordered: changes.ordered }),
        ...(changes.enabled === undefined ? {} : { enabled: changes.enabled }),
        // On again: the failure count starts over, the reason it was turned off goes.
        ...(turnedOn ? { failuresInARow: 0, failingSince: null, disabledAt: null, disabledReason: null } : {}),
        ...(secret === undefined ? {} : { sealedSecret: sealEndpointSecret(deps.box, id, secret) }),
      },
    });
    const changed = Object.keys(changes).filter((key) => key !== 'secret' && key !== 'rotateSecret');
    if (secret !== undefined) changed.push('secret');
    const after = toWebhookEndpointView(row);
    await audit(tx, 'webhook.updated', actor, { before: toWebhookEndpointView(before), after, changed });
    if (turnedOn) await outbox.write(tx, await waitingLanes(tx, id));
    return after;
  });
  await outbox.deliver();
  return secret === undefined ? { webhook } : { webhook, secret };
}

/** Deletes the endpoint and its delivery log; its lanes end at their next look. */
export async function deleteWebhook(db: Db, actor: Actor, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await tx.webhookEndpoint.findUnique({ where: { id } });
    if (!before) throw notFound('Webhook');
    await tx.webhookEndpoint.delete({ where: { id } });
    await audit(tx, 'webhook.deleted', actor, { before: toWebhookEndpointView(before), after: null });
  });
}

/**
 * A page of the endpoint's deliveries, newest first; `before`: the `next` of the previous page (a
 * delivery id); `next`: the cursor of the page after this one, null on the last.
 */
export async function listWebhookDeliveries(
  db: Db,
  id: string,
  page: { before?: string; limit: number },
): Promise<{ deliveries: WebhookDeliveryView[]; next: string | null }> {
  if (!(await db.webhookEndpoint.findUnique({ where: { id }, select: { id: true } }))) throw notFound('Webhook');
  let below: bigint | undefined;
  if (page.before) {
    const cursor = await db.webhookDelivery.findFirst({ where: { id: page.before, endpointId: id }, select: { seq: true } });
    if (!cursor) throw notFound('Delivery');
    below = cursor.seq;
  }
  const rows = await db.webhookDelivery.findMany({
    where: { endpointId: id, ...(below === undefined ? {} : { seq: { lt: below } }) },
    orderBy: { seq: 'desc' },
    // One more than asked for: whether a next page exists.
    take: page.limit + 1,
  });
  const deliveries = rows.slice(0, page.limit).map(toWebhookDeliveryView);
  return { deliveries, next: rows.length > page.limit ? (deliveries.at(-1)?.id ?? null) : null };
}

/** A new delivery on the endpoint's unordered lane (outside any ordering), written with its lane's outbox row. */
async function enqueue(
  deps: WebhookServiceDeps,
  endpointId: string,
  data: (
    id: string,
  ) => Omit<
    WebhookDelivery,
    | 'seq'
    | 'status'
    | 'attempts'
    | 'lastStatus'
    | 'lastError'
    | 'lastLatencyMs'
    | 'nextRetryAt'
    | 'firstAttemptAt'
    | 'createdAt'
    | 'finishedAt'
    | 'endpointId'
    | 'id'
    | 'lane'
  >,
): Promise<WebhookDeliveryView> {
  const outbox = workflowGateway(deps).outbox();
  const view = await deps.db.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { enabled: true } });
    if (!endpoint) throw notFound('Webhook');
    if (!endpoint.enabled) throw conflict('webhook_disabled', 'The webhook is turned off: turn it on first.');
    const id = randomUUID();
    const { payload, ...rest } = data(id);
    const lane = webhookUnorderedLane;
    const row = await tx.webhookDelivery.create({ data: { ...rest, ...(payload === null ? {} : { payload }), id, endpointId, lane } });
    await outbox.write(tx, [{ kind: 'webhook_lane', endpointId, lane }]);
    return toWebhookDeliveryView(row);
  });
  await outbox.deliver();
  return view;
}

/** Sends the delivery's event again, with the same event id (a receiver that kept it drops it). */
export async function redeliverWebhook(deps: WebhookServiceDeps, endpointId: string, deliveryId: string): Promise<WebhookDeliveryView> {
  const original = await deps.db.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId } });
  if (!original) throw notFound('Delivery');
  return enqueue(deps, endpointId, () => ({
    eventId: original.eventId,
    eventKey: original.eventKey,
    type: original.type,
    redeliveryOf: original.id,
    payload: original.payload,
  }));
}

/** A `ping` event to the endpoint, logged like any delivery. */
export async function sendTestWebhook(deps: WebhookServiceDeps, endpointId: string): Promise<WebhookDeliveryView> {
  return enqueue(deps, endpointId, (id) => ({
    eventId: null,
    eventKey: `ping_${id}`,
    type: webhookPingType,
    redeliveryOf: null,
    payload: { endpointId, message: 'A test event from Seamless: your endpoint is reachable.' },
  }));
}
