// Outgoing webhooks signed like Stripe's: `Seamless-Signature: t=<unix seconds>,v1=<hex>` where
// v1 is HMAC-SHA256(secret, "<t>.<raw body>"). The timestamp is signed with the body, so a
// captured request cannot be replayed later than the receiver's tolerance; receivers dedupe
// retries by `Seamless-Event-Id`. See docs/WEBHOOKS.md for the receiver's side. Every request
// goes through the outbound guard (infra/outbound/): no webhook reaches an internal address.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { guardedRequest, strictOutboundPolicy, type OutboundPolicy } from '../outbound/outbound-guard.js';

export const signatureHeader = 'Seamless-Signature';
export const eventIdHeader = 'Seamless-Event-Id';
/** How old (or how far in the future) a signed timestamp may be by default. */
export const defaultToleranceSeconds = 300;
const defaultTimeoutMs = 10_000;

const hmac = (secret: string, timestampSeconds: number, body: string) => createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');

/** The `Seamless-Signature` header value for this exact body (sign the bytes you send). */
export function signWebhook(body: string, secret: string, timestampSeconds: number): string {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) throw new RangeError('timestampSeconds must be a whole number of seconds since 1970');
  return `t=${timestampSeconds},v1=${hmac(secret, timestampSeconds, body)}`;
}

export type VerifyResult = { ok: true; timestampSeconds: number } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

export interface VerifyOptions {
  toleranceSeconds?: number;
  /** The receiver's clock; default the real one. */
  now?: () => Date;
}

/**
 * Checks a `Seamless-Signature` header against the raw body: any `v1` entry may match (several
 * are sent while a secret is rotated); compared in constant time; a timestamp further than the
 * tolerance from now is refused even with a valid signature.
 */
export function verifyWebhook(header: string | null | undefined, body: string, secret: string, options: VerifyOptions = {}): VerifyResult {
  const tolerance = options.toleranceSeconds ?? defaultToleranceSeconds;
  const parts = (header ?? '').split(',').map((part) => part.trim().split('='));
  const timestamps = parts.filter(([name]) => name === 't').map(([, value]) => value ?? '');
  const signatures = parts.filter(([name, value]) => name === 'v1' && /^[0-9a-f]{64}$/.test(value ?? '')).map(([, value]) => Buffer.from(value!, 'hex'));
  if (timestamps.length !== 1 || !/^\d{1,12}$/.test(timestamps[0]!) || signatures.length === 0) return { ok: false, reason: 'malformed' };
  const timestampSeconds = Number(timestamps[0]);
  const nowSeconds = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestampSeconds) > tolerance) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(hmac(secret, timestampSeconds, body), 'hex');
  // Every candidate is compared (no early exit), each in constant time.
  let matched = false;
  for (const signature of signatures) matched = timingSafeEqual(signature, expected) || matched;
  return matched ? { ok: true, timestampSeconds } : { ok: false, reason: 'mismatch' };
}

/** The receiver answered outside 2xx: `status` says which; thrown so the activity's retry policy retries. */
export class WebhookDeliveryError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`webhook ${url} answered ${status}`);
    this.name = 'WebhookDeliveryError';
  }
}

export interface PostWebhookOptions {
  /** Stable across retries of one delivery, so receivers can drop repeats. */
  eventId: string;
  /** Whole request, connection included; default 10 s. */
  timeoutMs?: number;
  /** Which hosts may be called (infra/outbound/outbound-guard.ts); default: public hosts only. */
  policy?: OutboundPolicy;
  /** Signing clock; default the real one. */
  now?: () => Date;
}

/**
 * POSTs `payload` as JSON, signed with `secret`, through the outbound guard. Resolves with the
 * status on 2xx; throws OutboundRefusedError when the guard refuses the URL (an internal
 * address: retrying will not help), WebhookDeliveryError on any other status, and the network
 * error on a timeout or connection failure. Each call signs afresh (a retry carries a new
 * timestamp, the same event id). Redirects are not followed.
 */
export async function postSignedWebhook(url: string, payload: unknown, secret: string, options: PostWebhookOptions): Promise<{ status: number }> {
  const body = JSON.stringify(payload);
  const timestampSeconds = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  const response = await guardedRequest(
    url,
    {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        [signatureHeader]: signWebhook(body, secret, timestampSeconds),
        [eventIdHeader]: options.eventId,
        'User-Agent': 'Seamless-Webhooks/1',
      },
      body,
      timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
    },
    options.policy ?? strictOutboundPolicy,
  );
  if (response.status < 200 || response.status > 299) throw new WebhookDeliveryError(url, response.status);
  return { status: response.status };
}
