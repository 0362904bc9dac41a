// A widget visitor: a new customer and a signed token. With an Idempotency-Key, a retry after a
// lost response finds the customer the first request created (200, a fresh token for it) instead
// of creating a second one.
//
// The caller is anonymous, so the key is scoped to the client: it is stored as a hash of the key
// and the client's address (Express's req.ip, which follows TRUST_PROXY). The same key from
// another address is a request of its own, never a replay: a key seen elsewhere (a shared page,
// a log) does not hand out a token for someone else's customer. And a key replays for a day only
// (then 409 idempotency_key_expired): a retry comes within minutes, and a key must not become a
// lasting second credential for the customer.
//
// With an identity claim from the host site (widget-identity.ts): a verified claim gets a token
// for the customer it names (the same customer from any device); an unverified one is refused when
// the channel requires verification, else it is an anonymous visitor keeping the claimed email as
// `providedEmail` only. A verified identify sent with an anonymous visitor's token takes that
// visitor's conversations along (widget-identity.ts adoptAnonymousVisitor).
import { createHash } from 'node:crypto';
import { preChatFormSettings, type PreChatForm } from '../../contract/requests/widget.js';
import { signVisitorToken } from '../../infra/auth/visitor-tokens.js';
import type { Db } from '../../infra/db.js';
import type { Prisma } from '../../prisma/generated/client.js';
import type { ApiDeps } from '../deps.js';
import { canonicalTimeZone } from '../admin-fields.js';
import { badRequest, conflict, notFound } from '../http-error.js';
import { findOrCreate } from './prisma-errors.js';
import {
  adoptAnonymousVisitor,
  claimIsVerified,
  customerForVerifiedClaim,
  identityNotVerified,
  requiresVerifiedIdentity,
  widgetChannel,
  type IdentityClaim,
} from './widget-identity.js';

/** How long a visitor's Idempotency-Key replays. */
export const visitorKeyLifetimeMs = 24 * 3_600_000;

export interface NewVisitor {
  name?: string;
  email?: string;
  locale?: string;
  /** The web_chat channel the widget belongs to (its identity secret and settings); the first enabled one when absent. */
  channelId?: string;
  /** The host site's user, signed or not. */
  identity?: IdentityClaim;
  /** The customer of the visitor token the request carried, if any: an anonymous one moves into the verified identity. */
  currentCustomerId?: string;
  idempotencyKey: string | null;
  /** The client's address, the key's scope. */
  clientAddress: string;
}

/** The stored form of a visitor's key: a hash of the client's address and the key. */
export function visitorKeyOf(clientAddress: string, idempotencyKey: string): string {
  return createHash('sha256').update(`visitor\n${clientAddress}\n${idempotencyKey}`).digest('base64url');
}

export async function createVisitor(deps: Pick<ApiDeps, 'db' | 'secret'>, input: NewVisitor, now = new Date()) {
  const channel = input.identity || input.channelId ? await widgetChannel(deps.db, input.channelId) : null;
  if (channel && input.identity) {
    if (claimIsVerified(deps, channel, input.identity)) {
      const customer = await customerForVerifiedClaim(deps.db, input.identity, now, input.locale);
      if (input.currentCustomerId) await adoptAnonymousVisitor(deps.db, input.currentCustomerId, customer.id);
      return {
        created: customer.created,
        verified: true,
        token: await signVisitorToken(deps.secret, customer.id),
        customer: { id: customer.id, name: customer.name, locale: customer.locale },
      };
    }
    if (requiresVerifiedIdentity(channel)) throw identityNotVerified();
    // Only a claim: an anonymous visitor that keeps what it says (name, email as providedEmail).
    input = { ...input, name: input.name ?? input.identity.name, email: input.email ?? input.identity.email };
  }
  const visitorKey = input.idempotencyKey === null ? null : visitorKeyOf(input.clientAddress, input.idempotencyKey);
  const answer = async (customer: { id: string; name: string | null; locale: string | null }, created: boolean) => ({
    created,
    verified: false,
    token: await signVisitorToken(deps.secret, customer.id),
    customer: { id: customer.id, name: customer.name, locale: customer.locale },
  });
  const replay = async () => {
    const existing = visitorKey ? await deps.db.customer.findUnique({ where: { visitorKey } }) : null;
    if (!existing) return null;
    if (now.getTime() - existing.createdAt.getTime() > visitorKeyLifetimeMs) {
      throw conflict('idempotency_key_expired', 'This Idempotency-Key was used over a day ago; send a new one.');
    }
    return answer(existing, false);
  };

  return findOrCreate(replay, async () => {
    // An email identifies a returning customer only once verified (email channel issue); until
    // then every widget visitor is a new contact that keeps the email as given.
    // Seen now: the authenticator notes later visits at most hourly (infra/auth/principal.ts), and
    // silent visitors unseen for the retention period are deleted (services/visitor-retention.ts).
    const customer = await deps.db.customer.create({
      data: {
        name: input.name ?? null,
        locale: input.locale ?? null,
        attributes: input.email ? { providedEmail: input.email } : {},
        lastSeenAt: now,
        visitorKey,
      },
    });
    return answer(customer, true);
  });
}

