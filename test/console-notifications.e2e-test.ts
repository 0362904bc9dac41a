// Desktop notifications in a real browser (issue 21): with them switched on (and the browser's
// permission given), a conversation assigned to the agent notifies them while they work on
// another screen; the browser's Notification is recorded, not shown.
import { describe, expect, it } from 'vitest';
import { consoleInBrowser, live } from './support/console-browser.js';

const ui = consoleInBrowser();
const { newPage, signIn } = ui;

describe('desktop notifications in Chromium', () => {
  it('tells the agent of a conversation assigned to them while they are on the Tickets screen', async () => {
    const token = await ui.system.login('agent@seamless.local');
    const switchedOn = { desktop: true, sound: false, assigned: true, mention: true, customerMessage: true, slaWarning: true };
    expect((await ui.system.request('PUT', '/api/me/notifications', { token, body: switchedOn })).status).toBe(200);

    const page = await newPage();
    // The page's Notification records what it would show (its permission: granted).
    await page.addInitScript(() => {
      const shown: { title: string; body?: string }[] = [];
      (globalThis as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
      class RecordedNotification {
        static permission = 'granted';
        static requestPermission = async () => 'granted';
        onclick: (() => void) | null = null;
        constructor(title: string, options: { body?: string } = {}) {
          shown.push({ title, body: options.body });
        }
        close() {}
      }
      (globalThis as unknown as { Notification: unknown }).Notification = RecordedNotification;
    });
    await signIn(page, 'agent@seamless.local', 'Alex Agent');
    await page.getByRole('link', { name: 'Tickets' }).click();
    await page.waitForURL(/tickets/);

    const visitor = await ui.system.visitor('Notified Nora');
    const started = await ui.system.request('POST', '/api/widget/conversations', {
      token: visitor.token,
      body: { body: 'notifyme: my card was charged twice' },
    });
    expect(started.status).toBe(201);
    const id = started.body.conversation.id as string;
    const alex = await ui.system.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } });
    const admin = await ui.system.login('admin@seamless.local');
    if ((await ui.system.db.conversation.findUniqueOrThrow({ where: { id } })).assigneeId !== alex.id) {
      await expect
        .poll(async () => (await ui.system.request('POST', `/api/conversations/${id}/transfer`, { token: admin, body: { toAgentId: alex.id } })).status, live)
        .toBe(200);
    }
    const number = (await ui.system.db.conversation.findUniqueOrThrow({ where: { id } })).number;
    await expect
      .poll(
        () => page.evaluate(() => (globalThis as unknown as { shownNotifications: { title: string }[] }).shownNotifications.map((notice) => notice.title)),
        live,
      )
      .toContain(`Conversation #${number} was assigned to you`);
  });
});
