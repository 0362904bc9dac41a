// Attachments in-process (test/support/in-process-api.ts, a disk store in a temporary folder):
// upload, bind with a message, download — and who may do each; sniffing and size refusals store
// nothing; an email's files and inline image arrive bound to its message, byte for byte.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailOriginalView, MessageView } from '../../contract/views.js';
import { createLocalDiskStore } from '../../infra/attachments/local-disk-store.js';
import { createApiKey, signIn, startCustomerConversation, type CustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';
import { exeBytes, pngBytes } from '../../test/support/mail-samples.js';

const maxUploadBytes = 64 * 1024;
let root: string;
let api: InProcessApi;
let tokens: { admin: string; agent: string; expert: string };
let chat: CustomerConversation;
let stranger: CustomerConversation;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'attachment-routes-'));
  api = await startInProcessApi({
    attachments: { store: createLocalDiskStore({ root }), maxUploadBytes },
    inboundEmail: { replyDomain: 'support.example.com' },
  });
  tokens = await signIn(api, 'admin', 'agent', 'expert');
  chat = await startCustomerConversation(api, { name: 'Vera Visitor', body: 'My card was charged twice' });
  stranger = await startCustomerConversation(api, { name: 'Otto Other', body: 'Something else' });
});
afterAll(async () => {
  await api?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Files in the store (not its temporary folder). */
async function storedFiles(): Promise<number> {
  const entries = await readdir(path.join(root, 'objects'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).length;
}

const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

async function upload(route: string, token: string, bytes: Buffer, fileName: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${api.url}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(fileName), ...headers },
    body: new Uint8Array(bytes),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
const widgetUpload = (conversation: CustomerConversation, bytes: Buffer, fileName: string) =>
  upload(`/api/widget/conversations/${conversation.conversationId}/attachments`, conversation.visitor.token, bytes, fileName);
const agentUpload = (conversationId: string, token: string, bytes: Buffer, fileName: string) =>
  upload(`/api/conversations/${conversationId}/attachments`, token, bytes, fileName);

async function download(route: string, token: string) {
  const response = await fetch(`${api.url}${route}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('a visitor’s file', () => {
  it('is uploaded, sent with a message, listed on it and downloaded by the agent as it was', async () => {
    const uploaded = await widgetUpload(chat, pngBytes, '截图 (1).png');
    expect(uploaded).toMatchObject({
      status: 201,
      body: { attachment: { fileName: '截图 (1).png', contentType: 'image/png', size: pngBytes.length, inline: false } },
    });
    const file = uploaded.body.attachment as { id: string };
    // Unbound until sent: the row waits without a message.
    expect((await api.db.attachment.findUniqueOrThrow({ where: { id: file.id } })).messageId).toBeNull();

    const sent = await api.request('POST', `/api/widget/conversations/${chat.conversationId}/messages`, {
      token: chat.visitor.token,
      body: { body: 'Here is the statement', attachmentIds: [file.id] },
    });
    expect(sent.status).toBe(201);
    const expected = [{ id: file.id, fileName: '截图 (1).png', contentType: 'image/png', size: pngBytes.length, inline: false }];
    expect(sent.body.message.attachments).toEqual(expected);

    const thread = await api.request('GET', `/api/conversations/${chat.conversationId}/messages`, { token: tokens.agent });
    const message = (thread.body.messages as MessageView[]).find((entry) => entry.id === sent.body.message.id);
    expect(message?.attachments).toEqual(expected);
    const own = await api.request('GET', `/api/widget/conversations/${chat.conversationId}/messages`, { token: chat.visitor.token });
    expect((own.body.messages as MessageView[]).find((entry) => entry.id === sent.body.message.id)?.attachments).toEqual(expected);

    const fetched = await download(`/api/attachments/${file.id}`, tokens.agent);
    expect(fetched.status).toBe(200);
    expect(fetched.bytes.equals(pngBytes)).toBe(true);
    expect(fetched.headers.get('content-type')).toBe('image/png');
    expect(fetched.headers.get('x-content-type-options')).toBe('nosniff');
    expect(fetched.headers.get('cache-control')).toMatch(/^private/);
    // A raster image may show inline; the UTF-8 name travels as filename*.
    expect(fetched.headers.get('content-disposition')).toBe(`inline; filename="__ (1).png"; filename*=UTF-8''${encodeURIComponent('截图')}%20%281%29.png`);
    const mine = await download(`/api/widget/attachments/${file.id}`, chat.visitor.token);
    expect(mine.status).toBe(200);
    expect(mine.bytes.equals(pngBytes)).toBe(true);
  });

  it('is 404 to another visitor, to an agent who may not see the conversation, and on the wrong route', async () => {
    const file = (await widgetUpload(chat, pdfBytes, 'statement.pdf')).body.attachment as { id: string; contentType: string };
    expect(file.contentType).toBe('application/pdf');
    expect(await download(`/api/widget/attachments/${file.id}`, stranger.visitor.token)).toMatchObject({ status: 404 });
    expect((await download(`/api/widget/attachments/${file.id}`, chat.visitor.token)).headers.get('content-disposition')).toMatch(/^attachment; /);
    // A visitor on the agents' route, an agent on the widget's: refused by role.
    expect((await download(`/api/attachments/${file.id}`, chat.visitor.token)).status).toBe(403);
    expect((await download(`/api/widget/attachments/${file.id}`, tokens.agent)).status).toBe(403);

    const hidden = await startCustomerConversation(api, { name: 'Specialist case' });
    const hiddenFile = (await widgetUpload(hidden, pngBytes, 'x.png')).body.attachment as { id: string };
    const specialists = await api.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
    await api.db.conversation.update({ where: { id: hidden.conversationId }, data: { teamId: specialists.id, assigneeId: null } });
    // Alex (Frontline) may not see a Specialists conversation: 404 for its files, uploading too.
    expect((await download(`/api/attachments/${hiddenFile.id}`, tokens.agent)).status).toBe(404);
    expect((await agentUpload(hidden.conversationId, tokens.agent, pngBytes, 'y.png')).status).toBe(404);
    expect((await download(`/api/attachments/${hiddenFile.id}`, tokens.expert)).status).toBe(200);
    expect((await download(`/api/attachments/00000000-0000-4000-8000-000000000000`, tokens.admin)).status).toBe(404);
  });

  it('may not be another visitor’s upload into this conversation (404, nothing stored)', async () => {
    const files = await storedFiles();
    const rows = await api.db.attachment.count();
    expect((await widgetUpload({ ...chat, visitor: stranger.visitor }, pngBytes, 'x.png')).status).toBe(404);
    expect(await storedFiles()).toBe(files);
    expect(await api.db.attachment.count()).toBe(rows);
  });

  it('is refused by what its bytes are: an .exe named .png is 415, nothing stored', async () => {
    const files = await storedFiles();
    const rows = await api.db.attachment.count();
    const refused = await widgetUpload(chat, exeBytes, 'photo.png');
    expect(refused).toMatchObject({ status: 415, body: { error: { code: 'attachment_type_not_allowed' } } });
    expect(refused.body.error.message).toContain('application/x-msdownload');
    // Agents may send anything but programs.
    expect((await agentUpload(chat.conversationId, tokens.agent, exeBytes, 'tool.png')).status).toBe(415);
    expect(await storedFiles()).toBe(files);
    expect(await api.db.attachment.count()).toBe(rows);
  });

  it('is refused over the size limit with 413, nothing stored', async () => {
    const files = await storedFiles();
    const rows = await api.db.attachment.count();
    const big = Buffer.alloc(maxUploadBytes + 1, 0x61);
    expect(await widgetUpload(chat, big, 'big.txt')).toMatchObject({ status: 413, body: { error: { code: 'attachment_too_large' } } });
    expect(await agentUpload(chat.conversationId, tokens.agent, big, 'big.txt')).toMatchObject({ status: 413 });
    // Streamed without a length: refused once the limit is passed, mid-body.
    const chunks = Array.from({ length: 8 }, () => new Uint8Array(maxUploadBytes / 4).fill(0x62));
    const streamed = await fetch(`${api.url}/api/widget/conversations/${chat.conversationId}/attachments?name=stream.txt`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chat.visitor.token}`, 'content-type': 'application/octet-stream' },
      body: new ReadableStream({
        pull(controller) {
          const chunk = chunks.shift();
          if (chunk) controller.enqueue(chunk);
          else controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe('attachment_too_large');
    // No temporary file left behind either.
    expect((await readdir(path.join(root, 'tmp')).catch(() => [])).filter((name) => name.endsWith('.part'))).toEqual([]);
    // Exactly the limit is fine.
    expect((await widgetUpload(chat, Buffer.alloc(maxUploadBytes, 0x61), 'limit.txt')).status).toBe(201);
    expect(await storedFiles()).toBe(files + 1);
    expect(await api.db.attachment.count()).toBe(rows + 1);
  });

  it('is refused as a multipart form, as JSON, empty, and from an integration (nothing stored)', async () => {
    const files = await storedFiles();
    const route = `/api/widget/conversations/${chat.conversationId}/attachments`;
    expect(await upload(route, chat.visitor.token, pdfBytes, 'a.pdf', { 'content-type': 'multipart/form-data; boundary=x' })).toMatchObject({
      status: 415,
      body: { error: { code: 'unsupported_media_type' } },
    });
    expect((await upload(route, chat.visitor.token, Buffer.from('{"a":1}'), 'a.json', { 'content-type': 'application/json' })).status).toBe(415);
    expect(await upload(route, chat.visitor.token, Buffer.alloc(0), 'empty.txt')).toMatchObject({ status: 400, body: { error: { code: 'attachment_empty' } } });
    const key = await createApiKey(api, tokens.admin, ['conversations:read', 'conversations:write']);
    expect((await agentUpload(chat.conversationId, key, pdfBytes, 'a.pdf')).status).toBe(403);
    expect(await storedFiles()).toBe(files);
  });
});

describe('binding files to a message', () => {
  it('takes only unbound uploads of the same conversation by the same author; else 400 and nothing changes', async () => {
    const agentsFile = (await agentUpload(chat.conversationId, tokens.agent, pdfBytes, 'form.pdf')).body.attachment as { id: string };
    const strangersFile = (await widgetUpload(stranger, pngBytes, 'other.png')).body.attachment as { id: string };
    const ownFile = (await widgetUpload(chat, pngBytes, 'mine.png')).body.attachment as { id: string };
    const messages = await api.db.message.count({ where: { conversationId: chat.conversationId } });
    const route = `/api/widget/conversations/${chat.conversationId}/messages`;
    for (const ids of [[agentsFile.id], [strangersFile.id], [ownFile.id, '00000000-0000-4000-8000-000000000000'], [ownFile.id, agentsFile.id]]) {
      const refused = await api.request('POST', route, { token: chat.visitor.token, body: { body: 'with files', attachmentIds: ids } });
      expect(refused).toMatchObject({ status: 400, body: { error: { code: 'invalid_attachments' } } });
    }
    expect(await api.db.message.count({ where: { conversationId: chat.conversationId } })).toBe(messages);
    expect(await api.db.attachment.count({ where: { id: { in: [agentsFile.id, strangersFile.id, ownFile.id] }, messageId: { not: null } } })).toBe(0);

    // Sent once (a retry with the same key answers the same message), then never again.
    const first = await api.request('POST', route, {
      token: chat.visitor.token,
      headers: { 'idempotency-key': 'with-file-1' },
      body: { body: 'with my file', attachmentIds: [ownFile.id] },
    });
    expect(first.status).toBe(201);
    const replay = await api.request('POST', route, {
      token: chat.visitor.token,
      headers: { 'idempotency-key': 'with-file-1' },
      body: { body: 'with my file', attachmentIds: [ownFile.id] },
    });
    expect(replay).toMatchObject({ status: 200, body: { message: { id: first.body.message.id, attachments: [{ id: ownFile.id }] } } });
    expect(await api.request('POST', route, { token: chat.visitor.token, body: { body: 'again', attachmentIds: [ownFile.id] } })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_attachments' } },
    });

    // The agent sends theirs with a reply.
    const reply = await api.request('POST', `/api/conversations/${chat.conversationId}/messages`, {
      token: tokens.agent,
      body: { body: 'Please fill this in', attachmentIds: [agentsFile.id] },
    });
    expect(reply).toMatchObject({
      status: 201,
      body: { message: { attachments: [{ id: agentsFile.id, fileName: 'form.pdf', contentType: 'application/pdf' }] } },
    });
    expect((await download(`/api/widget/attachments/${agentsFile.id}`, chat.visitor.token)).status).toBe(200);
  });

  it('keeps a private note’s files from the visitor, and an agent’s upload not sent yet', async () => {
    const noteFile = (await agentUpload(chat.conversationId, tokens.agent, pdfBytes, 'internal.pdf')).body.attachment as { id: string };
    const pending = (await agentUpload(chat.conversationId, tokens.agent, pdfBytes, 'draft.pdf')).body.attachment as { id: string };
    const note = await api.request('POST', `/api/conversations/${chat.conversationId}/messages`, {
      token: tokens.agent,
      body: { body: 'Fraud team report attached', private: true, attachmentIds: [noteFile.id] },
    });
    expect(note).toMatchObject({ status: 201, body: { message: { private: true, attachments: [{ id: noteFile.id }] } } });
    expect((await download(`/api/widget/attachments/${noteFile.id}`, chat.visitor.token)).status).toBe(404);
    expect((await download(`/api/widget/attachments/${pending.id}`, chat.visitor.token)).status).toBe(404);
    expect((await download(`/api/attachments/${noteFile.id}`, tokens.agent)).status).toBe(200);
  });
});

describe('an email’s files', () => {
  it('are stored bound to its message, inline image included, and download as the originals', async () => {
    const channelId = (await api.db.channel.findFirstOrThrow({ where: { kind: 'email' } })).id;
    await api.db.channel.update({ where: { id: channelId }, data: { enabled: true } });
    const secret = (await api.request('POST', `/api/channels/${channelId}/inbound-email-secret`, { token: tokens.admin })).body.secret as string;
    const csv = Buffer.from('order,amount\n1001,25.00\n1002,17.50\n');
    // Composed by nodemailer, as a mail client would send it (written to a buffer, not sent).
    const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const { message: raw } = (await composer.sendMail({
      from: '李雷 <lilei@example.cn>',
      to: 'support@support.example.com',
      subject: '发票和截图',
      messageId: '<files-and-inline@example.cn>',
      text: 'See the files.',
      html: '<p>See the screenshot: <img src="cid:shot@example.cn"></p>',
      attachments: [
        { filename: '发票.pdf', content: pdfBytes, contentType: 'application/pdf' },
        { filename: 'orders.csv', content: csv, contentType: 'text/csv' },
        { filename: 'shot.png', content: pngBytes, contentType: 'image/png', cid: 'shot@example.cn' },
      ],
    })) as { message: Buffer };
    const post = () =>
      fetch(`${api.url}/api/inbound/email/${channelId}`, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': secret },
        body: new Uint8Array(raw),
      });
    const response = await post();
    expect(response.status).toBe(202);
    const { inboundEmailId } = (await response.json()) as { inboundEmailId: string };
    const mail = await api.db.inboundEmail.findUniqueOrThrow({ where: { id: inboundEmailId } });

    const thread = await api.request('GET', `/api/conversations/${mail.conversationId}/messages`, { token: tokens.admin });
    const message = (thread.body.messages as MessageView[]).find((entry) => entry.id === mail.messageId)!;
    // In the mail's order (nodemailer puts the related image first); types as sniffed, not as declared.
    const listed = message.attachments ?? [];
    expect(listed.map(({ fileName, contentType, inline }) => ({ fileName, contentType, inline })).sort((a, b) => a.fileName.localeCompare(b.fileName))).toEqual(
      [
        { fileName: 'orders.csv', contentType: 'text/plain', inline: false },
        { fileName: 'shot.png', contentType: 'image/png', inline: true },
        { fileName: '发票.pdf', contentType: 'application/pdf', inline: false },
      ],
    );
    const originals = new Map([
      ['发票.pdf', pdfBytes],
      ['orders.csv', csv],
      ['shot.png', pngBytes],
    ]);
    for (const file of listed) {
      const fetched = await download(`/api/attachments/${file.id}`, tokens.admin);
      expect(fetched.bytes.equals(originals.get(file.fileName)!)).toBe(true);
    }

    // The original's HTML points its inline image at the stored file.
    const original = await api.request('GET', `/api/conversations/${mail.conversationId}/messages/${mail.messageId}/email`, { token: tokens.admin });
    const shot = listed.find((file) => file.inline)!;
    expect((original.body.email as EmailOriginalView).html).toContain(`data-attachment-id="${shot.id}"`);

    // A redelivery adds nothing; a retry of a mail left half-done stores only what is missing.
    const files = await storedFiles();
    expect((await post()).status).toBe(202);
    await api.db.attachment.delete({ where: { id: shot.id } });
    await api.db.inboundEmail.update({ where: { id: inboundEmailId }, data: { status: 'received' } });
    expect((await post()).status).toBe(202);
    const rows = await api.db.attachment.findMany({ where: { inboundEmailId }, orderBy: { position: 'asc' } });
    expect(rows.map((row) => row.position)).toEqual([0, 1, 2]);
    expect(rows.every((row) => row.messageId === mail.messageId)).toBe(true);
    expect(await storedFiles()).toBe(files + 1);
  });

  it('in a reply to a conversation are listed by the message.created event itself', async () => {
    const channelId = (await api.db.channel.findFirstOrThrow({ where: { kind: 'email' } })).id;
    const secret = (await api.request('POST', `/api/channels/${channelId}/inbound-email-secret`, { token: tokens.admin })).body.secret as string;
    const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const mailIn = async (mail: Record<string, unknown>) => {
      const { message: raw } = (await composer.sendMail({ from: 'han@example.cn', to: 'support@support.example.com', ...mail })) as { message: Buffer };
      const response = await fetch(`${api.url}/api/inbound/email/${channelId}`, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': secret },
        body: new Uint8Array(raw),
      });
      expect(response.status).toBe(202);
      return api.db.inboundEmail.findUniqueOrThrow({ where: { id: ((await response.json()) as { inboundEmailId: string }).inboundEmailId } });
    };
    const first = await mailIn({ subject: 'Refund', messageId: '<refund-1@example.cn>', text: 'Please refund.' });
    const second = await mailIn({
      subject: 'Re: Refund',
      messageId: '<refund-2@example.cn>',
      inReplyTo: '<refund-1@example.cn>',
      text: 'The receipt.',
      attachments: [{ filename: 'receipt.pdf', content: pdfBytes, contentType: 'application/pdf' }],
    });
    expect(second.conversationId).toBe(first.conversationId);
    const event = await api.db.event.findFirstOrThrow({
      where: { type: 'message.created', conversationId: second.conversationId, payload: { path: ['message', 'id'], equals: second.messageId! } },
    });
    const file = await api.db.attachment.findFirstOrThrow({ where: { inboundEmailId: second.id } });
    expect((event.payload as unknown as { message: MessageView }).message.attachments).toEqual([
      { id: file.id, fileName: 'receipt.pdf', contentType: 'application/pdf', size: pdfBytes.length, inline: false },
    ]);
    expect(file.messageId).toBe(second.messageId);
  });
});