/** The pre-chat form of a web_chat channel, or null when it has none switched on. */
export function preChatFormOf(channel: { settings: unknown }): PreChatForm | null {
  const parsed = preChatFormSettings.safeParse((channel.settings as { preChatForm?: unknown } | null)?.preChatForm);
  return parsed.success && parsed.data.enabled ? parsed.data : null;
}

/** What the widget needs to know of its channel before the visitor writes (GET /api/widget/config): nothing secret. */
export async function widgetConfig(db: Db, channelId: string | undefined) {
  const channel = await widgetChannel(db, channelId);
  return {
    channelId: channel.id,
    requireVerifiedIdentity: requiresVerifiedIdentity(channel),
    preChatForm: preChatFormOf(channel),
    calls: (channel.settings as { calls?: unknown } | null)?.calls === true,
  };
}

export interface PreChatAnswers {
  channelId?: string;
  name?: string;
  email?: string;
  fields: Record<string, string>;
}

/**
 * Stores the visitor's pre-chat answers on their customer: the name, the email as `providedEmail`
 * (nobody verified it) and each custom field under its key in `attributes`. Checked against the
 * channel's form: a required answer missing or a question it does not ask is a 400 by field, and
 * nothing is stored. An identified visitor's name and email come from the host site: 409.
 */
export async function savePreChat(db: Db, customerId: string, answers: PreChatAnswers) {
  const channel = await widgetChannel(db, answers.channelId);
  const form = preChatFormOf(channel);
  if (!form) throw conflict('pre_chat_off', 'This channel has no pre-chat form.');
  const problems: { path: string; message: string }[] = [];
  if (answers.name !== undefined && !form.askName) problems.push({ path: 'name', message: 'This form does not ask for a name' });
  if (answers.email !== undefined && !form.askEmail) problems.push({ path: 'email', message: 'This form does not ask for an email' });
  if (form.askName && form.nameRequired && !answers.name) problems.push({ path: 'name', message: 'Required' });
  if (form.askEmail && form.emailRequired && !answers.email) problems.push({ path: 'email', message: 'Required' });
  const asked = new Map(form.fields.map((field) => [field.key, field]));
  for (const key of Object.keys(answers.fields)) if (!asked.has(key)) problems.push({ path: `fields.${key}`, message: 'This form does not ask this' });
  for (const field of form.fields) if (field.required && !answers.fields[field.key]) problems.push({ path: `fields.${field.key}`, message: 'Required' });
  if (problems.length) throw badRequest('invalid_input', 'The pre-chat answers are not valid.', problems);

  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Customer" WHERE id = ${customerId}::uuid FOR UPDATE`;
    if (!locked) throw notFound('Customer');
    const customer = await tx.customer.findUniqueOrThrow({ where: { id: customerId } });
    if (customer.externalId !== null) throw conflict('already_identified', 'An identified visitor’s name and email come from the site they signed in to.');
    const attributes = { ...(customer.attributes as Record<string, unknown>) };
    if (answers.email) attributes.providedEmail = answers.email;
    for (const [key, value] of Object.entries(answers.fields)) if (value) attributes[key] = value;
    const updated = await tx.customer.update({
      where: { id: customerId },
      data: { name: answers.name ?? customer.name, attributes: attributes as Prisma.InputJsonValue },
    });
    return { id: updated.id, name: updated.name, locale: updated.locale };
  });
}

/**
 * The zone a visitor's browser reported, in canonical spelling when it is a known IANA zone; else
 * null (ignored). The widget reports it with every message and conversation start, whose
 * statements store it on the customer when it differs (message-store.ts, conversation-start-store.ts).
 */
export const knownTimeZone = (reported: string | undefined): string | null => (reported === undefined ? null : canonicalTimeZone(reported.trim()));
