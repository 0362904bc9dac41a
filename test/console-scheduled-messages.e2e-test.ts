// Scheduled messages (issue 22) in a real browser: the agent schedules a reply from the composer
// for tomorrow at 9:00, sees it listed on the conversation, and cancels it; and sets a follow-up
// sequence from the composer's text, sees it running and stops it; and sets a reminder ("Remind
// me…"), sees it pending and cancels it, then gets a due reminder as a desktop notification that
// opens the conversation.
import { describe, expect, it } from 'vitest';
import { consoleInBrowser, live } from './support/console-browser.js';

const ui = consoleInBrowser();
const { newPage, signIn } = ui;

describe('scheduled messages in Chromium', () => {
  it('schedules a reply for tomorrow, lists it on the conversation and cancels it', async () => {
    const { system } = ui;
    const visitor = await system.visitor('Scheduled customer');
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Can you call me back tomorrow?' } });
    expect(started.status).toBe(201);
    const conversationId: string = started.body.conversation.id;

    const page = await newPage();
    await signIn(page, 'agent@seamless.local', 'Alex Agent');
    const row = page.getByTestId('conversation-row').first();
    await row.waitFor(live);
    await row.click();

    await page.getByTestId('reply-box').fill('Good morning! Following up as promised.');
    await page.getByTestId('schedule-button').click();
    await page.getByTestId('schedule-tomorrow').check();
    await page.getByTestId('schedule-apply').click();

    const item = page.getByTestId('scheduled-item').filter({ hasText: 'Good morning! Following up as promised.' });
    await item.waitFor(live);
    expect(await item.textContent()).toContain('Sends ');
    // The list can show the reply (its event) a moment before the composer clears (the answer).
    await expect.poll(() => page.getByTestId('reply-box').inputValue()).toBe('');
    const [stored] = await system.db.scheduledMessage.findMany({ where: { conversationId } });
    expect(stored).toMatchObject({ status: 'pending', body: 'Good morning! Following up as promised.' });

    await item.getByTestId('scheduled-cancel').click();
    await item.waitFor({ ...live, state: 'detached' });
    expect((await system.db.scheduledMessage.findUniqueOrThrow({ where: { id: stored!.id } })).status).toBe('cancelled');
    expect(await system.db.message.count({ where: { conversationId, body: 'Good morning! Following up as promised.' } })).toBe(0);
  });

  it("follows up with the composer's text, shows the running follow-up and stops it", async () => {
    const { system } = ui;
    const visitor = await system.visitor('Follow-up customer');
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Where is my parcel?' } });
    expect(started.status).toBe(201);
    const conversationId: string = started.body.conversation.id;

    const page = await newPage();
    await signIn(page, 'agent@seamless.local', 'Alex Agent');
    const row = page.getByTestId('conversation-row').filter({ hasText: 'Follow-up customer' }).first();
    await row.waitFor(live);
    await row.click();

    await page.getByTestId('reply-box').fill('Did the parcel arrive?');
    await page.getByTestId('follow-up-button').click();
    const steps = page.getByTestId('follow-up-steps');
    expect(await steps.inputValue()).toBe('2d Did the parcel arrive?');
    await steps.fill('2d Did the parcel arrive?\n5d Closing this for now.\nresolve');
    await page.getByTestId('follow-up-apply').click();
    await page.getByTestId('follow-up-panel').waitFor({ ...live, state: 'detached' });
    // The list can show the reply (its event) a moment before the composer clears (the answer).
    await expect.poll(() => page.getByTestId('reply-box').inputValue()).toBe('');
    const [stored] = await system.db.followUp.findMany({ where: { conversationId } });
    expect(stored).toMatchObject({
      status: 'active',
      steps: [
        { afterMinutes: 2880, text: 'Did the parcel arrive?' },
        { afterMinutes: 7200, text: 'Closing this for now.', then: 'resolve' },
      ],
    });

    await page.getByTestId('follow-up-button').click();
    const running = page.getByTestId('follow-up-active');
    await running.waitFor(live);
    expect(await running.textContent()).toContain('step 1 of 2');
    await page.getByTestId('follow-up-stop').click();
    await running.waitFor({ ...live, state: 'detached' });
    expect((await system.db.followUp.findUniqueOrThrow({ where: { id: stored!.id } })).status).toBe('cancelled');
  });

  it('sets a reminder in an hour with a note, shows it pending and cancels it; a due reminder notifies and its notification opens the conversation', async () => {
    const { system } = ui;
    const visitor = await system.visitor('Reminder customer');
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'Is my refund on its way?' } });
    expect(started.status).toBe(201);
    const conversationId: string = started.body.conversation.id;
    const token = await system.login('agent@seamless.local');
    const preferences = { desktop: true, sound: false, assigned: false, mention: false, customerMessage: false, slaWarning: false };
    expect((await system.request('PUT', '/api/me/notifications', { token, body: preferences })).status).toBe(200);

    const page = await newPage();
    // The browser's notifications, recorded: a headless browser shows none.
    await page.addInitScript({
      content: `window.shownNotifications = [];
        window.Notification = class {
          static permission = 'granted';
          static requestPermission() { return Promise.resolve('granted'); }
          constructor(title, options) { this.title = title; this.body = options && options.body; this.onclick = null; window.shownNotifications.push(this); }
          close() {}
        };`,
    });
    await signIn(page, 'agent@seamless.local', 'Alex Agent');
    const row = page.getByTestId('conversation-row').filter({ hasText: 'Reminder customer' }).first();
    await row.waitFor(live);
    await row.click();

    await page.getByTestId('reminder-button').click();
    await page.getByTestId('reminder-oneHour').check();
    await page.getByTestId('reminder-note').fill('Check the refund went through');
    await page.getByTestId('reminder-apply').click();
    const pending = page.getByTestId('reminder-pending');
    await pending.waitFor(live);
    expect(await pending.textContent()).toContain('Reminder ');
    const [stored] = await system.db.reminder.findMany({ where: { conversationId } });
    expect(stored).toMatchObject({ status: 'pending', note: 'Check the refund went through' });
    expect(stored!.dueAt.getTime() - stored!.createdAt.getTime()).toBeGreaterThan(55 * 60_000);

    await page.getByTestId('reminder-cancel').click();
    await pending.waitFor({ ...live, state: 'detached' });
    expect((await system.db.reminder.findUniqueOrThrow({ where: { id: stored!.id } })).status).toBe('cancelled');

    // One due in a moment (set over REST: the panel's times are minutes apart) notifies on the inbox screen.
    await page.goto(`${system.url}/inbox/mine`);
    const soon = new Date(Date.now() + 1500).toISOString();
    const set = await system.request('POST', `/api/conversations/${conversationId}/reminders`, {
      token,
      body: { dueAt: soon, note: 'Call back about the refund' },
    });
    expect(set.status).toBe(201);
    const number: number = started.body.conversation.number;
    await expect
      .poll(() => page.evaluate('window.shownNotifications.map((shown) => shown.title + " | " + shown.body)'), live)
      .toEqual([`Reminder: conversation #${number} | Call back about the refund`]);
    await page.evaluate('window.shownNotifications[0].onclick()');
    await page.waitForURL(`**/inbox/mine/${conversationId}`, live);
  });
});
