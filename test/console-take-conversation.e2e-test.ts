// Taking queued conversations in the console (issue 21, item 2), in Chromium on the real stack:
// with nobody routed work, a new conversation waits in "Unassigned"; the agent who replies to it
// takes it (the row moves to "Mine" in every console, by the conversation.assigned event), `a`
// takes another, and resolving one nobody owns assigns it to the resolver first.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startCustomerConversation } from './support/fixtures.js';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser();

const count = async (page: Page, view: string) => Number((await page.getByTestId(`count-${view}`).textContent())?.replace('+', ''));
const row = (page: Page, conversationId: string) => page.locator(`[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`);

describe('taking queued conversations in Chromium', () => {
  it('gives a queued conversation to the agent who replies, to the one who presses "a", and to the one who resolves it', async () => {
    const { system } = ui;
    const alexId = (await system.db.user.findFirstOrThrow({ where: { email: 'agent@seamless.local' } })).id;
    // Nobody takes routed work: new conversations stay in the queue until someone takes them.
    await system.db.user.updateMany({ data: { presence: 'away' } });
    const agent = await ui.newPage({ viewport: { width: 1440, height: 900 } });
    await ui.signIn(agent, 'agent@seamless.local', 'Alex Agent');
    await agent.getByTestId('presence-select').selectOption('away');
    await expect.poll(async () => (await system.db.user.findUniqueOrThrow({ where: { id: alexId } })).presence, live).toBe('away');
    // A lead watching the whole inbox in another console sees the conversation leave the queue.
    const lead = await ui.newPage({ viewport: { width: 1280, height: 800 } });
    await ui.signIn(lead, 'admin@seamless.local', 'Ada Admin');

    const queued = async (body: string) => {
      const { conversationId } = await startCustomerConversation(system, { name: 'Queue Customer', body });
      await expect.poll(async () => (await system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status, live).toBe('queued');
      return conversationId;
    };
    const replied = await queued('My landlord has not received my rent transfer yet');
    const pressed = await queued('I need a copy of my last three statements');
    const resolved = await queued('Never mind, I found the branch opening hours');

    await agent.getByTestId('filter-unassigned').click();
    for (const id of [replied, pressed, resolved]) await row(agent, id).waitFor(live);
    await lead.getByTestId('filter-unassigned').click();
    await row(lead, replied).waitFor(live);
    const mineBefore = await count(agent, 'mine');

    // (1) Replying takes it: no "Assign to me" needed.
    await row(agent, replied).click();
    await agent.getByTestId('reply-box').fill('Let me check that transfer for you.');
    await agent.getByTestId('send-button').click();
    await agent.getByTestId('conversation-assignee').filter({ hasText: 'Assigned to you' }).waitFor(live);
    await expect.poll(() => count(agent, 'mine'), live).toBe(mineBefore + 1);
    await row(lead, replied).waitFor({ state: 'detached', ...live });
    await agent.screenshot({ path: path.join(screenshots, 'conversation-taken-by-reply.png') });

    // (2) `a` (outside the reply box) is "Assign to me".
    await row(agent, pressed).click();
    await agent.getByTestId('assign-to-me-button').waitFor(live);
    await agent.getByTestId('conversation-assignee').click(); // focus leaves the reply box
    await agent.keyboard.press('a');
    await agent.getByTestId('assign-to-me-button').waitFor({ state: 'detached', ...live });
    await expect.poll(() => count(agent, 'mine'), live).toBe(mineBefore + 2);

    // (3) Resolving one nobody owns assigns it to the resolver first.
    await agent.getByTestId('filter-unassigned').click();
    await row(agent, resolved).click();
    await agent.locator('[data-testid="resolve-button"]:not([disabled])').click();
    await expect
      .poll(async () => {
        const stored = await system.db.conversation.findUniqueOrThrow({ where: { id: resolved } });
        return [stored.status, stored.assigneeId];
      }, live)
      .toEqual(['resolved', alexId]);
    await agent.getByTestId('filter-resolved').click();
    await row(agent, resolved).click();
    await agent.getByTestId('conversation-assignee').filter({ hasText: 'Assigned to you' }).waitFor(live);

    expect(await system.db.conversation.findUniqueOrThrow({ where: { id: replied } })).toMatchObject({ status: 'open', assigneeId: alexId });
    expect(await system.db.conversation.findUniqueOrThrow({ where: { id: pressed } })).toMatchObject({ status: 'open', assigneeId: alexId });
  });
});
