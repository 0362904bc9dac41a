// Field schemas for the admin pages' writes that need more than the browser-safe contract: the
// time zone (luxon's zones), the channels' settings with their origins (checked by the service).
// The rest live in contract/requests/admin-fields.ts, re-exported here for the API's modules.
import { IANAZone } from 'luxon';
import { z } from 'zod';

import { preChatFormSettings } from '../contract/requests/widget.js';

export { escalation, holidays, name, openingInterval, optionalId, shortcut, targetMinutes, warningPercent, weekly } from '../contract/requests/admin-fields.js';

/**
 * The canonical spelling of an IANA time zone ('europe/london' → 'Europe/London'), or null when
 * it is not one. Intl throws a RangeError on an unknown zone; luxon (which the business-hours
 * arithmetic uses) must accept it too. Offsets like '+08:00' are refused: they ignore DST.
 */
export function canonicalTimeZone(value: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(value)) return null;
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    return IANAZone.isValidZone(canonical) ? canonical : null;
  } catch {
    return null;
  }
}

export const timeZone = z.string().transform((value, context) => {
  const canonical = canonicalTimeZone(value.trim());
  if (canonical === null) {
    context.addIssue({ code: 'custom', message: 'must be an IANA time zone, e.g. Europe/London or Asia/Shanghai' });
    return z.NEVER;
  }
  return canonical;
});

/**
 * `https://shop.example` from an origin typed with or without a trailing slash, or null. Paths,
 * queries, fragments and credentials are refused rather than cut: the widget CORS check compares
 * origins, and a URL with a path suggests the admin meant something else.
 */
export function normalisedOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') return null;
  if (value.includes('?') || value.includes('#')) return null;
  return url.origin;
}

export const origin = z
  .string()
  .trim()
  .max(200)
  .transform((value, context) => {
    const normalised = normalisedOrigin(value);
    if (normalised === null) {
      context.addIssue({ code: 'custom', message: 'must be an http(s) origin such as https://shop.example (no path)' });
      return z.NEVER;
    }
    return normalised;
  });

/** Settings each kind of channel keeps, replaced as a whole by a change. */
export const channelSettings = {
  web_chat: z.strictObject({
    /** Pages allowed to call the widget API (api/security/widget-cors.ts). */
    allowedOrigins: z
      .array(origin)
      .max(100)
      .transform((origins) => [...new Set(origins)]),
    /** Identity claims must carry a valid userHash (api/services/widget-identity.ts); off by default. */
    requireVerifiedIdentity: z.boolean().optional(),
    /** Asked of anonymous visitors before their first message (POST /api/widget/pre-chat). */
    preChatForm: preChatFormSettings.optional(),
    /** Visitors may ask for a voice or video call (issue 24: api/services/call-service.ts); off by default. */
    calls: z.boolean().optional(),
    /** How long a call rings before it is missed, in seconds (default 45). */
    callRingSeconds: z.number().int().min(1).max(600).optional(),
  }),
  email: z.strictObject({
    address: z.email().max(254),
    /** The display name of replies' From (infra/email/compose-reply.ts); the channel's name when absent. */
    fromName: z.string().trim().min(1).max(100).optional(),
    /** Added under every reply sent from the channel, after a "-- " line. */
    signature: z.string().trim().min(1).max(2000).optional(),
    /** Replies keep the thread's Cc (reply-all, the default); false: to the customer only. */
    replyAll: z.boolean().optional(),
    /** Each new thread also opens a ticket linked to its conversation (off by default). */
    createTickets: z.boolean().optional(),
  }),
  api: z.strictObject({}),
} as const;

/** A search text for SQL LIKE: `%`, `_` and `\` match themselves (Prisma does not escape them). */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);
