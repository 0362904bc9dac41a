// The admin's SLA policies page and canned responses in the composer, in a real browser on the
// real stack: an admin changes an SLA policy (the server's 400s shown by field first) and the
// agent's countdown on a running conversation moves to the re-planned due date; an agent inserts
// a canned response with "/" from the keyboard and the customer receives it.
// Screenshots go to test-artifacts/screenshots/.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser({ viewport: { width: 1440, height: 900 } });
const { newPage, signIn } = ui;
let system: TestSystem;

beforeAll(async () => {
  system = ui.system;
});

/** A customer writes in through the widget API; a card question is routed to Alex's team. */
async function customerWritesIn(name: string, question: string): Promise<{ token: string; conversationId: string }> {
  const visitor = await system.visitor(name);
  const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: question } });
  expect(started.status).toBe(201);
  return { token: visitor.token, conversationId: started.body.conversation.id as string };
}

const minutes = 60_000;

describe('SLA policies in Chromium', () => {
  it("an admin changes an SLA policy and the agent's countdown reflects it", async () => {
    const normal = await system.db.slaPolicy.findFirstOrThrow({ where: { priority: 'normal', name: 'Normal priority' } });
    const adminToken = await system.login('admin@seamless.local');
    try {
      const agent = await newPage();
      await signIn(agent, 'agent@seamless.local', 'Alex Agent');
      // Agents have no admin pages, neither in the header nor by address.
      await agent.getByTestId('nav-tickets').waitFor();
      expect(await agent.getByTestId('nav-admin').count()).toBe(0);
      await agent.goto(`${system.url}/#/admin/sla-policies`);
      await agent.waitForURL(/#\/inbox\/mine/, live);

      // A running conversation measured against the Normal policy, with its first-response due date.
      const question = 'My card payment was declined twice at the supermarket';
      const { conversationId } = await customerWritesIn('Sam Sla', question);
      const planned = () => system.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
      await expect.poll(async () => (await planned()).firstResponseDueAt !== null, live).toBe(true);
      const before = await planned();
      expect(before.slaPolicyId).toBe(normal.id);
      const dueBefore = before.firstResponseDueAt!.toISOString();

      // The agent sees it with a countdown to that due date.
      await agent.goto(`${system.url}/#/inbox/all/${conversationId}`);
      await agent.getByTestId('message-body').filter({ hasText: question }).waitFor(live);
      const pane = agent.locator(`[data-testid="conversation-pane"][data-conversation-id="${conversationId}"]`);
      const badgeDue = (due: string) => pane.locator(`[data-testid="sla-badge"][data-due-at="${due}"]`);
      await badgeDue(dueBefore).waitFor(live);
      const countdownBefore = (await pane.getByTestId('sla-countdown').textContent()) ?? '';
      expect(countdownBefore).toMatch(/due in/);

      // The admin opens the SLA policies page from the header; Normal shows its 2 hours.
      const admin = await newPage();
      await signIn(admin, 'admin@seamless.local', 'Ada Admin');
      await admin.getByTestId('nav-admin').click();
      await admin.getByTestId('admin-nav-slaPolicies').click();
      await admin.waitForURL(/#\/admin\/sla-policies$/, live);
      const row = admin.locator(`[data-testid="sla-policy-row"][data-policy-id="${normal.id}"]`);
      await row.getByTestId('sla-policy-firstResponse').filter({ hasText: '2h 00m' }).waitFor(live);
      expect(await admin.getByTestId('sla-policy-row').count()).toBe(await system.db.slaPolicy.count());
      await row.getByTestId('sla-policy-edit').click();
      const form = row.getByTestId('sla-policy-form');
      await form.waitFor();
      const input = (field: string) => form.getByTestId(`sla-input-${field}`);
      await expect.poll(() => input('firstResponseMinutes').inputValue()).toBe(String(normal.firstResponseMinutes));
      expect(await admin.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null")).toBe('sla-input-firstResponseMinutes');

      // The server's 400s appear beside the fields they name: a range zod refuses…
      await input('warningPercent').fill('100');
      await form.getByTestId('sla-policy-save').click();
      await form.getByTestId('sla-error-warningPercent').filter({ hasText: /99/ }).waitFor(live);
      expect(await input('warningPercent').getAttribute('aria-invalid')).toBe('true');
      await form.getByTestId('sla-form-error').filter({ hasText: 'The request body is not valid.' }).waitFor();
      // …and targets that do not nest (first response longer than resolution).
      await input('warningPercent').fill(String(normal.warningPercent));
      await input('firstResponseMinutes').fill(String(normal.resolutionMinutes + 1));
      await form.getByTestId('sla-policy-save').click();
      await form.getByTestId('sla-error-firstResponseMinutes').filter({ hasText: 'must not be longer than resolutionMinutes' }).waitFor(live);
      expect(await form.getByTestId('sla-error-warningPercent').count()).toBe(0);
      await admin.screenshot({ path: path.join(screenshots, 'admin-sla-policies.png') });
      expect((await system.db.slaPolicy.findUniqueOrThrow({ where: { id: normal.id } })).firstResponseMinutes).toBe(normal.firstResponseMinutes);

      // Doubled: saved, the row shows 4 hours.
      const doubled = normal.firstResponseMinutes * 2;
      await input('firstResponseMinutes').fill(String(doubled));
      await form.getByTestId('sla-policy-save').click();
      await row.getByTestId('sla-policy-saved').waitFor(live);
      await row.locator(`[data-testid="sla-policy-firstResponse"][data-minutes="${doubled}"]`).filter({ hasText: '4h 00m' }).waitFor();
      expect(await row.getByTestId('sla-policy-form').count()).toBe(0);
      expect((await system.db.slaPolicy.findUniqueOrThrow({ where: { id: normal.id } })).firstResponseMinutes).toBe(doubled);
      // Both languages: the same page in Chinese.
      await admin.getByTestId('language-select').selectOption('zh-CN');
      await admin.getByTestId('admin-nav-slaPolicies').filter({ hasText: 'SLA 策略' }).waitFor();
      await row.getByTestId('sla-policy-edit').filter({ hasText: '编辑' }).waitFor();

      // The server re-plans the running conversation: its first response is due later, by at
      // least the added two hours (more when they run past closing time).
      await expect.poll(async () => (await planned()).firstResponseDueAt!.toISOString(), live).not.toBe(dueBefore);
      const dueAfter = (await planned()).firstResponseDueAt!;
      expect(dueAfter.getTime() - before.firstResponseDueAt!.getTime()).toBeGreaterThanOrEqual((doubled - normal.firstResponseMinutes) * minutes);

      // The re-plan is announced (sla.replanned, with the conversation as it is now): the agent's
      // open console follows it live, without a reload.
      await badgeDue(dueAfter.toISOString()).waitFor(live);
      await expect.poll(async () => (await pane.getByTestId('sla-countdown').textContent()) ?? '').not.toBe(countdownBefore);
      expect((await pane.getByTestId('sla-countdown').textContent()) ?? '').toMatch(/due in/);
    } finally {
      // Every later test in this file's database expects the demo targets.
      const restored = await system.request('PATCH', `/api/sla-policies/${normal.id}`, {
        token: adminToken,
        body: { firstResponseMinutes: normal.firstResponseMinutes },
      });
      expect(restored.status).toBe(200);
    }
  });

  it('tries an unsaved SLA target on past traffic: the comparison matches the job, nothing is saved', async () => {
    const normal = await system.db.slaPolicy.findFirstOrThrow({ where: { priority: 'normal', name: 'Normal priority' } });
    const admin = await newPage();
    await signIn(admin, 'admin@seamless.local', 'Ada Admin');
    await admin.goto(`${system.url}/#/admin/sla-policies`);
    const row = admin.locator(`[data-testid="sla-policy-row"][data-policy-id="${normal.id}"]`);
    await row.getByTestId('sla-policy-edit').click();
    const form = row.getByTestId('sla-policy-form');
    await form.getByTestId('sla-input-firstResponseMinutes').fill('1');
    await form.getByTestId('what-if-days').selectOption('7');
    // By its test id alone: the test before this one leaves the admin's console in Chinese.
    await form.getByTestId('what-if-run').click();
    const result = form.getByTestId('what-if-result');
    await result.waitFor(live);
    const job = await system.db.whatIfRun.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(job).toMatchObject({ kind: 'sla_policy', days: 7, status: 'completed' });
    expect(job.candidate).toMatchObject({ policyId: normal.id, priority: 'normal', firstResponseMinutes: 1 });
    const figures = job.result as { sla: { actual: { breached: { count: number } }; whatIf: { breached: { count: number } } } };
    const breached = result.getByTestId('what-if-row-breached');
    expect(await breached.getByTestId('what-if-actual').textContent()).toBe(String(figures.sla.actual.breached.count));
    expect(await breached.getByTestId('what-if-candidate').textContent()).toBe(String(figures.sla.whatIf.breached.count));
    await form.getByTestId('sla-policy-cancel').click();
    expect((await system.db.slaPolicy.findUniqueOrThrow({ where: { id: normal.id } })).firstResponseMinutes).toBe(normal.firstResponseMinutes);
  });
});

describe('canned responses in Chromium', () => {
  it('inserts a canned response typed with "/" from the keyboard, and the customer receives it', async () => {
    const greeting = await system.db.cannedResponse.findFirstOrThrow({ where: { shortcut: 'greeting', locale: 'en' } });
    const question = 'Where is the new card I ordered last week?';
    const customer = await customerWritesIn('Cam Canned', question);

    const agent = await newPage();
    await signIn(agent, 'agent@seamless.local', 'Alex Agent');
    await agent.goto(`${system.url}/#/inbox/all/${customer.conversationId}`);
    await agent.getByTestId('message-body').filter({ hasText: question }).waitFor(live);
    const box = agent.getByTestId('reply-box');
    const picker = agent.getByTestId('canned-picker');
    const option = agent.getByTestId('canned-option');
    const selectedShortcut = () => agent.locator('[data-testid="canned-option"][aria-selected="true"]').getAttribute('data-shortcut');

    // "/" opens the list; Escape closes it and leaves the text as typed.
    await box.click();
    await box.pressSequentially('/ref');
    await picker.waitFor(live);
    await option.first().waitFor(live);
    expect(await option.first().getAttribute('data-shortcut')).toBe('refund');
    await box.press('Escape');
    await picker.waitFor({ state: 'detached' });
    expect(await box.inputValue()).toBe('/ref');
    await box.fill('');

    // "/gre": the English greeting first (the console's language), its Chinese translation next.
    await box.pressSequentially('/gre');
    await option.first().waitFor(live);
    expect(await option.evaluateAll((items) => items.map((item) => `${item.getAttribute('data-shortcut')}:${item.getAttribute('data-locale')}`))).toEqual([
      'greeting:en',
      'greeting:zh-CN',
    ]);
    expect(await selectedShortcut()).toBe('greeting');
    expect(await box.getAttribute('aria-activedescendant')).toBe(await option.first().getAttribute('id'));
    // Arrow keys move the highlight and wrap; focus stays in the reply.
    await box.press('ArrowDown');
    await expect.poll(() => option.nth(1).getAttribute('aria-selected')).toBe('true');
    await box.press('ArrowDown');
    await expect.poll(() => option.first().getAttribute('aria-selected')).toBe('true');
    await agent.screenshot({ path: path.join(screenshots, 'canned-responses.png') });

    // Enter inserts the body in place of "/gre" (it does not send).
    await box.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await expect.poll(() => box.inputValue()).toBe(greeting.body);
    expect(await agent.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null")).toBe('reply-box');
    expect(await system.db.message.count({ where: { conversationId: customer.conversationId, body: greeting.body } })).toBe(0);

    // The button opens a searchable list too; the choice goes where the caret was.
    await box.press('End');
    await box.pressSequentially(' ');
    await agent.getByTestId('canned-button').click();
    const search = agent.getByTestId('canned-search');
    await search.waitFor();
    await expect.poll(() => agent.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null")).toBe('canned-search');
    await search.pressSequentially('delivery');
    await agent.locator('[data-testid="canned-option"][data-shortcut="card-delivery"][aria-selected="true"]').first().waitFor(live);
    await search.press('Enter');
    const delivery = await system.db.cannedResponse.findFirstOrThrow({ where: { shortcut: 'card-delivery', locale: 'en' } });
    const reply = `${greeting.body} ${delivery.body}`;
    await expect.poll(() => box.inputValue()).toBe(reply);

    // Enter now sends; the customer receives it.
    await box.press('Enter');
    await agent.getByTestId('message-body').filter({ hasText: delivery.body }).waitFor(live);
    await expect
      .poll(async () => {
        const messages = await system.request('GET', `/api/widget/conversations/${customer.conversationId}/messages`, { token: customer.token });
        return (messages.body.messages as { body: string; authorKind: string }[])
          .filter((message) => message.authorKind === 'agent')
          .map((message) => message.body);
      }, live)
      .toEqual([reply]);
  });
});
