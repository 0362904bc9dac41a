// Working together in a real browser on the real stack. Typing indicators: the customer's
// typing (sent over the widget's WebSocket) shows in the agent's conversation view and goes away
// when they stop; the agent typing a reply reaches the customer's socket, a private note's typing
// does not. @mentions: an admin picks a colleague from the "@" list in a note, and the colleague's
// bell counts it live and leads to the conversation.
import type { Page } from 'playwright-core';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';
import type { Frame } from './support/socket-client.js';
import type { TestSystem } from './support/system.js';

const ui = consoleInBrowser({ viewport: { width: 1440, height: 900 } });
let system: TestSystem;
beforeAll(() => {
  system = ui.system;
});

async function signedIn(email: string, name: string): Promise<Page> {
  const page = await ui.newPage();
  await ui.signIn(page, email, name);
  return page;
}
const signedInAdmin = () => signedIn('admin@seamless.local', 'Ada Admin');

const typingFrom = (conversationId: string, from: 'agent' | 'customer', typing: boolean) => (frame: Frame) =>
  frame.type === 'typing' && frame.conversationId === conversationId && frame.from === from && frame.typing === typing;

describe('typing indicators in Chromium', () => {
  it('show the customer typing to the agent, and the agent typing a reply (not a note) to the customer', async () => {
    const visitor = await system.visitor('Tess Typer');
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Can I change my delivery address?' } });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;
    const customer = await system.socket(visitor.token);

    const page = await signedInAdmin();
    await page.goto(`${system.url}/#/inbox/all/${conversationId}`);
    await page.getByTestId('reply-box').waitFor(live);
    const indicator = page.getByTestId('typing-indicator');

    // The console's socket is live once the conversation shows: the customer types, then stops.
    await expect
      .poll(async () => {
        customer.send({ type: 'typing', conversationId, typing: true });
        return indicator.textContent();
      }, live)
      .toBe('The customer is typing…');
    customer.send({ type: 'typing', conversationId, typing: false });
    await expect.poll(() => indicator.textContent(), live).toBe('');

    // A private note: colleagues only. Then a reply: the customer is told.
    await page.getByTestId('private-toggle').click();
    await page.getByTestId('reply-box').pressSequentially('Checking the courier', { delay: 20 });
    await page.getByTestId('reply-box').fill('');
    await page.getByTestId('reply-mode').click();
    await page.getByTestId('reply-box').pressSequentially('Yes, of course', { delay: 20 });
    await customer.waitFor(typingFrom(conversationId, 'agent', true), live.timeout);
    const typingFrames = customer.frames.filter((frame) => frame.type === 'typing');
    // The note's "typing" went out first and never reached the customer.
    expect(typingFrames[0]).toMatchObject({ from: 'agent', name: 'Ada Admin', typing: true });
    expect(typingFrames.filter((frame) => frame.type === 'typing' && frame.typing)).toHaveLength(1);

    // Sending says "stopped".
    await page.getByTestId('reply-box').press('Enter');
    await customer.waitFor(typingFrom(conversationId, 'agent', false), live.timeout);
  });
});

describe('@mentions in Chromium', () => {
  it('an admin mentions a colleague in a note; their bell counts it live and opens the conversation', async () => {
    const visitor = await system.visitor('Max Mention');
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'I was charged twice for one order' } });
    const conversationId = started.body.conversation.id as string;
    // Frontline's: Alex may see it, so he may be mentioned.
    const frontline = await system.db.team.findUniqueOrThrow({ where: { name: 'Frontline' } });
    await system.db.conversation.update({ where: { id: conversationId }, data: { teamId: frontline.id } });

    const alex = await signedIn('agent@seamless.local', 'Alex Agent');
    await alex.getByTestId('mentions-button').waitFor(live);
    const admin = await signedInAdmin();
    await admin.goto(`${system.url}/#/inbox/all/${conversationId}`);
    const box = admin.getByTestId('reply-box');
    await box.waitFor(live);
    await admin.getByTestId('private-toggle').click();
    await box.pressSequentially('Please check this @al');
    await admin.getByTestId('mention-option').filter({ hasText: 'Alex Agent' }).waitFor(live);
    await box.press('Enter'); // chooses the highlighted colleague, does not send
    expect(await box.inputValue()).toBe('Please check this @Alex Agent ');
    await box.pressSequentially('thanks');
    await box.press('Enter');
    await admin.getByTestId('message-body').filter({ hasText: 'Please check this @Alex Agent thanks' }).waitFor(live);

    await expect.poll(() => alex.getByTestId('mentions-count').textContent(), live).toBe('1');
    await alex.getByTestId('mentions-button').click();
    await alex.getByTestId('mention-link').first().click();
    await alex.waitForURL(new RegExp(conversationId), live);
    await alex.getByTestId('message-body').filter({ hasText: 'Please check this @Alex Agent thanks' }).waitFor(live);
    expect(await alex.getByTestId('mentions-count').count()).toBe(0);
  });
});

describe('typing in the widget', () => {
  it("shows the agent's typing to the customer, and tells agents when the customer types", async () => {
    const adminToken = await system.login('admin@seamless.local');
    const admin = await system.socket(adminToken);
    const customer = await ui.newPage({ viewport: { width: 390, height: 800 } });
    await customer.goto(`${system.url}/widget.html`);
    await customer.getByTestId('widget-launcher').click();
    await customer.getByTestId('widget-input').fill('Is my order shipped?');
    await customer.getByTestId('widget-send').click();
    const created = await admin.waitForEvent(
      (event) => event.type === 'message.created' && (event.payload.message as { body: string }).body === 'Is my order shipped?',
      live.timeout,
    );
    const conversationId = created.conversationId!;

    await customer.getByTestId('widget-input').pressSequentially('And when', { delay: 20 });
    await admin.waitFor(typingFrom(conversationId, 'customer', true), live.timeout);

    await expect
      .poll(async () => {
        admin.send({ type: 'typing', conversationId, typing: true });
        return customer.getByTestId('widget-typing').textContent();
      }, live)
      .toBe('Ada Admin is typing…');
    admin.send({ type: 'typing', conversationId, typing: false });
    await expect.poll(() => customer.getByTestId('widget-typing').textContent(), live).toBe('');
  });
});

