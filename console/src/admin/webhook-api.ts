// The console's calls to the webhook endpoints (docs/WEBHOOKS.md): admins only.
import type { WebhookDeliveryView, WebhookEndpointView } from '../../../contract/webhooks';
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';

export type { WebhookDeliveryView, WebhookEndpointView };
export { webhookEventTypeNames } from '../../../contract/webhooks';

export interface WebhookInput {
  url?: string;
  description?: string;
  events?: string[];
  ordered?: boolean;
  enabled?: boolean;
  rotateSecret?: true;
}

/** Deliveries per page of the log. */
export const deliveryPageSize = 25;

export function createWebhookApi(request: HttpClient) {
  const id = (value: string) => encodeURIComponent(value);
  return {
    list: (signal?: AbortSignal) => request<{ webhooks: WebhookEndpointView[] }>('GET', '/api/webhooks', { signal }),
    create: (input: WebhookInput) => request<{ webhook: WebhookEndpointView; secret: string }>('POST', '/api/webhooks', { body: input }),
    update: (webhookId: string, change: WebhookInput) =>
      request<{ webhook: WebhookEndpointView; secret?: string }>('PATCH', `/api/webhooks/${id(webhookId)}`, { body: change }),
    remove: (webhookId: string) => request<void>('DELETE', `/api/webhooks/${id(webhookId)}`),
    /** A page of the delivery log, newest first; `before`: the previous page's `next`. */
    deliveries: (webhookId: string, before?: string | null, signal?: AbortSignal) =>
      request<{ deliveries: WebhookDeliveryView[]; next: string | null }>(
        'GET',
        `/api/webhooks/${id(webhookId)}/deliveries?limit=${deliveryPageSize}${before ? `&before=${id(before)}` : ''}`,
        { signal },
      ),
    redeliver: (webhookId: string, deliveryId: string) =>
      request<{ delivery: WebhookDeliveryView }>('POST', `/api/webhooks/${id(webhookId)}/deliveries/${id(deliveryId)}/redeliver`, { body: {} }),
    test: (webhookId: string) => request<{ delivery: WebhookDeliveryView }>('POST', `/api/webhooks/${id(webhookId)}/test`, { body: {} }),
  };
}

/** Bound to the session; a 401 is checked through the session's own client, which signs out. */
export const webhookApi = createWebhookApi(sessionRequest);
