// Identified widget visitors and the pre-chat form, in-process (test/support/in-process-api.ts):
// a signed identify is the same customer from any client, a forged or missing hash is refused where
// the channel requires verification and is only a claim where it does not, the identity secret is
// admins' only, and the pre-chat answers land on the customer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';
import { customerByEmail } from '../services/email/email-customer.js';
import { identityHash } from '../services/widget-identity.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string };
let webChat: { id: string; settings: Record<string, unknown> };
let email: { id: string };
let secret: string;

const identify = (identity: Record<string, unknown>, options: { token?: string; channelId?: string } = {}) =>
  api.request('POST', '/api/widget/visitors', { token: options.token, body: { identity, ...(options.channelId ? { channelId: options.channelId } : {}) } });

const setWebChat = (settings: Record<string, unknown>) =>
  api.request('PATCH', `/api/channels/${webChat.id}`, { token: tokens.admin, body: { settings: { allowedOrigins: [], ...settings } } });

beforeAll(async () => {
  api = await startInProcessApi();
  tokens = await signIn(api, 'admin', 'agent');
  const { channels } = (await api.request('GET', '/api/channels', { token: tokens.admin })).body as {
    channels: { id: string; kind: string; settings: Record<string, unknown> }[];
  };
  webChat = channels.find((channel) => channel.kind === 'web_chat')!;
  email = channels.find((channel) => channel.kind === 'email')!;
});
afterAll(() => api?.stop());

