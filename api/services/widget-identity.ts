// Identified widget visitors (identity verification, as Intercom and Chatwoot do it): the host
// site tells the widget who its signed-in user is — user id, email, name — with `userHash`, the
// hex HMAC-SHA256 of the user id under the web_chat channel's identity secret, computed on the host
// site's server. A claim whose hash checks out (constant-time compare) is the customer with that
// external id, else the customer with that email (the same one the email channel finds by the
// address: one person, one contact), else a new one; the claim's name and email are written to it.
//
// A claim without a valid hash is refused (403 identity_not_verified) when the channel requires
// verification; otherwise it is only a claim: the visitor is a new contact that keeps the email as
// `providedEmail`, never linked to an existing customer, so nobody can read another's
// conversations by typing their email or id.
//
// The secret is generated here (32 random bytes, hex), sealed with infra/secrets/secret-box.ts
// (purpose "widget-identity", the channel id as context), revealed to admins only and rotated on
// demand; the audit log records that it changed, never the secret.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../infra/db.js';
import { createSecretBox, SecretUnreadableError, type SecretBox } from '../../infra/secrets/secret-box.js';
import type { Channel } from '../../prisma/generated/client.js';
import type { ApiDeps } from '../deps.js';
import { badRequest, conflict, HttpError, notFound } from '../http-error.js';
import { recordAudit } from './audit-service.js';
import { mergeCustomers } from './customer-merge.js';
import { findOrCreate, isUniqueViolation } from './prisma-errors.js';
import { lockRowOrNotFound } from './row-lock.js';

/** Its own key, derived from the server secret: not the IMAP passwords' nor the visitor tokens'. */
const identityBox = (serverSecret: string): SecretBox => createSecretBox(serverSecret, 'widget-identity');

