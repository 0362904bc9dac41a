// A contact's data rights end to end (issue 18), on the real system (PostgreSQL, Temporal, worker):
// a contact with a unique name, email and message text writes by the widget and by email (with a
// file), gets answers (one by email, so a delivery workflow runs), a ticket and a rating. The export
// holds every part (the zip read with unzip, the file and the raw mail byte for byte). The erasure
// then leaves none of their strings in ANY text, varchar, array, json(b) or bytea column of ANY
// table (information_schema decides which), no file in the store, nothing the conversation
// search finds, no workflow history of theirs in Temporal, and an audit event without them.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestInboundEmail } from '../api/services/email/ingest-email.js';
import { channelAddress, emailSecret, replyDomain, startEmailSystem } from './support/email-system.js';
import { freePort } from './support/free-port.js';
import { startSmtpInbox, type SmtpInbox } from './support/smtp-inbox.js';
import type { TestSocket } from './support/socket-client.js';
import type { TestSystem } from './support/system.js';
import { waitUntil } from './support/wait-until.js';

const { secret } = emailSecret();
const unique = randomBytes(6).toString('hex');
const name = `Zephyrine Quillfeather ${unique}`;
const email = `zq.${unique}@example.org`;
const text = `Plumbago-${unique}: my parcel never arrived`;
const fileBytes = Buffer.from(`Receipt of ${name}\nOrder 77 — ${text}\n`, 'utf8');
const needles = [unique, name, email, text];

let system: TestSystem;
let admin: string;
let agent: string;
let socket: TestSocket;
let channelId: string;
let inbox: SmtpInbox;
const folder = mkdtempSync(path.join(os.tmpdir(), 'seamless-data-rights-'));

beforeAll(async () => {
  const smtpPort = await freePort();
  inbox = await startSmtpInbox({ port: smtpPort });
  ({ system, channelId } = await startEmailSystem({ secret, smtpUrl: `smtp://127.0.0.1:${smtpPort}` }));
  admin = await system.login('admin@seamless.local');
  agent = await system.login('agent@seamless.local');
  socket = await system.socket(admin);
});

afterAll(async () => {
  await system?.stop();
  await inbox?.close();
  rmSync(folder, { recursive: true, force: true });
});

const boundary = `b-${randomUUID()}`;
const rawMail = Buffer.from(
  [
    `From: ${name} <${email}>`,
    `To: ${channelAddress}`,
    `Subject: Parcel ${unique}`,
    `Message-ID: <${randomUUID()}@mail.example.net>`,
    'Date: Mon, 7 Dec 2026 02:00:00 +0000',
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `${text} (by mail)`,
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8; name="receipt.txt"',
    'Content-Disposition: attachment; filename="receipt.txt"',
    'Content-Transfer-Encoding: base64',
    '',
    fileBytes.toString('base64'),
    `--${boundary}--`,
    '',
  ].join('\r\n'),
);

const ids = {} as {
  customerId: string;
  chatId: string;
  phoneChatId: string;
  mailId: string;
  ticketId: string;
  replyMessageId: string;
  visitorToken: string;
  attachmentKeys: string[];
};

