// The email tests' common ground: one reply domain with our From and the channel's address, a
// server secret with the reply tokens it makes, and a system (test/support/system.ts) whose email
// replies go out by SMTP to the given server, retried in fractions of a second.
import { randomBytes } from 'node:crypto';
import { createMailer } from '../../infra/email/mailer.js';
import { createReplyTokens } from '../../infra/email/threading.js';
import { startSystem, type TestSystem } from './system.js';

export const replyDomain = 'support.example.com';
export const mailFrom = `Seamless <noreply@${replyDomain}>`;
export const channelAddress = `help@${replyDomain}`;

/** A fresh server secret and the reply tokens (reply+<token>@replyDomain) it signs. */
export function emailSecret() {
  const secret = randomBytes(48).toString('base64url');
  return { secret, tokens: createReplyTokens({ secret, domain: replyDomain }) };
}

/** Retries in fractions of a second instead of minutes; the give-up time stays far away. */
export const quickRetry = { initialIntervalMs: 200, backoffCoefficient: 2, maximumIntervalMs: 1_000, giveUpAfterMs: 120_000 };

/**
 * A system that sends email replies to `smtpUrl`, with the demo's email channel switched on at
 * `channelAddress` (and any other channel settings given).
 */
export async function startEmailSystem(options: {
  secret: string;
  smtpUrl: string;
  settings?: Record<string, unknown>;
}): Promise<{ system: TestSystem; channelId: string }> {
  const system = await startSystem({
    secret: options.secret,
    mailer: createMailer({ SMTP_URL: options.smtpUrl, MAIL_FROM: mailFrom }),
    outboundEmail: { mailFrom, retry: quickRetry },
  });
  const channelId = (await system.db.channel.findFirstOrThrow({ where: { kind: 'email' } })).id;
  await system.db.channel.update({ where: { id: channelId }, data: { enabled: true, settings: { address: channelAddress, ...options.settings } } });
  return { system, channelId };
}
