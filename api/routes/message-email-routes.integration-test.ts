// GET /api/conversations/:id/messages/:messageId/email in-process (test/support/in-process-api.ts):
// mail posted to the inbound webhook is read back as its sanitised original, quoted history
// identified, and only by whoever may read the conversation's messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailOriginalView } from '../../contract/views.js';
import { createApiKey, signIn, startCustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';
import { gbkMail, gbkMailText, gmailReply, maliciousHtmlMail } from '../../test/support/mail-samples.js';

let api: InProcessApi;
let tokens: { admin: string; agent: string; expert: string };
let channelId: string;
let secret: string;

beforeAll(async () => {
  api = await startInProcessApi({ inboundEmail: { replyDomain: 'support.example.com' } });
  tokens = await signIn(api, 'admin', 'agent', 'expert');
  channelId = (await api.db.channel.findFirstOrThrow({ where: { kind: 'email' } })).id;
  await api.db.channel.update({ where: { id: channelId }, data: { enabled: true } });
  const rotated = await api.request('POST', `/api/channels/${channelId}/inbound-email-secret`, { token: tokens.admin });
  secret = rotated.body.secret as string;
});
afterAll(() => api?.stop());

/** Posts raw MIME to the webhook; the conversation and the message it became. */
async function mailIn(raw: Buffer): Promise<{ conversationId: string; messageId: string }> {
  const response = await fetch(`${api.url}/api/inbound/email/${channelId}`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': secret },
    body: new Uint8Array(raw),
  });
  expect(response.status).toBe(202);
  const { inboundEmailId } = (await response.json()) as { inboundEmailId: string };
  const row = await api.db.inboundEmail.findUniqueOrThrow({ where: { id: inboundEmailId } });
  return { conversationId: row.conversationId!, messageId: row.messageId! };
}

const originalOf = (conversationId: string, messageId: string, token: string) =>
  api.request('GET', `/api/conversations/${conversationId}/messages/${messageId}/email`, { token });

describe('GET /api/conversations/:id/messages/:messageId/email', () => {
  it("answers the mail's headers, the sanitised HTML with and without its quoted history, and the text", async () => {
    const { conversationId, messageId } = await mailIn(gmailReply);
    const response = await originalOf(conversationId, messageId, tokens.agent);
    expect(response.status).toBe(200);
    const raw = await fetch(`${api.url}/api/conversations/${conversationId}/messages/${messageId}/email`, {
      headers: { authorization: `Bearer ${tokens.agent}` },
    });
    expect(raw.headers.get('cache-control')).toBe('private, no-store');
    const email = response.body.email as EmailOriginalView;
    expect(email).toMatchObject({
      messageId,
      conversationId,
      subject: 'Re: Your refund [#42]',
      from: { name: 'Ann Customer', address: 'ann.customer@gmail.com' },
      to: [{ name: 'Example Support', address: 'reply+token@support.example.com' }],
      cc: [],
      date: '2026-12-01T02:15:02.000Z',
      remoteImages: 0,
      htmlTruncated: false,
      automated: false,
    });
    expect(email.html).toContain('Thanks, that worked!');
    expect(email.html).toContain('your refund was sent');
    expect(email.htmlWithoutQuote).toContain('Thanks, that worked!');
    expect(email.htmlWithoutQuote).not.toContain('your refund was sent');
    expect(email.text).toContain('> your refund was sent.');
    expect(email.textWithoutQuote).toContain('Thanks, that worked!');
    expect(email.textWithoutQuote).not.toContain('your refund was sent');
    // The conversation names its channel.
    const conversation = await api.request('GET', `/api/conversations/${conversationId}`, { token: tokens.agent });
    expect(conversation.body.conversation).toMatchObject({ channelKind: 'email', subject: 'Re: Your refund [#42]' });
  });

  it('sanitises hostile HTML on the server: no script, handler or javascript: link; remote images withheld', async () => {
    const { conversationId, messageId } = await mailIn(maliciousHtmlMail);
    const response = await originalOf(conversationId, messageId, tokens.admin);
    expect(response.status).toBe(200);
    const email = response.body.email as EmailOriginalView;
    expect(email.html).toContain('Hello');
    expect(email.html).not.toMatch(/<script|onerror|onload|onclick|javascript:|<iframe|<form|<object|<embed|<svg|expression\(/i);
    expect(email.html).toContain('data-remote-src="https://evil.example/pixel.gif?u=victim"');
    expect(email.html).not.toMatch(/\ssrc="https:\/\/evil/);
    expect(email.remoteImages).toBe(1);
    expect(email.htmlWithoutQuote).toBeNull(); // nothing quoted: show the whole body
  });

  it('decodes a GBK mail that has no HTML part', async () => {
    const { conversationId, messageId } = await mailIn(gbkMail);
    const email = (await originalOf(conversationId, messageId, tokens.agent)).body.email as EmailOriginalView;
    expect(email).toMatchObject({ subject: '订单未发货', from: { name: '张三', address: 'zhangsan@example.cn' }, html: null, htmlWithoutQuote: null });
    expect(email.text.trim()).toBe(gbkMailText);
  });

  it('is authorised like the message: hidden from agents who may not see the conversation, refused to visitors, 404 for what is not an email', async () => {
    const { conversationId, messageId } = await mailIn(
      Buffer.from(gmailReply.toString('utf8').replace('<CAFx8Jk2mQ=abc123@mail.gmail.com>', '<permission-probe@mail.gmail.com>')),
    );
    const specialists = await api.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
    await api.db.conversation.update({ where: { id: conversationId }, data: { teamId: specialists.id, assigneeId: null } });
    // Alex (Frontline) may not see a Specialists conversation: 404, as for an unknown one.
    expect(await originalOf(conversationId, messageId, tokens.agent)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await originalOf(conversationId, messageId, tokens.expert)).status).toBe(200);
    expect((await originalOf(conversationId, messageId, tokens.admin)).status).toBe(200);
    // A visitor never, not even the one who owns a conversation.
    const chat = await startCustomerConversation(api, { name: 'Email stranger' });
    expect((await originalOf(conversationId, messageId, chat.visitor.token)).status).toBe(403);
    expect((await originalOf(chat.conversationId, chat.messageId, chat.visitor.token)).status).toBe(403);
    // A chat message has no email; the email's id under another conversation is not found there.
    expect(await originalOf(chat.conversationId, chat.messageId, tokens.admin)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await originalOf(chat.conversationId, messageId, tokens.admin)).status).toBe(404);
    expect((await originalOf(conversationId, crypto.randomUUID(), tokens.admin)).status).toBe(404);
    expect(await originalOf(conversationId, 'not-a-uuid', tokens.admin)).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    // An integration reads it with conversations:read, not without.
    const reader = await createApiKey(api, tokens.admin, ['conversations:read']);
    const writer = await createApiKey(api, tokens.admin, ['conversations:write'], 'Writer');
    expect((await originalOf(conversationId, messageId, reader)).status).toBe(200);
    expect(await originalOf(conversationId, messageId, writer)).toMatchObject({ status: 403, body: { error: { code: 'missing_scope' } } });
  });
});
