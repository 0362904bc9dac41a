// The API's security settings in one place: rate limits, login lockout, widget origins, proxy
// trust and the clock. Defaults suit one process; main.ts overrides them from the environment
// (infra/env.ts) and tests pass low limits or their own clock.
import type { Env } from '../../infra/env.js';
import { defaultLockoutPolicy, type LockoutPolicy } from '../../infra/auth/login-lockout.js';

/** `limit` requests per `windowMs` for one key (IP or visitor); 0 turns the limit off. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimits {
  /** POST /api/widget/visitors, per IP. */
  widgetVisitors: RateLimitRule;
  /** POST /api/widget/conversations, per IP. */
  widgetConversations: RateLimitRule;
  /** POST /api/widget/conversations/:id/messages, per visitor (its token's customer). */
  widgetMessages: RateLimitRule;
  /** POST /api/widget/conversations/:id/messages, per IP: all visitors from one address together. */
  widgetMessagesPerIp: RateLimitRule;
  /** POST /api/widget/conversations/:id/csat and …/bot-feedback together, per visitor. */
  widgetFeedback: RateLimitRule;
  /** Failed POST /api/auth/login, per IP (successful sign-ins are not counted). */
  login: RateLimitRule;
  /** Every request made with an integration's API key, per key. */
  apiKey: RateLimitRule;
}

export interface SecurityConfig {
  rateLimits: RateLimits;
  lockout: LockoutPolicy;
  /** PUBLIC_URL: its origin may call the widget endpoints and sets the WebSocket origin in the CSP. */
  publicUrl: string | null;
  /** How long the web_chat channels' allowed origins are cached. */
  allowedOriginsTtlMs: number;
  /** Express's `trust proxy`: set it behind a reverse proxy, or every client shares the proxy's IP. */
  trustProxy: boolean | number | string;
  /** The clock of the lockout and the origin cache (tests move it instead of sleeping). */
  now: () => Date;
}

export type SecurityOverrides = Partial<Omit<SecurityConfig, 'rateLimits' | 'lockout'>> & {
  rateLimits?: Partial<RateLimits>;
  lockout?: Partial<LockoutPolicy>;
};

const minute = 60_000;

/**
 * Per IP, room for many people behind one address (an office, a mobile carrier's NAT): 60 new
 * visitors and 120 new conversations a minute, and 600 widget messages a minute from all of its
 * visitors together (10/s) — one client can no longer multiply the per-visitor allowance by
 * making visitors. Per visitor, 120 messages a minute (2/s: far above a person typing) and 30
 * ratings or bot verdicts a minute (each conversation takes a few at most; identical repeats write
 * nothing). `npm run bench` floods its own API from 127.0.0.1 with ~200 visitors, so it turns the
 * widget and sign-in limits off (RATE_LIMIT_*=0 in the environment it gives the API).
 */
export const defaultRateLimits: RateLimits = {
  widgetVisitors: { limit: 60, windowMs: minute },
  widgetConversations: { limit: 120, windowMs: minute },
  widgetMessages: { limit: 120, windowMs: minute },
  widgetMessagesPerIp: { limit: 600, windowMs: minute },
  widgetFeedback: { limit: 30, windowMs: minute },
  login: { limit: 30, windowMs: 15 * minute },
  // An integration syncing a CRM makes bursts of reads; 10/s on average per key, like Zendesk's
  // default API allowance order of magnitude.
  apiKey: { limit: 600, windowMs: minute },
};

export function resolveSecurity(overrides: SecurityOverrides = {}): SecurityConfig {
  return {
    publicUrl: overrides.publicUrl ?? null,
    allowedOriginsTtlMs: overrides.allowedOriginsTtlMs ?? 30_000,
    trustProxy: overrides.trustProxy ?? false,
    now: overrides.now ?? (() => new Date()),
    rateLimits: { ...defaultRateLimits, ...overrides.rateLimits },
    lockout: { ...defaultLockoutPolicy, ...overrides.lockout },
  };
}

/** The settings main.ts reads from the environment; unset variables keep the defaults. */
export function securityFromEnv(env: Env): SecurityOverrides {
  const rule = (limit: number | undefined, base: RateLimitRule): RateLimitRule => ({ ...base, limit: limit ?? base.limit });
  return {
    publicUrl: env.PUBLIC_URL ?? null,
    trustProxy: env.TRUST_PROXY ?? false,
    rateLimits: {
      widgetVisitors: rule(env.RATE_LIMIT_WIDGET_VISITORS, defaultRateLimits.widgetVisitors),
      widgetConversations: rule(env.RATE_LIMIT_WIDGET_CONVERSATIONS, defaultRateLimits.widgetConversations),
      widgetMessages: rule(env.RATE_LIMIT_WIDGET_MESSAGES, defaultRateLimits.widgetMessages),
      widgetMessagesPerIp: rule(env.RATE_LIMIT_WIDGET_MESSAGES_PER_IP, defaultRateLimits.widgetMessagesPerIp),
      widgetFeedback: rule(env.RATE_LIMIT_WIDGET_FEEDBACK, defaultRateLimits.widgetFeedback),
      login: rule(env.RATE_LIMIT_LOGIN, defaultRateLimits.login),
      apiKey: rule(env.RATE_LIMIT_API_KEY, defaultRateLimits.apiKey),
    },
    lockout: {
      maxFailures: env.LOGIN_LOCKOUT_FAILURES ?? defaultLockoutPolicy.maxFailures,
      maxAccountFailures: env.LOGIN_LOCKOUT_ACCOUNT_FAILURES ?? defaultLockoutPolicy.maxAccountFailures,
      windowMs: (env.LOGIN_LOCKOUT_WINDOW_MINUTES ?? defaultLockoutPolicy.windowMs / minute) * minute,
      lockMs: (env.LOGIN_LOCKOUT_MINUTES ?? defaultLockoutPolicy.lockMs / minute) * minute,
    },
  };
}
