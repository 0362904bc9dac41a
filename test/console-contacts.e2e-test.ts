// Contacts in Chromium (issue 18): an agent opens Contacts, finds a contact by a Chinese name
// typed in the other script, edits their profile, merges another contact into them and sees
// both contacts' conversations on the one profile, the merge in the journey and the inbox rows
// named with a preview of the last message.
import { describe, expect, it } from 'vitest';
import { consoleInBrowser, live } from './support/console-browser.js';

const ui = consoleInBrowser();
const { newPage, signIn } = ui;

describe('contacts in Chromium', () => {
  it('searches 張偉 for 张伟, edits the profile, merges another contact and shows both conversations', async () => {
    const { system } = ui;
    // Two contacts of one person: a chat visitor named in Simplified Chinese, an email sender.
    const visitor = await system.visitor('张伟');
    const chat = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: '我的卡还没收到' } });
    expect(chat.status).toBe(201);
    const other = await system.visitor('Zhang Wei (mail)');
    const second = await system.request('POST', '/api/widget/conversations', { token: other.token, body: { body: 'Card still missing, second try' } });
    expect(second.status).toBe(201);
    await system.db.customer.update({ where: { id: other.customerId }, data: { email: 'zhang.wei@example.cn' } });

    const page = await newPage();
    await signIn(page, 'agent@seamless.local', 'Alex Agent');
    // The inbox row names the customer and previews their last message.
    const inboxRow = page.locator(`[data-testid="conversation-row"][data-conversation-id="${chat.body.conversation.id}"]`);
    await page.goto(`${system.url}/#/inbox/all`);
    await inboxRow.getByTestId('conversation-preview').filter({ hasText: '我的卡还没收到' }).waitFor(live);
    expect(await inboxRow.getByTestId('conversation-customer').textContent()).toBe('张伟');

    await page.getByTestId('nav').getByRole('link', { name: 'Contacts' }).click();
    await page.getByTestId('contact-list').waitFor();
    await page.getByTestId('contact-search').fill('張偉');
    const row = page.locator(`[data-testid="contact-row"][data-customer-id="${visitor.customerId}"]`);
    await row.waitFor(live);
    await row.click();
    const profile = page.getByTestId('contact-profile');
    await profile.getByTestId('contact-profile-name').filter({ hasText: '张伟' }).waitFor(live);

    await profile.getByTestId('contact-field-company').fill('Acme 贸易');
    await profile.getByTestId('contact-field-tags').fill('vip, card');
    await profile.getByTestId('contact-save').click();
    await profile.getByTestId('contact-saved').waitFor(live);
    const saved = await system.db.customer.findUniqueOrThrow({ where: { id: visitor.customerId } });
    expect([saved.company, saved.tags]).toEqual(['Acme 贸易', ['vip', 'card']]);
    await profile.getByTestId('journey-item').filter({ hasText: 'edited the profile' }).waitFor(live);

    await profile.getByTestId('contact-merge-open').click();
    const dialog = page.getByTestId('merge-dialog');
    await dialog.getByTestId('merge-search').fill('zhang.wei@');
    await dialog.locator(`[data-testid="merge-result"][data-customer-id="${other.customerId}"]`).getByTestId('merge-pick').click();
    await dialog.getByTestId('merge-summary').filter({ hasText: '1 conversation and 0 tickets move to 张伟' }).waitFor(live);
    await dialog.getByTestId('merge-fills').filter({ hasText: 'email' }).waitFor(live);
    await dialog.getByTestId('merge-confirm').click();
    await profile.getByTestId('contact-merged-note').waitFor(live);

    const conversations = profile.getByTestId('contact-conversation');
    await conversations.nth(1).waitFor(live);
    expect((await conversations.evaluateAll((items) => items.map((item) => item.getAttribute('data-conversation-id')))).sort()).toEqual(
      [chat.body.conversation.id, second.body.conversation.id].sort(),
    );
    expect(await profile.getByTestId('contact-field-email').inputValue()).toBe('zhang.wei@example.cn');
    await profile.getByTestId('journey-item').filter({ hasText: 'merged Zhang Wei (mail) into this contact' }).waitFor(live);
    expect(await system.db.customer.findUnique({ where: { id: other.customerId } })).toBeNull();
  });
});
