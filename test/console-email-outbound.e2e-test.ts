// "New email" in the console, in Chromium on the real stack (issue 17): an admin gives the email
// channel a signature on the Channels page (its other settings kept); then "New email" — the
// dialog shows the server's problem at its field, then sends — opens the new conversation as the
// writer's, and the mail arrives at a real SMTP server started here (smtp-server) from the
// channel's address, with the subject as written and the signature; its delivery shows as sent.
// A colleague the customer copied answers in the thread and is shown as its author, with "CC".
// And the whole way round: a customer's mail comes in, an agent answers it in the console with a
// file, and the answer — with the file — reaches the customer's mailbox in the same thread.
// Screenshots go to test-artifacts/screenshots/.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../infra/email/mailer.js';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';
import { channelAddress, mailFrom, quickRetry } from './support/email-system.js';
import { freePort } from './support/free-port.js';
import { startSmtpInbox, type SmtpInbox } from './support/smtp-inbox.js';
import { waitUntil } from './support/wait-until.js';

// The mailer is built with the system, before the SMTP server starts: its port is chosen first.
const smtpPort = await freePort();
const ui = consoleInBrowser(
  { viewport: { width: 1440, height: 900 } },
  { mailer: createMailer({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: mailFrom }), outboundEmail: { mailFrom, retry: quickRetry } },
);

let inbox: SmtpInbox;
let channelId: string;

beforeAll(async () => {
  inbox = await startSmtpInbox({ port: smtpPort });
  const { system } = ui;
  channelId = (await system.db.channel.findFirstOrThrow({ where: { kind: 'email' } })).id;
  await system.db.channel.update({
    where: { id: channelId },
    data: { enabled: true, name: 'Shop support', settings: { address: channelAddress, fromName: 'Shop Support' } },
  });
});
afterAll(async () => {
  await inbox?.close();
});

