// What a team lead and an admin watch (issue 21), in Chromium on the real stack: the live
// operations screen moves with the floor over /ws without a reload — a visitor's new conversation
// joins the queue and the waiting count follows the server's — and a team lead sees the screen
// for their teams, while an agent who leads none has no link to it. Screenshot: live-ops.png.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LiveOperations } from '../domain/live-operations.js';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser({ viewport: { width: 1280, height: 860 } });
const { newPage, signIn } = ui;

describe('live operations in Chromium', () => {
  it('follows the queue live for an admin; a lead sees their teams; an agent has no link', async () => {
    const page = await newPage();
    await signIn(page, 'admin@seamless.local', 'Ada Admin');
    await page.getByTestId('nav-live').click();
    await page.getByTestId('live-ops-view').waitFor(live);
    const waiting = page.getByTestId('live-waiting');
    await waiting.waitFor(live);
    const shownAt = await page.getByTestId('live-updated').getAttribute('data-at');

    // A visitor asks something the bot cannot answer: the conversation waits for a person.
    const visitor = await ui.system.visitor('Live queue visitor');
    const started = await ui.system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: 'xqzv 7781 please call me back' } });
    expect(started.status).toBe(201);
    const id = started.body.conversation.id as string;
    await expect.poll(async () => (await ui.system.db.conversation.findUniqueOrThrow({ where: { id } })).status, live).toBe('queued');
    const admin = await ui.system.login('admin@seamless.local');
    const snapshot = (await ui.system.request<LiveOperations>('GET', '/api/reports/live', { token: admin })).body;
    expect(snapshot.waiting.count).toBeGreaterThan(0);
    // The page read the snapshot again on the socket's events (no reload, no fast polling).
    await expect.poll(async () => (await page.getByTestId('live-updated').getAttribute('data-at')) !== shownAt, live).toBe(true);
    await expect.poll(() => waiting.innerText(), live).toBe(String(snapshot.waiting.count));
    expect(await page.getByTestId('live-agent-row').count()).toBe(snapshot.agents.length);
    await page.screenshot({ path: path.join(screenshots, 'live-ops.png') });

    // Priya Patel leads Specialists: the link, and her teams' people only.
    const lead = await newPage();
    await signIn(lead, 'expert@seamless.local', 'Priya Patel');
    await lead.getByTestId('nav-live').click();
    await lead.getByTestId('live-ops-view').getByText('Your teams: Specialists').waitFor(live);
    await expect.poll(() => lead.getByTestId('live-agent-row').count(), live).toBe(2);

    // Alex leads no team: no link.
    const agent = await newPage();
    await signIn(agent, 'agent@seamless.local', 'Alex Agent');
    await agent.getByTestId('nav-inbox').waitFor(live);
    expect(await agent.getByTestId('nav-live').count()).toBe(0);
  });
});
