// The inbox as a support team expects it (issue 21), in a real browser: rows that tell
// conversations apart (channel, preview, unread count) and a bulk action — three conversations
// ticked (a click and a shift-click) and resolved at once; the tab title's unread count and the
// notification settings.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser();
const { newPage, signIn } = ui;

describe('inbox rows and bulk actions in Chromium', () => {
  it('shows each row’s unread count, then resolves three ticked conversations in one action', async () => {
    const names = ['Bulkdemo Ann', 'Bulkdemo 王芳', 'Bulkdemo Raj'];
    const ids: string[] = [];
    for (const [i, name] of names.entries()) {
      const visitor = await ui.system.visitor(name);
      const started = await ui.system.request('POST', '/api/widget/conversations', {
        token: visitor.token,
        body: { body: `bulkdemo question ${i + 1}: 我的订单还没到` },
      });
      expect(started.status).toBe(201);
      ids.push(started.body.conversation.id as string);
    }

    const page = await newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(page, 'admin@seamless.local', 'Ada Admin');
    await page.getByTestId('filter-all').click();
    await page.locator('[data-testid="conversation-list"][data-view="all"]').waitFor(live);
    await page.getByTestId('inbox-search').fill('bulkdemo');
    const rows = page.getByTestId('conversation-list').getByTestId('conversation-row');
    await expect.poll(() => rows.count(), live).toBe(3);
    // Each row: its channel and its unread customer message for this admin, who has not opened it.
    for (const id of ids) {
      const row = page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`);
      expect(await row.getByTestId('conversation-row-channel').getAttribute('data-kind')).toBe('web_chat');
      await expect.poll(() => row.getByTestId('conversation-unread').textContent(), live).toBe('1');
    }

    // Opening one reads it: its count goes (and stays gone: the server keeps the admin's marker).
    const first = page.locator(`[data-testid="conversation-row"][data-conversation-id="${ids[0]}"]`);
    await first.click();
    await first.getByTestId('conversation-unread').waitFor({ state: 'detached', ...live });
    await expect
      .poll(async () => {
        const listed = await ui.system.request('GET', '/api/conversations?q=bulkdemo', { token: await ui.system.login('admin@seamless.local') });
        return listed.body.conversations.find((row: { id: string }) => row.id === ids[0])?.unreadCount;
      }, live)
      .toBe(0);

    const boxes = page.getByTestId('conversation-select');
    await boxes.nth(0).click();
    await boxes.nth(2).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.getByTestId('bulk-count').textContent(), live).toBe('3 selected');
    await page.screenshot({ path: path.join(screenshots, 'inbox-bulk-selection.png') });

    await page.getByTestId('bulk-resolve').click();
    await expect.poll(() => page.getByTestId('bulk-result').textContent(), live).toContain('3 conversations changed');
    for (const id of ids) expect((await ui.system.db.conversation.findUniqueOrThrow({ where: { id } })).status).toBe('resolved');
    // Resolved, they leave the "All" view (and the selection).
    await expect.poll(() => rows.count(), live).toBe(0);
  });

  it('counts my unread messages in the tab title and clears them as I open the conversation', async () => {
    const page = await newPage();
    await signIn(page, 'agent@seamless.local', 'Alex Agent');
    await page.getByTestId('conversation-list').waitFor();
    const visitor = await ui.system.visitor('Titlecount Tom');
    const started = await ui.system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'titlecount: where is my parcel?' } });
    expect(started.status).toBe(201);
    const id = started.body.conversation.id as string;
    const admin = await ui.system.login('admin@seamless.local');
    const alex = await ui.system.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } });
    // Mine, whether routing already gave it to Alex or not.
    const conversation = await ui.system.db.conversation.findUniqueOrThrow({ where: { id } });
    if (conversation.assigneeId !== alex.id) {
      await expect
        .poll(async () => (await ui.system.request('POST', `/api/conversations/${id}/transfer`, { token: admin, body: { toAgentId: alex.id } })).status, live)
        .toBe(200);
    }
    const row = page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`);
    await row.waitFor(live);
    await expect.poll(() => page.title(), live).toMatch(/^\(\d+\) Seamless$/);
    const before = Number(/^\((\d+)\)/.exec(await page.title())![1]);

    const again = await ui.system.request('POST', `/api/widget/conversations/${id}/messages`, { token: visitor.token, body: { body: 'titlecount: hello?' } });
    expect(again.status).toBe(201);
    await expect.poll(() => page.title(), live).toBe(`(${before + 1}) Seamless`);

    await row.click();
    const read = before - 1 > 0 ? `(${before - 1}) Seamless` : 'Seamless';
    await expect.poll(() => page.title(), live).toBe(read);

    // With the tab hidden, a message in the open conversation counts until the tab is shown again.
    const setVisibility = (state: 'hidden' | 'visible') =>
      page.evaluate((value) => {
        // In the page (this file is compiled without the DOM's types).
        const page = globalThis as unknown as { document: object & { dispatchEvent(event: unknown): void }; Event: new (type: string) => unknown };
        Object.defineProperty(page.document, 'visibilityState', { configurable: true, get: () => value });
        page.document.dispatchEvent(new page.Event('visibilitychange'));
      }, state);
    await setVisibility('hidden');
    const meanwhile = await ui.system.request('POST', `/api/widget/conversations/${id}/messages`, {
      token: visitor.token,
      body: { body: 'titlecount: still there?' },
    });
    expect(meanwhile.status).toBe(201);
    await expect.poll(() => page.title(), live).toBe(`(${before}) Seamless`);
    await setVisibility('visible');
    await expect.poll(() => page.title(), live).toBe(read);

    // The person's notification settings, from the profile menu: nothing is asked of the browser on the way.
    await page.getByTestId('agent-name').click();
    await page.getByTestId('profile-notifications').click();
    await page.getByTestId('notification-settings').waitFor(live);
    expect(await page.evaluate(() => (globalThis as unknown as { Notification: { permission: string } }).Notification.permission)).toBe('default');
    expect(await page.getByTestId('notify-desktop').isChecked()).toBe(false);
    expect(await page.getByTestId('notify-assigned').isChecked()).toBe(true);
    await page.getByTestId('notify-sound').check();
    await page.getByTestId('notify-saved').waitFor(live);
    expect((await ui.system.request('GET', '/api/me/notifications', { token: await ui.system.login('agent@seamless.local') })).body.preferences.sound).toBe(
      true,
    );
    await page.screenshot({ path: path.join(screenshots, 'account-notifications.png') });
  });
});
