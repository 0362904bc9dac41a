// A ticket answered from the ticket (issue 21), in Chromium on the real stack: an agent raises a
// ticket from their own email conversation with "Assign to me" ticked (so it is theirs), then on
// the ticket writes a reply — stored as a public message promised to the requester by email (its
// OutboundEmail row) — and an internal note (private, no mail), both shown in the ticket's thread.
// Screenshot: ticket-reply.png.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser({ viewport: { width: 1440, height: 960 } });

describe('replying on a ticket (Chromium)', () => {
  it('creates a ticket assigned to me from an email conversation, and replies by email and notes from the ticket', async () => {
    const { system } = ui;
    const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'email' } });
    await system.db.channel.update({ where: { id: channel.id }, data: { enabled: true } });
    const admin = await system.login('admin@seamless.local');
    const started = await system.request('POST', '/api/conversations', {
      token: admin,
      body: {
        channelId: channel.id,
        customerEmail: 'refund.requester@example.com',
        subject: 'Refund for order 1042',
        body: 'We are looking into your refund.',
      },
    });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    const me = await system.db.user.findUniqueOrThrow({ where: { email: 'admin@seamless.local' } });
    await expect.poll(async () => (await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).assigneeId, live).toBe(me.id);

    const page = await ui.newPage();
    await ui.signIn(page, 'admin@seamless.local', 'Ada Admin');
    await page.goto(`${system.url}/#/inbox/mine/${conversationId}`);
    await page.getByTestId('create-ticket-button').click();
    const assignMe = page.getByTestId('create-ticket-assign-me');
    expect(await assignMe.isChecked()).toBe(true);
    await page.getByTestId('create-ticket-subject').fill('Refund for order 1042');
    await page.getByTestId('create-ticket-submit').click();
    await page.getByTestId('ticket-detail').waitFor(live);
    const ticket = await system.db.ticket.findFirstOrThrow({ where: { subject: 'Refund for order 1042' } });
    await expect.poll(async () => (await system.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).assigneeId, live).toBe(me.id);

    // The reply: by email to the requester.
    const box = page.getByTestId('ticket-reply');
    await box.getByTestId('ticket-thread-message').first().waitFor(live);
    expect(await box.getByTestId('ticket-reply-hint').innerText()).toContain('Sent by email to the requester');
    await box.getByTestId('ticket-reply-input').fill('Your refund was sent today: 3-5 working days.');
    await box.getByTestId('ticket-reply-input').press('Control+Enter');
    await box.getByTestId('ticket-thread-message').filter({ hasText: 'Your refund was sent today' }).waitFor(live);
    const reply = await system.db.message.findFirstOrThrow({
      where: { conversationId, body: { startsWith: 'Your refund was sent today' } },
      include: { outboundEmail: true },
    });
    expect([reply.private, reply.authorUserId, reply.outboundEmail === null]).toEqual([false, me.id, false]);

    // The note: private, no mail.
    await box.getByTestId('ticket-reply-mode-note').check();
    await box.getByTestId('ticket-reply-input').fill('Finance confirmed the transfer.');
    await box.getByTestId('ticket-reply-send').click();
    await box.locator('[data-testid="ticket-thread-message"][data-private="true"]').filter({ hasText: 'Finance confirmed' }).waitFor(live);
    const note = await system.db.message.findFirstOrThrow({
      where: { conversationId, body: 'Finance confirmed the transfer.' },
      include: { outboundEmail: true },
    });
    expect([note.private, note.outboundEmail]).toEqual([true, null]);
    await page.screenshot({ path: path.join(screenshots, 'ticket-reply.png'), fullPage: true });
  });
});
