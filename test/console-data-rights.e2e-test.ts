// A contact's data rights in Chromium (issue 18): an admin opens a contact, downloads their data
// (a zip holding their profile and messages), then erases them — the dialog erases only once their
// name is typed — and the profile reloads emptied.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser();

describe('data rights in Chromium', () => {
  it('exports a contact as a zip, then erases them after their name is typed', async () => {
    const { system } = ui;
    const unique = randomBytes(4).toString('hex');
    const name = `Ines Marchetti ${unique}`;
    const visitor = await system.visitor(name);
    const chat = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: `Order ${unique} never came` } });
    expect(chat.status).toBe(201);

    const page = await ui.newPage({ acceptDownloads: true });
    await ui.signIn(page, 'admin@seamless.local', 'Ada Admin');
    await page.goto(`${system.url}/#/contacts/${visitor.customerId}`);
    const profile = page.getByTestId('contact-profile');
    await profile.getByTestId('contact-profile-name').filter({ hasText: name }).waitFor(live);

    const [download] = await Promise.all([page.waitForEvent('download'), profile.getByTestId('contact-export').click()]);
    expect(download.suggestedFilename()).toBe(`contact-${visitor.customerId}.zip`);
    const zip = path.join(mkdtempSync(path.join(os.tmpdir(), 'seamless-export-')), 'export.zip');
    await download.saveAs(zip);
    expect(JSON.parse(execFileSync('unzip', ['-p', zip, 'profile.json'], { encoding: 'utf8' }))).toMatchObject({ id: visitor.customerId, name });
    expect(execFileSync('unzip', ['-p', zip, 'conversations.json'], { encoding: 'utf8' })).toContain(`Order ${unique} never came`);

    await profile.getByTestId('contact-erase-open').click();
    const dialog = page.getByTestId('erase-dialog');
    const confirm = dialog.getByTestId('erase-confirm');
    await dialog.getByTestId('erase-confirm-input').fill('Ines');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByTestId('erase-confirm-input').fill(name);
    await page.screenshot({ path: path.join(screenshots, 'contact-erase-dialog.png') });
    await confirm.click();
    await dialog.waitFor({ state: 'detached', ...live });
    await page.getByTestId('contact-profile-name').filter({ hasNotText: name }).waitFor(live);
    const erased = await system.db.customer.findUniqueOrThrow({ where: { id: visitor.customerId } });
    expect([erased.name, erased.erasedAt]).toEqual([null, expect.any(Date)]);
  });
});