describe('the identity secret', () => {
  it('is none at first, then generated, revealed to admins only, sealed at rest, and rotated', async () => {
    expect(await api.request('GET', `/api/channels/${webChat.id}/identity-secret`, { token: tokens.admin })).toMatchObject({
      status: 200,
      body: { secret: null },
    });
    const made = await fetch(`${api.url}/api/channels/${webChat.id}/identity-secret`, { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(made.status).toBe(200);
    expect(made.headers.get('cache-control')).toBe('no-store');
    secret = ((await made.json()) as { secret: string }).secret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect((await api.request('GET', `/api/channels/${webChat.id}/identity-secret`, { token: tokens.admin })).body.secret).toBe(secret);
    // Sealed: the row does not hold the secret in clear.
    const row = await api.db.channel.findUniqueOrThrow({ where: { id: webChat.id } });
    expect(Buffer.from(row.identitySecretSealed!).toString('latin1')).not.toContain(secret);
    // Recorded without the secret.
    const audit = await api.db.event.findFirstOrThrow({ where: { type: 'channel.updated' }, orderBy: { id: 'desc' } });
    expect(JSON.stringify(audit.payload)).not.toContain(secret);
    expect(audit.payload).toMatchObject({ changed: ['identitySecret'] });

    // Rotation: the old secret's hashes stop verifying at once.
    const old = secret;
    secret = (await api.request('POST', `/api/channels/${webChat.id}/identity-secret`, { token: tokens.admin })).body.secret;
    expect(secret).not.toBe(old);
    await setWebChat({ requireVerifiedIdentity: true });
    expect(await identify({ userId: 'rotated-1', userHash: identityHash(old, 'rotated-1') })).toMatchObject({
      status: 403,
      body: { error: { code: 'identity_not_verified' } },
    });
    expect(await identify({ userId: 'rotated-1', userHash: identityHash(secret, 'rotated-1') })).toMatchObject({ status: 201, body: { verified: true } });
    await setWebChat({ requireVerifiedIdentity: false });
  });

  it('is refused to agents and visitors, and for a channel that is not web chat', async () => {
    const visitor = await api.visitor('Nosy Nick');
    for (const token of [tokens.agent, visitor.token]) {
      expect((await api.request('GET', `/api/channels/${webChat.id}/identity-secret`, { token })).status).toBe(403);
      expect((await api.request('POST', `/api/channels/${webChat.id}/identity-secret`, { token })).status).toBe(403);
    }
    expect((await api.request('GET', `/api/channels/${webChat.id}/identity-secret`)).status).toBe(401);
    expect(await api.request('POST', `/api/channels/${email.id}/identity-secret`, { token: tokens.admin })).toMatchObject({
      status: 400,
      body: { error: { code: 'not_web_chat' } },
    });
    expect(await api.db.channel.findUniqueOrThrow({ where: { id: email.id } })).toMatchObject({ identitySecretSealed: null });
    expect((await api.request('GET', `/api/channels/00000000-0000-4000-8000-000000000000/identity-secret`, { token: tokens.admin })).status).toBe(404);
    expect((await api.request('GET', `/api/channels/nope/identity-secret`, { token: tokens.admin })).status).toBe(400);
  });
});

describe('a sealed secret that no longer opens (the server secret changed)', () => {
  it('is 409 to reveal, verifies no claim, and a rotation mends it', async () => {
    const row = await api.db.channel.findUniqueOrThrow({ where: { id: webChat.id } });
    // Damaged (as if sealed under another server secret): it does not open.
    await api.db.channel.update({ where: { id: webChat.id }, data: { identitySecretSealed: Buffer.from(row.identitySecretSealed!).reverse() } });
    expect(await api.request('GET', `/api/channels/${webChat.id}/identity-secret`, { token: tokens.admin })).toMatchObject({
      status: 409,
      body: { error: { code: 'identity_secret_unreadable' } },
    });
    expect(await identify({ userId: 'shop-user-1', userHash: identityHash(secret, 'shop-user-1') })).toMatchObject({ status: 201, body: { verified: false } });
    secret = (await api.request('POST', `/api/channels/${webChat.id}/identity-secret`, { token: tokens.admin })).body.secret;
    expect(await identify({ userId: 'shop-user-1', userHash: identityHash(secret, 'shop-user-1') })).toMatchObject({ status: 201, body: { verified: true } });
  });
});

describe('a signed identify', () => {
  it('is the same customer from two separate clients, with the name and email of the claim, and both see its conversations', async () => {
    const claim = { userId: 'shop-user-42', email: 'Mei.Lin@Example.com', name: 'Mei Lin', userHash: identityHash(secret, 'shop-user-42') };
    const laptop = await identify(claim);
    expect(laptop).toMatchObject({ status: 201, body: { verified: true, customer: { name: 'Mei Lin' } } });
    const phone = await identify({ ...claim, name: 'Mei Lin (phone)' });
    expect(phone).toMatchObject({ status: 200, body: { verified: true } });
    expect(phone.body.customer.id).toBe(laptop.body.customer.id);
    expect(await api.db.customer.findUniqueOrThrow({ where: { id: laptop.body.customer.id } })).toMatchObject({
      externalId: 'shop-user-42',
      email: 'mei.lin@example.com',
      name: 'Mei Lin (phone)',
    });

    const started = await api.request('POST', '/api/widget/conversations', { token: laptop.body.token, body: { body: 'My order never came' } });
    expect(started.status).toBe(201);
    const seen = await api.request('GET', '/api/widget/conversations', { token: phone.body.token });
    expect(seen.body.conversations.map((conversation: { id: string }) => conversation.id)).toEqual([started.body.conversation.id]);
  });

  it('is the customer the email channel finds for that address afterwards: one contact', async () => {
    const identified = await api.db.customer.findUniqueOrThrow({ where: { externalId: 'shop-user-42' } });
    expect(await customerByEmail(api.db, 'MEI.LIN@example.com', 'Mei by mail')).toBe(identified.id);
  });

  it('finds the customer an email sender already is, by the verified address: one contact', async () => {
    const sender = await api.db.customer.create({ data: { email: 'wei@example.com', name: 'Wei (mail)' } });
    const identified = await identify({ userId: 'shop-user-7', email: 'wei@example.com', name: 'Wei Zhang', userHash: identityHash(secret, 'shop-user-7') });
    expect(identified).toMatchObject({ status: 200, body: { verified: true, customer: { id: sender.id, name: 'Wei Zhang' } } });
    expect(await api.db.customer.findUniqueOrThrow({ where: { id: sender.id } })).toMatchObject({ externalId: 'shop-user-7' });
  });

  it('accepts the hash in capitals too, and a claim with no email; a new contact takes the widget’s language', async () => {
    const identified = await api.request('POST', '/api/widget/visitors', {
      body: { locale: 'zh-CN', identity: { userId: 'shop-user-8', userHash: identityHash(secret, 'shop-user-8').toUpperCase() } },
    });
    expect(identified).toMatchObject({ status: 201, body: { verified: true, customer: { locale: 'zh-CN' } } });
    expect(await api.db.customer.findUniqueOrThrow({ where: { id: identified.body.customer.id } })).toMatchObject({ externalId: 'shop-user-8', email: null });
  });
});

describe('an anonymous visitor who then identifies', () => {
  it('takes their conversations to the identified contact, seen from any device; the anonymous token keeps nothing', async () => {
    const anonymous = await api.visitor('Guest');
    const started = await api.request('POST', '/api/widget/conversations', { token: anonymous.token, body: { body: 'Asked before signing in' } });
    expect(started.status).toBe(201);
    const claim = { userId: 'shop-user-42', userHash: identityHash(secret, 'shop-user-42') };
    const identified = await identify(claim, { token: anonymous.token });
    expect(identified).toMatchObject({ status: 200, body: { verified: true } });
    const survivor = await api.db.customer.findUniqueOrThrow({ where: { externalId: 'shop-user-42' } });
    expect(identified.body.customer.id).toBe(survivor.id);
    expect(await api.db.conversation.findUniqueOrThrow({ where: { id: started.body.conversation.id } })).toMatchObject({ customerId: survivor.id });
    expect(await api.db.customer.findUnique({ where: { id: anonymous.customerId } })).toBeNull();
    expect(await api.db.event.count({ where: { type: 'customer.merged', customerId: survivor.id } })).toBe(1);
    // Another device, identified on its own, sees it too.
    const elsewhere = await identify(claim);
    const listed = await api.request('GET', '/api/widget/conversations', { token: elsewhere.body.token });
    expect(listed.body.conversations.map((conversation: { id: string }) => conversation.id)).toContain(started.body.conversation.id);
    // The anonymous token names nobody now: refused once this process's visitor cache (30 s) lets go, and empty-handed until then.
    const stale = await api.request('GET', '/api/widget/conversations', { token: anonymous.token });
    expect(stale.status === 401 || (stale.status === 200 && stale.body.conversations.length === 0), JSON.stringify(stale)).toBe(true);
  });

  it('never merges a contact somebody identified: a token of another identified visitor stays theirs', async () => {
    const other = await identify({ userId: 'shop-user-99', email: 'ninety@example.com', userHash: identityHash(secret, 'shop-user-99') });
    const again = await identify({ userId: 'shop-user-42', userHash: identityHash(secret, 'shop-user-42') }, { token: other.body.token });
    expect(again.body.customer.id).not.toBe(other.body.customer.id);
    expect(await api.db.customer.findUnique({ where: { id: other.body.customer.id } })).toMatchObject({ externalId: 'shop-user-99' });
  });
});

describe('an unsigned or forged claim', () => {
  it('is refused with 403 when the channel requires verification, and creates nobody', async () => {
    await setWebChat({ requireVerifiedIdentity: true });
    const before = await api.db.customer.count();
    const forged = { userId: 'shop-user-42', email: 'mei.lin@example.com', userHash: identityHash('not-the-secret', 'shop-user-42') };
    expect(await identify(forged)).toMatchObject({ status: 403, body: { error: { code: 'identity_not_verified' } } });
    expect(await identify({ userId: 'shop-user-42', email: 'mei.lin@example.com' })).toMatchObject({ status: 403 });
    // The hash of another user id does not pass for this one.
    expect(await identify({ userId: 'shop-user-42', userHash: identityHash(secret, 'shop-user-43') })).toMatchObject({ status: 403 });
    expect(await api.db.customer.count()).toBe(before);
    // Anonymous visitors are still welcome: only claims must be signed.
    expect((await api.request('POST', '/api/widget/visitors', { body: {} })).status).toBe(201);
    await setWebChat({ requireVerifiedIdentity: false });
  });

  it('is only a claim when the channel does not require verification: a new contact that sees nothing of the verified one', async () => {
    const claimed = await identify({ userId: 'shop-user-42', email: 'mei.lin@example.com', name: 'Not Mei', userHash: '0'.repeat(64) });
    expect(claimed).toMatchObject({ status: 201, body: { verified: false } });
    const verified = await api.db.customer.findUniqueOrThrow({ where: { externalId: 'shop-user-42' } });
    expect(claimed.body.customer.id).not.toBe(verified.id);
    expect(await api.db.customer.findUniqueOrThrow({ where: { id: claimed.body.customer.id } })).toMatchObject({
      externalId: null,
      email: null,
      attributes: { providedEmail: 'mei.lin@example.com' },
    });
    expect((await api.request('GET', '/api/widget/conversations', { token: claimed.body.token })).body.conversations).toEqual([]);
    const theirs = await api.db.conversation.findFirstOrThrow({ where: { customerId: verified.id } });
    expect((await api.request('GET', `/api/widget/conversations/${theirs.id}/messages`, { token: claimed.body.token })).status).toBe(404);
    // And the verified contact was not touched by the claim.
    expect(await api.db.customer.findUniqueOrThrow({ where: { id: verified.id } })).toMatchObject({ name: 'Mei Lin (phone)' });
  });

  it('refuses bad input by field, creating nobody', async () => {
    const before = await api.db.customer.count();
    for (const [identity, path] of [
      [{}, 'identity.userId'],
      [{ userId: '' }, 'identity.userId'],
      [{ userId: 'x'.repeat(201) }, 'identity.userId'],
      [{ userId: 'u', email: 'not-an-email' }, 'identity.email'],
      [{ userId: 'u', userHash: 'f'.repeat(129) }, 'identity.userHash'],
      [{ userId: 'u', admin: true }, 'identity'],
    ] as const) {
      expect(await identify(identity)).toMatchObject({ status: 400, body: { error: { code: 'invalid_input', details: [{ path }] } } });
    }
    expect(await identify({ userId: 'u' }, { channelId: 'nope' })).toMatchObject({ status: 400, body: { error: { details: [{ path: 'channelId' }] } } });
    expect(await identify({ userId: 'u' }, { channelId: email.id })).toMatchObject({ status: 404 });
    expect(await api.db.customer.count()).toBe(before);
  });
});

describe('the pre-chat form', () => {
  const form = {
    enabled: true,
    askName: true,
    askEmail: true,
    nameRequired: true,
    emailRequired: false,
    fields: [
      { key: 'order_number', label: { en: 'Order number', zh: '订单号' }, required: true },
      { key: 'company', label: { en: 'Company', zh: '公司' }, required: false },
    ],
  };

  it('is off by default, then offered with the channel’s config (no secret in it)', async () => {
    expect(await api.request('GET', '/api/widget/config')).toMatchObject({
      status: 200,
      body: { config: { channelId: webChat.id, preChatForm: null, requireVerifiedIdentity: false } },
    });
    const visitor = await api.visitor('Early Eve');
    expect(await api.request('POST', '/api/widget/pre-chat', { token: visitor.token, body: { name: 'Eve' } })).toMatchObject({
      status: 409,
      body: { error: { code: 'pre_chat_off' } },
    });
    expect(await setWebChat({ preChatForm: form })).toMatchObject({ status: 200 });
    const config = await api.request('GET', `/api/widget/config?channelId=${webChat.id}`);
    expect(config.body.config.preChatForm).toEqual(form);
    expect(JSON.stringify(config.body)).not.toContain(secret);
  });

  it('stores the answers on the visitor: name, providedEmail and each field in attributes', async () => {
    const visitor = await api.visitor();
    const saved = await api.request('POST', '/api/widget/pre-chat', {
      token: visitor.token,
      body: { name: 'Ana Souza', email: 'Ana@Example.com', fields: { order_number: 'A-1001', company: '' } },
    });
    expect(saved).toMatchObject({ status: 200, body: { customer: { id: visitor.customerId, name: 'Ana Souza' } } });
    expect(await api.db.customer.findUniqueOrThrow({ where: { id: visitor.customerId } })).toMatchObject({
      name: 'Ana Souza',
      email: null,
      attributes: { providedEmail: 'ana@example.com', order_number: 'A-1001' },
    });
  });

  it('refuses missing required answers, questions it does not ask and bad values by field, storing nothing', async () => {
    const visitor = await api.visitor();
    const before = await api.db.customer.findUniqueOrThrow({ where: { id: visitor.customerId } });
    const post = (body: unknown) => api.request('POST', '/api/widget/pre-chat', { token: visitor.token, body });
    expect(await post({ email: 'a@example.com' })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input', details: [{ path: 'name' }, { path: 'fields.order_number' }] } },
    });
    expect(await post({ name: 'A', fields: { order_number: '1', shoe_size: '42' } })).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'fields.shoe_size' }] } },
    });
    expect(await post({ name: 'A', email: 'nope', fields: { order_number: '1' } })).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'email' }] } },
    });
    expect(await post({ name: 'A', fields: { order_number: 'x'.repeat(501) } })).toMatchObject({ status: 400 });
    expect(await post({ name: 'A', fields: { order_number: '1' }, vip: true })).toMatchObject({ status: 400 });
    expect(await api.db.customer.findUniqueOrThrow({ where: { id: visitor.customerId } })).toEqual(before);
    // Staff and callers without a token are not visitors.
    expect((await api.request('POST', '/api/widget/pre-chat', { token: tokens.agent, body: { name: 'A', fields: { order_number: '1' } } })).status).toBe(403);
    expect((await api.request('POST', '/api/widget/pre-chat', { body: { name: 'A', fields: { order_number: '1' } } })).status).toBe(401);
  });

  it('is not for identified visitors: their name and email come from the host site', async () => {
    const identified = await identify({ userId: 'shop-user-42', userHash: identityHash(secret, 'shop-user-42') });
    expect(
      await api.request('POST', '/api/widget/pre-chat', { token: identified.body.token, body: { name: 'Someone else', fields: { order_number: '1' } } }),
    ).toMatchObject({
      status: 409,
      body: { error: { code: 'already_identified' } },
    });
  });

  it('refuses a bad form from the admin by path, keeping the settings', async () => {
    const before = await api.db.channel.findUniqueOrThrow({ where: { id: webChat.id } });
    const bad = await setWebChat({ preChatForm: { ...form, fields: [{ key: 'Order Number', label: { en: 'x', zh: 'x' }, required: true }] } });
    expect(bad).toMatchObject({ status: 400, body: { error: { details: [{ path: 'settings.preChatForm.fields.0.key' }] } } });
    const twice = await setWebChat({ preChatForm: { ...form, fields: [form.fields[0], form.fields[0]] } });
    expect(twice).toMatchObject({ status: 400, body: { error: { details: [{ path: 'settings.preChatForm.fields' }] } } });
    expect(await api.db.channel.findUniqueOrThrow({ where: { id: webChat.id } })).toEqual(before);
  });
});