describe('New email in the console (Chromium)', () => {
  it('starts an email conversation: a bad address is shown at its field, then the mail reaches the SMTP server and the conversation opens', async () => {
    const { system } = ui;
    const page = await ui.newPage();
    await ui.signIn(page, 'admin@seamless.local', 'Ada Admin');

    // The admin gives the channel a signature on the Channels page: the other settings are kept.
    await page.goto(`${system.url}/#/admin/channels`);
    const row = page.locator(`[data-testid="channel-row"][data-channel-id="${channelId}"]`);
    await row.getByTestId('channel-edit').click();
    expect(await row.getByTestId('channel-input-fromName').inputValue()).toBe('Shop Support');
    await row.getByTestId('channel-input-signature').fill('The Shop team');
    await row.getByTestId('channel-save').click();
    await row.getByTestId('channel-saved').waitFor(live);
    expect((await system.db.channel.findUniqueOrThrow({ where: { id: channelId } })).settings).toEqual({
      address: channelAddress,
      fromName: 'Shop Support',
      signature: 'The Shop team',
      replyAll: true,
      createTickets: false,
    });
    await page.getByTestId('nav-inbox').click();

    await page.getByTestId('new-email-button').click();
    const dialog = page.getByTestId('new-email-dialog');
    await dialog.waitFor(live);
    const channel = dialog.getByTestId('new-email-channel');
    await expect.poll(() => channel.inputValue(), live).toBe(channelId);
    expect(await channel.locator('option').allTextContents()).toEqual([`Shop support (${channelAddress})`]);

    // The server's 400 at the address; nothing sent.
    await dialog.getByTestId('new-email-customer-email').fill('not-an-address');
    await dialog.getByTestId('new-email-subject').fill('Your order #1042 has shipped');
    await dialog.getByTestId('new-email-body').fill('Hello Wei,\n\nyour order left our warehouse today. 谢谢！');
    await dialog.getByTestId('new-email-save').click();
    await dialog.getByTestId('new-email-error-customerEmail').waitFor(live);
    expect(await dialog.getByTestId('new-email-customer-email').getAttribute('aria-invalid')).toBe('true');
    expect(inbox.received).toHaveLength(0);

    await dialog.getByTestId('new-email-customer-email').fill('wei.zhang@example.com');
    await dialog.getByTestId('new-email-customer-name').fill('Wei Zhang');
    await page.screenshot({ path: path.join(screenshots, 'console-new-email.png') });
    const [created] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/conversations', live),
      dialog.getByTestId('new-email-save').click(),
    ]);
    // The server's answer is named if it is not the 201 (a failure here is the API's, not the dialog's).
    expect(created.status(), await created.text()).toBe(201);
    expect(created.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);

    // The new conversation opens in Mine, as the agent's, with its subject and the message.
    const pane = page.getByTestId('conversation-pane');
    await pane.waitFor(live);
    await expect.poll(() => dialog.count(), live).toBe(0);
    const conversationId = await pane.getAttribute('data-conversation-id');
    expect(page.url()).toContain(`/inbox/mine/${conversationId}`);
    await expect.poll(() => page.getByTestId('conversation-subject').textContent(), live).toContain('Your order #1042 has shipped');
    expect(await page.getByTestId('message-body').first().textContent()).toContain('your order left our warehouse today');
    await expect.poll(() => page.getByTestId('delivery-status').first().getAttribute('data-status'), live).toBe('sent');

    const [mail] = await inbox.waitForCount(1);
    expect(mail!.to).toMatchObject({ value: [{ address: 'wei.zhang@example.com' }] });
    expect(mail!.from?.value[0]).toMatchObject({ address: channelAddress, name: 'Shop Support' });
    expect(mail!.subject).toBe('Your order #1042 has shipped');
    expect(mail!.text).toContain('your order left our warehouse today. 谢谢！');
    expect(mail!.text).toContain('The Shop team');
    const stored = await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId! }, include: { customer: true } });
    expect(stored.customer.email).toBe('wei.zhang@example.com');
    expect(stored.customer.name).toBe('Wei Zhang');
    expect(stored.assigneeId).toBe((await system.db.user.findUniqueOrThrow({ where: { email: 'admin@seamless.local' } })).id);
    await page.screenshot({ path: path.join(screenshots, 'console-new-email-sent.png') });

    // A colleague the customer copied answers in the thread: shown as theirs, with a "CC" hint.
    const admin = await system.login('admin@seamless.local');
    const rotated = await system.request('POST', `/api/channels/${channelId}/inbound-email-secret`, { token: admin });
    expect(rotated.status).toBe(200);
    const reply = [
      'From: Bob Stone <bob.stone@example.com>',
      `To: ${mail!.replyTo?.value[0]?.address ?? channelAddress}`,
      'Cc: Wei Zhang <wei.zhang@example.com>',
      'Subject: Re: Your order #1042 has shipped',
      `Message-ID: <bob-${conversationId}@example.com>`,
      `In-Reply-To: ${mail!.messageId}`,
      'Date: Mon, 7 Dec 2026 09:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'I ordered it for Wei: please send the tracking number to me too.',
      '',
    ].join('\r\n');
    const posted = await fetch(`${system.url}/api/inbound/email/${channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': rotated.body.secret as string },
      body: reply,
    });
    expect(posted.status).toBe(202);
    expect(((await posted.json()) as { conversationId: string }).conversationId).toBe(conversationId);
    const bobs = page.getByTestId('message-item').filter({ hasText: 'please send the tracking number to me too' });
    await bobs.waitFor(live);
    expect(await bobs.getByTestId('message-author').textContent()).toBe('Bob Stone');
    expect(await bobs.getByTestId('message-author').getAttribute('data-sender')).toBe('bob.stone@example.com');
    expect(await bobs.getByTestId('message-sender-address').textContent()).toBe('bob.stone@example.com');
    expect(await bobs.getByTestId('message-cc-hint').textContent()).toBe('CC');
    // The customer's journey names Bob too, not the customer.
    await page.getByTestId('journey-item').filter({ hasText: 'Bob Stone wrote' }).waitFor(live);
    expect(await page.getByTestId('journey-item').filter({ hasText: 'Wei Zhang wrote' }).count()).toBe(0);
    await page.screenshot({ path: path.join(screenshots, 'console-email-cc-colleague.png') });
  });

  it("answers a customer's mail with a file: the reply and the file reach the customer's mailbox, in the thread", async () => {
    const { system } = ui;
    const admin = await system.login('admin@seamless.local');
    const rotated = await system.request('POST', `/api/channels/${channelId}/inbound-email-secret`, { token: admin });
    expect(rotated.status).toBe(200);
    const customerMessageId = '<li-order-2201@example.net>';
    const customerMail = [
      'From: Li Na <li.na@example.net>',
      `To: ${channelAddress}`,
      'Subject: Invoice for order 2201',
      `Message-ID: ${customerMessageId}`,
      'Date: Mon, 7 Dec 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Could you send me the invoice for order 2201? 谢谢',
      '',
    ].join('\r\n');
    const posted = await fetch(`${system.url}/api/inbound/email/${channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': rotated.body.secret as string },
      body: customerMail,
    });
    expect(posted.status).toBe(202);
    const { conversationId } = (await posted.json()) as { conversationId: string };

    // The agent opens it from the inbox and answers with a PDF.
    const page = await ui.newPage();
    await ui.signIn(page, 'admin@seamless.local', 'Ada Admin');
    await page.goto(`${system.url}/#/inbox/all/${conversationId}`);
    await page.getByTestId('message-item').filter({ hasText: 'Could you send me the invoice for order 2201?' }).waitFor(live);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    await page.getByTestId('attach-input').setInputFiles({ name: 'invoice-2201.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.locator('[data-testid="attachment-draft"][data-status="ready"]').waitFor(live);
    await page.getByTestId('reply-box').fill('Here is the invoice for order 2201.');
    await page.getByTestId('send-button').click();
    const answer = page.getByTestId('message-item').filter({ hasText: 'Here is the invoice for order 2201.' });
    await answer.getByTestId('attachment-download').waitFor(live);
    await expect.poll(() => answer.getByTestId('delivery-status').getAttribute('data-status'), live).toBe('sent');

    // In the customer's mailbox: the answer, threaded to her mail, with the file as it was sent.
    const mail = await waitUntil(async () => inbox.received.find((received) => received.text?.includes('Here is the invoice for order 2201.')) ?? null, 20_000);
    expect(mail.to).toMatchObject({ value: [{ address: 'li.na@example.net' }] });
    expect(mail.subject).toBe('Re: Invoice for order 2201');
    expect(mail.inReplyTo).toBe(customerMessageId);
    expect(mail.references).toContain(customerMessageId);
    expect(mail.attachments.map((file) => ({ name: file.filename, type: file.contentType, bytes: file.content.toString('base64') }))).toEqual([
      { name: 'invoice-2201.pdf', type: 'application/pdf', bytes: pdf.toString('base64') },
    ]);
    await page.screenshot({ path: path.join(screenshots, 'console-email-reply-with-file.png') });
  });
});