/** The hex HMAC-SHA256 of the user id under the secret: what the host site's server computes. */
export function identityHash(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/** Whether `userHash` is the user id's HMAC under the secret, compared in constant time (case-insensitive hex). */
export function identityHashMatches(secret: string, userId: string, userHash: string): boolean {
  const expected = Buffer.from(identityHash(secret, userId), 'hex');
  if (!/^[0-9a-f]{64}$/i.test(userHash)) return false;
  return timingSafeEqual(expected, Buffer.from(userHash, 'hex'));
}

/** What a web_chat channel's settings say about identity (api/admin-fields.ts channelSettings.web_chat). */
export const requiresVerifiedIdentity = (channel: Pick<Channel, 'settings'>): boolean =>
  (channel.settings as { requireVerifiedIdentity?: unknown } | null)?.requireVerifiedIdentity === true;

/** The web_chat channel the widget names (enabled), else the first enabled one — where its conversations go (conversation-service.ts). */
export async function widgetChannel(db: Db, channelId: string | undefined): Promise<Channel> {
  const channel = await db.channel.findFirst({
    where: channelId ? { id: channelId, kind: 'web_chat', enabled: true } : { kind: 'web_chat', enabled: true },
    orderBy: { createdAt: 'asc' },
  });
  if (!channel) {
    if (channelId) throw notFound('Channel');
    throw new HttpError(503, 'channel_unavailable', 'Web chat is not enabled.');
  }
  return channel;
}

async function webChatChannel(db: Db, id: string): Promise<Channel> {
  const channel = await db.channel.findUnique({ where: { id } });
  if (!channel) throw notFound('Channel');
  if (channel.kind !== 'web_chat') throw badRequest('not_web_chat', 'Only a web chat channel has an identity secret.');
  return channel;
}

/** The channel's identity secret in clear (admins only), or null when none was generated. */
export async function revealIdentitySecret(deps: Pick<ApiDeps, 'db' | 'secret'>, channelId: string): Promise<string | null> {
  const channel = await webChatChannel(deps.db, channelId);
  if (!channel.identitySecretSealed) return null;
  try {
    return identityBox(deps.secret).open(channel.identitySecretSealed, channel.id);
  } catch (error) {
    if (!(error instanceof SecretUnreadableError)) throw error;
    throw conflict('identity_secret_unreadable', 'The identity secret cannot be decrypted (was SEAMLESS_SECRET changed?): rotate it and update your server.');
  }
}

/** A new identity secret for the channel (the first, or a rotation: the old one stops verifying at once); returned once, in clear. */
export async function rotateIdentitySecret(deps: Pick<ApiDeps, 'db' | 'secret'>, adminId: string, channelId: string): Promise<string> {
  const channel = await webChatChannel(deps.db, channelId);
  const secret = randomBytes(32).toString('hex');
  const sealed = identityBox(deps.secret).seal(secret, channel.id);
  await deps.db.$transaction(async (tx) => {
    await lockRowOrNotFound(tx, 'Channel', channel.id, 'Channel');
    const before = await tx.channel.findUniqueOrThrow({ where: { id: channel.id }, select: { identitySecretSealed: true } });
    await tx.channel.update({ where: { id: channel.id }, data: { identitySecretSealed: sealed } });
    await recordAudit(tx, {
      type: 'channel.updated',
      adminId,
      before: { id: channel.id, identitySecret: before.identitySecretSealed ? 'set' : 'none' },
      after: { id: channel.id, identitySecret: before.identitySecretSealed ? 'rotated' : 'set' },
      details: { changed: ['identitySecret'] },
    });
  });
  return secret;
}

/** What the host page says about its user (POST /api/widget/visitors `identity`). */
export interface IdentityClaim {
  userId: string;
  email?: string;
  name?: string;
  userHash?: string;
}

/**
 * Whether the claim is signed with the channel's secret; a channel without a secret — or whose
 * sealed secret no longer opens (SEAMLESS_SECRET changed: an admin rotates it) — verifies nothing.
 */
export function claimIsVerified(deps: Pick<ApiDeps, 'secret'>, channel: Channel, claim: IdentityClaim): boolean {
  if (!claim.userHash || !channel.identitySecretSealed) return false;
  let secret: string;
  try {
    secret = identityBox(deps.secret).open(channel.identitySecretSealed, channel.id);
  } catch (error) {
    if (error instanceof SecretUnreadableError) return false;
    throw error;
  }
  return identityHashMatches(secret, claim.userId, claim.userHash);
}

/** The refusal of an unsigned or forged claim on a channel that requires verification. */
export const identityNotVerified = () =>
  new HttpError(
    403,
    'identity_not_verified',
    "The visitor's identity could not be verified: userHash must be the HMAC-SHA256 of userId with the channel's identity secret.",
  );

export interface IdentifiedCustomer {
  id: string;
  name: string | null;
  locale: string | null;
  /** Made now (no customer had this external id or email). */
  created: boolean;
}

/**
 * The customer a verified claim names: by external id, else by email (a customer with another
 * external id keeps its address: then the claim is a customer of its own), else a new one. Its
 * name and email follow the claim (an email another customer holds stays where it is).
 */
export async function customerForVerifiedClaim(db: Db, claim: IdentityClaim, now = new Date(), locale?: string): Promise<IdentifiedCustomer> {
  const select = { id: true, name: true, locale: true, email: true, externalId: true } as const;
  let created = false;
  const find = async () => {
    const byId = await db.customer.findUnique({ where: { externalId: claim.userId }, select });
    if (byId) return byId;
    if (!claim.email) return null;
    const byEmail = await db.customer.findFirst({ where: { email: { equals: claim.email, mode: 'insensitive' } }, select });
    if (!byEmail || byEmail.externalId !== null) return null;
    // The address's customer (an email sender, say) is this user: it takes the external id,
    // unless a concurrent identify gave it one first — then it is found by id on the retry.
    const claimed = await db.customer.updateMany({ where: { id: byEmail.id, externalId: null }, data: { externalId: claim.userId } });
    return claimed.count === 1 ? { ...byEmail, externalId: claim.userId } : db.customer.findUnique({ where: { externalId: claim.userId }, select });
  };
  const create = async () => {
    const emailFree = claim.email ? (await db.customer.count({ where: { email: { equals: claim.email, mode: 'insensitive' } } })) === 0 : false;
    const customer = await db.customer.create({
      data: {
        externalId: claim.userId,
        name: claim.name ?? null,
        email: emailFree ? claim.email : null,
        attributes: claim.email && !emailFree ? { providedEmail: claim.email } : {},
        locale: locale ?? null,
        lastSeenAt: now,
      },
      select,
    });
    created = true;
    return customer;
  };
  const customer = await findOrCreate(find, create);
  if (created) return { id: customer.id, name: customer.name, locale: customer.locale, created };

  // The verified claim is the latest word on the person's name and address.
  const data: { name?: string; email?: string; lastSeenAt: Date } = { lastSeenAt: now };
  if (claim.name && claim.name !== customer.name) data.name = claim.name;
  if (claim.email && claim.email !== customer.email?.toLowerCase()) data.email = claim.email;
  try {
    const updated = await db.customer.update({ where: { id: customer.id }, data, select });
    return { id: updated.id, name: updated.name, locale: updated.locale, created };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // The new address belongs to another customer: merging the two is an agent's decision.
    delete data.email;
    const updated = await db.customer.update({ where: { id: customer.id }, data, select });
    return { id: updated.id, name: updated.name, locale: updated.locale, created };
  }
}

/**
 * An anonymous visitor who then identifies: what they wrote before moves to the identified contact
 * (services/customer-merge.ts; the anonymous row is deleted and its token dies). Only a contact
 * nobody identified (no external id, no email) is merged — the caller holds its token — and a
 * second identify racing this one finds it gone (404) and moves nothing more. Null when nothing
 * was merged.
 */
export async function adoptAnonymousVisitor(db: Db, anonymousId: string, identifiedId: string) {
  if (anonymousId === identifiedId) return null;
  const anonymous = await db.customer.findUnique({ where: { id: anonymousId }, select: { externalId: true, email: true } });
  if (!anonymous || anonymous.externalId !== null || anonymous.email !== null) return null;
  try {
    return await mergeCustomers({ db }, { survivorId: identifiedId, mergedId: anonymousId, actor: { actorKind: 'customer', actorId: identifiedId } });
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return null;
    throw error;
  }
}
