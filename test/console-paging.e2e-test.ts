// Infinite scroll in a real browser (issue 19): the inbox shows its first page of a view and brings
// the next one when the list is scrolled to its end; an open conversation shows its newest
// messages and brings older ones when the thread is scrolled to its top.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { consoleInBrowser, live } from './support/console-browser.js';

const ui = consoleInBrowser();
const { newPage, signIn } = ui;

/** Resolved conversations written straight into the database, one minute apart, newest first; each its own customer. */
async function resolvedConversations(names: string[], newest: Date): Promise<string[]> {
  const { db } = ui.system;
  const channel = await db.channel.findFirstOrThrow({ where: { kind: 'web_chat' } });
  const ids: string[] = [];
  for (const [index, name] of names.entries()) {
    const customer = await db.customer.create({ data: { name } });
    const at = new Date(newest.getTime() - index * 60_000);
    const conversation = await db.conversation.create({
      data: { workflowId: `paging-${randomUUID()}`, customerId: customer.id, channelId: channel.id, status: 'resolved', lastMessageAt: at, resolvedAt: at },
    });
    ids.push(conversation.id);
  }
  return ids;
}

describe('infinite scroll in Chromium', () => {
  it('brings the inbox’s second page, and a conversation’s older messages, when scrolled to', async () => {
    const names = Array.from({ length: 60 }, (_, index) => `Paging Person ${index + 1}`);
    const [newestId] = await resolvedConversations(names, new Date());
    // The newest one has 70 messages, a second apart: 50 show when it opens.
    const start = Date.now() - 3_600_000;
    await ui.system.db.message.createMany({
      data: Array.from({ length: 70 }, (_, index) => ({
        conversationId: newestId!,
        authorKind: 'customer' as const,
        body: `older message ${index + 1}`,
        createdAt: new Date(start + index * 1000),
      })),
    });

    const page = await newPage();
    await signIn(page, 'admin@seamless.local', 'Ada Admin');
    await page.getByTestId('filter-resolved').click();
    const list = page.getByTestId('conversation-list');
    await list
      .getByTestId('conversation-customer')
      .filter({ hasText: /^Paging Person 1$/ })
      .waitFor(live);
    // The first page is 50 rows: the oldest of the 60 is on the second.
    expect(
      await list
        .getByTestId('conversation-customer')
        .filter({ hasText: /^Paging Person 60$/ })
        .count(),
    ).toBe(0);
    await list.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await list
      .getByTestId('conversation-customer')
      .filter({ hasText: /^Paging Person 60$/ })
      .waitFor(live);
    expect(
      await list
        .getByTestId('conversation-customer')
        .filter({ hasText: /^Paging Person / })
        .count(),
    ).toBe(60);

    await list
      .getByTestId('conversation-customer')
      .filter({ hasText: /^Paging Person 1$/ })
      .click();
    const thread = page.getByTestId('message-list');
    await thread
      .getByTestId('message-body')
      .filter({ hasText: /^older message 70$/ })
      .waitFor(live);
    await thread.evaluate((element) => element.scrollTo({ top: 0 }));
    await thread
      .getByTestId('message-body')
      .filter({ hasText: /^older message 1$/ })
      .waitFor(live);
    const bodies = await thread.getByTestId('message-body').allTextContents();
    expect(bodies.filter((text) => text.startsWith('older message'))).toEqual(Array.from({ length: 70 }, (_, index) => `older message ${index + 1}`));
  });
});