/** Every text-like column of every table of the schema: where a personal string could be. */
async function scanDatabase(needle: string): Promise<string[]> {
  const columns = await system.db.$queryRaw<{ table: string; column: string; type: string }[]>`
    SELECT table_name AS table, column_name AS column, data_type AS type FROM information_schema.columns
    WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'bytea', 'USER-DEFINED')`;
  expect(columns.length).toBeGreaterThan(50);
  const hits: string[] = [];
  for (const { table, column, type } of columns) {
    const where = type === 'bytea' ? `position(convert_to($1, 'UTF8') in "${column}") > 0` : `strpos(lower("${column}"::text), lower($1)) > 0`;
    const [row] = await system.db.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) AS count FROM "${table}" WHERE ${where}`, needle);
    if (Number(row?.count ?? 0) > 0) hits.push(`${table}.${column}`);
  }
  return hits;
}

const workflowIds = () => [
  `conversation-${ids.chatId}`,
  `conversation-${ids.phoneChatId}`,
  `conversation-${ids.mailId}`,
  `ticket-${ids.ticketId}`,
  `email-delivery-${ids.replyMessageId}`,
];

describe('a contact who wrote by chat and by email', () => {
  it('has conversations, a file, answers, a ticket and a rating', async () => {
    const visitor = await system.visitor(name);
    ids.visitorToken = visitor.token;
    ids.customerId = visitor.customerId;
    // As a verified identify would: the visitor is known by their address, so their mail joins them.
    await system.db.customer.update({ where: { id: visitor.customerId }, data: { email } });

    const chat = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: text } });
    expect(chat.status).toBe(201);
    ids.chatId = chat.body.conversation.id;
    await socket.waitForEvent((event) => event.type === 'conversation.classified' && event.conversationId === ids.chatId);
    const quoted = await system.request('POST', `/api/conversations/${ids.chatId}/messages`, {
      token: admin,
      body: { body: `Hello ${name}, you wrote “${text}” — we are on it.` },
    });
    expect(quoted.status).toBe(201);

    const ingested = await ingestInboundEmail(
      { db: system.db, temporal: system.temporal, taskQueue: system.taskQueue, secret, log: () => {}, attachments: { store: system.attachments } },
      rawMail,
      channelId,
      { replyDomain },
    );
    if (ingested.outcome !== 'processed') throw new Error(`mail not processed: ${JSON.stringify(ingested)}`);
    ids.mailId = ingested.conversationId;
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: ids.mailId } })).customerId).toBe(ids.customerId);
    const files = await system.db.attachment.findMany({ where: { conversationId: ids.mailId } });
    expect(files.map((file) => file.fileName)).toEqual(['receipt.txt']);
    ids.attachmentKeys = files.map((file) => file.storageKey);
    expect(await system.attachments.read(ids.attachmentKeys[0]!)).toEqual(fileBytes);

    const reply = await system.request('POST', `/api/conversations/${ids.mailId}/messages`, { token: admin, body: { body: `Dear ${name}, about ${text}` } });
    expect(reply.status).toBe(201);
    ids.replyMessageId = reply.body.message.id;

    const ticket = await system.request('POST', '/api/tickets', {
      token: admin,
      body: { subject: `Lost parcel of ${name}`, customerId: ids.customerId, conversationId: ids.chatId },
    });
    expect(ticket.status).toBe(201);
    ids.ticketId = ticket.body.ticket.id;

    expect((await system.request('POST', `/api/conversations/${ids.chatId}/resolve`, { token: admin, body: {} })).status).toBe(200);
    await socket.waitForEvent((event) => event.type === 'conversation.resolved' && event.conversationId === ids.chatId);
    const rated = await system.request('POST', `/api/widget/conversations/${ids.chatId}/csat`, {
      token: visitor.token,
      body: { score: 4, comment: `Thanks ${name} here, ${text}` },
    });
    expect(rated.status).toBe(201);

    // An agent fills in the profile, and the contact's chat from another device is merged in.
    const edited = await system.request('PATCH', `/api/customers/${ids.customerId}`, {
      token: admin,
      body: { company: `Quill ${unique} Ltd`, notes: `Called ${name} about ${text}`, tags: [`tag-${unique}`], phone: '+44 20 7946 0958' },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const phone = await system.visitor(`${name} (phone)`);
    const phoneChat = await system.request('POST', '/api/widget/conversations', { token: phone.token, body: { body: `${text}, from my phone` } });
    expect(phoneChat.status).toBe(201);
    ids.phoneChatId = phoneChat.body.conversation.id;
    await socket.waitForEvent((event) => event.type === 'conversation.classified' && event.conversationId === ids.phoneChatId);
    const merged = await system.request('POST', `/api/customers/${ids.customerId}/merge`, { token: admin, body: { otherId: phone.customerId } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);

    // The strings are really there before the erasure (so the scans below can fail), and every
    // workflow of theirs has a history to read.
    expect(await scanDatabase(unique)).toEqual(
      expect.arrayContaining([
        'Customer.name',
        'Customer.email',
        'Customer.notes',
        'Customer.company',
        'Customer.tags',
        'Message.body',
        'InboundEmail.raw',
        'Event.payload',
        'Ticket.subject',
      ]),
    );
    for (const workflowId of workflowIds()) {
      expect((await system.temporal.workflow.getHandle(workflowId).fetchHistory()).events?.length, workflowId).toBeGreaterThan(0);
    }
  });
});

describe('the export', () => {
  it('is for admins only', async () => {
    expect((await system.request('GET', `/api/customers/${ids.customerId}/export`, { token: agent })).status).toBe(403);
    expect((await system.request('GET', `/api/customers/${randomUUID()}/export`, { token: admin })).status).toBe(404);
    expect((await system.request('GET', `/api/customers/${ids.customerId}/export?format=csv`, { token: admin })).status).toBe(400);
  });

  it('is a zip with every part in the documented layout, files and mail byte for byte', async () => {
    const response = await fetch(`${system.url}/api/customers/${ids.customerId}/export`, { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toContain(`contact-${ids.customerId}.zip`);
    const zip = path.join(folder, 'export.zip');
    writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
    const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');
    const file = await system.db.attachment.findFirstOrThrow({ where: { conversationId: ids.mailId } });
    const mail = await system.db.inboundEmail.findFirstOrThrow({ where: { conversationId: ids.mailId } });
    expect(listing).toEqual(
      expect.arrayContaining([
        'README.txt',
        'profile.json',
        'conversations.json',
        'tickets.json',
        'events.json',
        'csat.json',
        'export.json',
        `attachments/${file.id}/receipt.txt`,
        `emails/${mail.id}.eml`,
      ]),
    );
    const part = (name: string) => execFileSync('unzip', ['-p', zip, name]);
    const json = (name: string) => JSON.parse(part(name).toString('utf8'));
    expect(part('README.txt').toString()).toContain('attachments/<id>/<name>');
    expect(json('profile.json')).toMatchObject({ id: ids.customerId, name, email });
    expect(json('profile.json')).not.toHaveProperty('visitorKey');
    const conversations = json('conversations.json') as { id: string; messages: { body: string; attachments: string[] }[] }[];
    expect(conversations.map((conversation) => conversation.id).sort()).toEqual([ids.chatId, ids.mailId, ids.phoneChatId].sort());
    const bodies = conversations.flatMap((conversation) => conversation.messages.map((message) => message.body));
    expect(bodies).toContain(text);
    expect(bodies).toContain(`${text} (by mail)`);
    expect(conversations.flatMap((conversation) => conversation.messages.flatMap((message) => message.attachments))).toEqual([
      `attachments/${file.id}/receipt.txt`,
    ]);
    expect(json('tickets.json')).toMatchObject([{ id: ids.ticketId, subject: `Lost parcel of ${name}`, conversationIds: [ids.chatId] }]);
    expect(json('csat.json')).toMatchObject([{ conversationId: ids.chatId, score: 4, comment: `Thanks ${name} here, ${text}` }]);
    const events = json('events.json') as { type: string }[];
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['conversation.created', 'message.created', 'ticket.created', 'csat.received']));
    expect(part(`attachments/${file.id}/receipt.txt`)).toEqual(fileBytes);
    expect(part(`emails/${mail.id}.eml`)).toEqual(rawMail);
    expect(json('export.json')).toMatchObject({ format: 'seamless-contact-export', version: 1, profile: { name } });
  });

  it('is also the JSON document alone, and each download is in the audit log by counts only', async () => {
    const response = await system.request('GET', `/api/customers/${ids.customerId}/export?format=json`, { token: admin });
    expect(response.status).toBe(200);
    expect(response.body.export).toMatchObject({
      profile: { email },
      attachments: [{ fileName: 'receipt.txt', path: expect.stringMatching(/^attachments\//) }],
    });
    const audit = await system.request('GET', '/api/audit-events?type=customer.exported', { token: admin });
    expect(audit.body.events).toHaveLength(2);
    expect(audit.body.events[0].payload).toMatchObject({
      customerId: ids.customerId,
      format: 'json',
      counts: { conversations: 3, tickets: 1, attachments: 1, emails: 1 },
    });
    for (const needle of needles) expect(JSON.stringify(audit.body.events)).not.toContain(needle);
  });
});

describe('the erasure', () => {
  it('is for admins only, and needs the name or ERASE typed: nothing is erased otherwise', async () => {
    const path = `/api/customers/${ids.customerId}/erase`;
    expect((await system.request('POST', path, { token: agent, body: { confirm: 'ERASE' } })).status).toBe(403);
    expect((await system.request('POST', path, { body: { confirm: 'ERASE' } })).status).toBe(401);
    const wrong = await system.request('POST', path, { token: admin, body: { confirm: 'Zephyrine' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('confirmation_mismatch');
    expect((await system.request('POST', path, { token: admin, body: {} })).status).toBe(400);
    expect((await system.request('POST', `/api/customers/${randomUUID()}/erase`, { token: admin, body: { confirm: 'ERASE' } })).status).toBe(404);
    expect((await system.db.customer.findUniqueOrThrow({ where: { id: ids.customerId } })).name).toBe(name);
  });

  it('erases with the name typed, and answers what it did', async () => {
    const erased = await system.request('POST', `/api/customers/${ids.customerId}/erase`, { token: admin, body: { confirm: ` ${name} ` } });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.erasure).toMatchObject({ customerId: ids.customerId, alreadyErased: false, filesNotDeleted: 0, workflowHistories: { failed: [] } });
    expect(erased.body.erasure.counts).toMatchObject({ conversations: 3, tickets: 1, attachments: 1, inboundEmails: 1, outboundEmails: 1 });
    expect(erased.body.erasure.workflowHistories.deleted).toBeGreaterThanOrEqual(5);
  });

  it('leaves none of their strings in any text, array, JSON or bytea column of any table', async () => {
    for (const needle of needles) expect(await scanDatabase(needle), needle).toEqual([]);
  });

  it('deletes their files from the store', async () => {
    for (const key of ids.attachmentKeys) expect(await system.attachments.read(key)).toBeNull();
  });

  it('leaves nothing the conversation search finds', async () => {
    for (const needle of [unique, name, email]) {
      const found = await system.request('GET', `/api/conversations?q=${encodeURIComponent(needle)}`, { token: admin });
      expect(found.status).toBe(200);
      expect(found.body.conversations).toEqual([]);
    }
  });

  it('deletes the workflow histories of their conversations, ticket and email delivery', async () => {
    // Deletion is asynchronous on the server: a running workflow goes at once, a closed one (the
    // email delivery here) when its deletion task runs — about half a minute on the dev server.
    await Promise.all(
      workflowIds().map(async (workflowId) => {
        const handle = system.temporal.workflow.getHandle(workflowId);
        await waitUntil(async () => {
          try {
            await handle.describe();
            return null;
          } catch (error) {
            if (error instanceof WorkflowNotFoundError) return true;
            throw error;
          }
        }, 120_000);
        await expect(handle.fetchHistory()).rejects.toThrow();
      }),
    );
  }, 150_000);

  it('is in the audit log — who and what by counts, without their strings', async () => {
    const audit = await system.request('GET', '/api/audit-events?type=customer.erased', { token: admin });
    expect(audit.body.events).toHaveLength(1);
    const adminId = (await system.db.user.findUniqueOrThrow({ where: { email: 'admin@seamless.local' } })).id;
    expect(audit.body.events[0]).toMatchObject({
      actorId: adminId,
      payload: { customerId: ids.customerId, alreadyErased: false, counts: { conversations: 3 } },
    });
    for (const needle of needles) expect(JSON.stringify(audit.body.events)).not.toContain(needle);
  });

  it('refuses anything new for them: their token, a message to their conversation, a new conversation', async () => {
    const late = await system.request('POST', `/api/widget/conversations/${ids.chatId}/messages`, { token: ids.visitorToken, body: { body: `${text} again` } });
    expect([401, 409]).toContain(late.status);
    const started = await system.request('POST', '/api/widget/conversations', { token: ids.visitorToken, body: { body: `${text} once more` } });
    expect([401, 410]).toContain(started.status);
    // Past the token check (an agent, an integration): the database itself refuses anything new for them.
    const ticket = await system.request('POST', '/api/tickets', { token: admin, body: { subject: 'After the erasure', customerId: ids.customerId } });
    expect(ticket.status).toBe(410);
    expect(ticket.body.error.code).toBe('customer_erased');
    expect(await system.db.message.count({ where: { body: { contains: unique } } })).toBe(0);
    expect(await system.db.ticket.count({ where: { customerId: ids.customerId } })).toBe(1);
    expect(await system.db.conversation.count({ where: { customerId: ids.customerId } })).toBe(3);
  });

  it('is safe to run again', async () => {
    const again = await system.request('POST', `/api/customers/${ids.customerId}/erase`, { token: admin, body: { confirm: 'erase' } });
    expect(again.status).toBe(200);
    expect(again.body.erasure).toMatchObject({ alreadyErased: true, workflowHistories: { deleted: 0, failed: [] } });
    for (const needle of needles) expect(await scanDatabase(needle), needle).toEqual([]);
  });
});

describe('an erasure while the contact is writing', () => {
  it('leaves every message either emptied or refused, none with their words', async () => {
    const marker = `Marigold-${randomBytes(6).toString('hex')}`;
    const visitor = await system.visitor(`Writer ${marker}`);
    const chat = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: `${marker} first` } });
    expect(chat.status).toBe(201);
    const conversationId: string = chat.body.conversation.id;
    await socket.waitForEvent((event) => event.type === 'conversation.classified' && event.conversationId === conversationId);

    const send = (n: number) =>
      system.request('POST', `/api/widget/conversations/${conversationId}/messages`, { token: visitor.token, body: { body: `${marker} line ${n}` } });
    const [erased, ...sent] = await Promise.all([
      system.request('POST', `/api/customers/${visitor.customerId}/erase`, { token: admin, body: { confirm: 'ERASE' } }),
      ...Array.from({ length: 12 }, (_, n) => send(n)),
    ]);
    expect(erased.status).toBe(200);
    // Each line was stored before the erasure locked the conversation (201, then emptied with the
    // rest) or came after it and was refused: the conversation closed (409) or the token gone (401).
    for (const response of sent) expect([201, 401, 409]).toContain(response.status);
    expect(await scanDatabase(marker)).toEqual([]);
    const late = await send(99);
    expect([401, 409]).toContain(late.status);
    expect(await scanDatabase(marker)).toEqual([]);
  });
});
