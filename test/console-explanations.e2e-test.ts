// "Why was this assigned to me?" (issue 22) in a real browser: the agent routing chose opens the
// explanation on the journey entry of the assignment and reads why, in plain words.
import { describe, expect, it } from 'vitest';
import { consoleInBrowser, live } from './support/console-browser.js';

const ui = consoleInBrowser();
const { newPage, signIn } = ui;

describe('explanations in Chromium', () => {
  it('tells the agent why the conversation was assigned to them', async () => {
    const { system } = ui;
    // Alex is the one junior agent online; 李娜 (the other) is offline.
    await system.db.user.update({ where: { email: 'lina@seamless.local' }, data: { presence: 'offline' } });
    const page = await newPage();
    await signIn(page, 'agent@seamless.local', 'Alex Agent');
    await system.db.user.update({ where: { email: 'agent@seamless.local' }, data: { presence: 'online' } });

    const visitor = await system.visitor('Explained customer');
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'My card was declined at the shop' } });
    expect(started.status).toBe(201);

    const row = page.getByTestId('conversation-row').first();
    await row.waitFor(live);
    await row.click();
    const why = page.getByTestId('journey-why').filter({ hasText: 'Why was this assigned to me?' });
    await why.waitFor(live);
    await why.click();
    const text = page.getByTestId('journey-why-text');
    await text.filter({ hasText: 'Assigned to' }).waitFor(live);
    expect(await text.textContent()).toBe(
      'Assigned to Alex Agent: online, knows cards, 0 of 5 conversations open, the only one with a free seat. Passed over: 李娜 (offline).',
    );
  });
});