describe('AI draft in Chromium', () => {
  it('writes a reply into the composer for the agent to edit, not sending it', async () => {
    const visitor = await system.visitor('Dee Draft');
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'How do I reset my card PIN?' } });
    const conversationId = started.body.conversation.id as string;
    const page = await signedInAdmin();
    await page.goto(`${system.url}/#/inbox/all/${conversationId}`);
    const box = page.getByTestId('reply-box');
    await box.waitFor(live);
    await box.fill('Hello!');
    await page.getByTestId('draft-button').click();
    await expect.poll(() => box.inputValue(), live).toMatch(/^Hello!\n\n\S/);
    expect(await system.db.message.count({ where: { conversationId, authorKind: 'agent' } })).toBe(0);
    expect(await system.db.aiCall.count({ where: { conversationId, operation: 'draft' } })).toBe(1);
  });
});

describe('finding conversations in Chromium', () => {
  it('searches message text (Chinese too) and filters by priority within the view', async () => {
    const start = async (name: string, body: string) => {
      const visitor = await system.visitor(name);
      return (await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body } })).body.conversation.id as string;
    };
    const fraud = await start('Fay Fraud', '我的信用卡被盗刷了，请冻结');
    await start('Pat Postal', 'Please update my postal address');
    await system.db.conversation.update({ where: { id: fraud }, data: { priority: 'urgent' } });

    const page = await signedInAdmin();
    await page.goto(`${system.url}/#/inbox/all`);
    const names = () => page.getByTestId('conversation-customer').allTextContents();
    await expect.poll(names, live).toEqual(expect.arrayContaining(['Fay Fraud', 'Pat Postal']));

    await page.getByTestId('inbox-search').fill('盗刷');
    await expect.poll(names, live).toEqual(['Fay Fraud']);
    await page.getByTestId('inbox-search').fill('');
    await expect.poll(names, live).toEqual(expect.arrayContaining(['Fay Fraud', 'Pat Postal']));

    await page.getByTestId('inbox-priority-filter').selectOption('urgent');
    await expect.poll(async () => (await names()).includes('Pat Postal'), live).toBe(false);
    expect(await names()).toContain('Fay Fraud');
  });
});

describe('searching every status in Chromium', () => {
  it('finds a resolved conversation and a ticket typed in the other Chinese script, marks the match, and opens each', async () => {
    // Rows straight into the tables: the search reads rows, whatever made them.
    const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
    const customer = await system.db.customer.create({ data: { name: 'Rhea Resolved' } });
    const conversation = await system.db.conversation.create({
      data: { workflowId: `search-e2e-${customer.id}`, customerId: customer.id, channelId: channel.id, status: 'resolved' },
    });
    await system.db.message.create({ data: { conversationId: conversation.id, authorKind: 'customer', body: '上个月我的银行卡被盗用了，已经处理好' } });
    const ticket = await system.db.ticket.create({
      data: { workflowId: `search-e2e-ticket-${customer.id}`, customerId: customer.id, subject: '银行卡被盗用调查', status: 'pending' },
    });

    const page = await signedInAdmin();
    await page.goto(`${system.url}/#/inbox/mine`);
    await page.getByTestId('inbox-search').fill('被盜用');
    await page.getByTestId('search-status-filter').selectOption('any');
    const row = page.locator(`[data-testid="conversation-row"][data-conversation-id="${conversation.id}"]`);
    await expect.poll(() => row.getByTestId('search-mark').allTextContents(), live).toEqual(['被盗用']);
    expect(await page.locator('[data-testid="search-group"][data-status="resolved"]').count()).toBe(1);
    const ticketRow = page.getByTestId('search-tickets').locator(`[data-testid="ticket-row"][data-ticket-id="${ticket.id}"]`);
    expect(await ticketRow.getByTestId('search-mark').allTextContents()).toEqual(['被盗用']);
    await page.screenshot({ path: path.join(screenshots, 'inbox-search-every-status.png') });

    await row.click();
    await expect.poll(() => page.url(), live).toContain(`/inbox/mine/${conversation.id}`);
    await ticketRow.click();
    await expect.poll(() => page.url(), live).toContain(`/tickets/${ticket.id}`);
  });
});

describe('tags in Chromium', () => {
  it('adds a tag with Enter and removes it with ×, stored and in the timeline', async () => {
    const visitor = await system.visitor('Tia Tag');
    const conversationId = (await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: '退款什么时候到账？' } })).body
      .conversation.id as string;
    const page = await signedInAdmin();
    await page.goto(`${system.url}/#/inbox/all/${conversationId}`);
    await page.getByTestId('tag-input').fill('退款');
    await page.getByTestId('tag-input').press('Enter');
    await page.getByTestId('tag-chip').filter({ hasText: '退款' }).waitFor(live);
    expect((await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).tags).toEqual(['退款']);
    await page.getByRole('button', { name: 'Remove tag 退款' }).click();
    await expect.poll(() => page.getByTestId('tag-chip').count(), live).toBe(0);
    expect(await system.db.event.count({ where: { conversationId, type: { in: ['conversation.tag_added', 'conversation.tag_removed'] } } })).toBe(2);
  });
});
