// Tickets and the knowledge base in a real browser on the real stack: an agent raises a ticket
// from a conversation (subject prefilled), takes it and moves it through its statuses while the
// filtered list follows live, also when someone else changes it; an admin writes an article
// with a Chinese title, previews it (raw HTML shown as text, nothing runs), saves a draft that
// stays private, publishes it so the public search finds it, and deletes it after confirming; an
// admin adds or dismisses the questions customers suggested.
// Screenshots of the main screens go to test-artifacts/screenshots/.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser({ viewport: { width: 1440, height: 900 } });
const { newPage, signIn } = ui;
let system: TestSystem;

const uuidInHash = (prefix: string) => new RegExp(`#/${prefix}/([0-9a-f-]{36})(?:\\?|$)`);

beforeAll(async () => {
  system = ui.system;
});

// Code that runs in the page is passed as a string where it uses browser globals: test/ is type
// checked without the DOM library.
const activeTestId = (page: Page) => page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null");
const optionValues = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .locator('option')
    .evaluateAll((options) => options.map((option) => option.getAttribute('value')));
const idFromUrl = (page: Page, prefix: string) => uuidInHash(prefix).exec(page.url())?.[1] ?? '';

describe('tickets in Chromium', () => {
  it('raises a ticket from a conversation, changes its status, and the filtered list follows live', async () => {
    const agent = await newPage();
    await signIn(agent, 'agent@seamless.local', 'Alex Agent');
    // Agents get tickets but not the knowledge base: writing articles is for admins.
    await agent.getByTestId('nav-tickets').waitFor();
    expect(await agent.getByTestId('nav-knowledge').count()).toBe(0);
    const alex = await system.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } });

    // A customer writes in (a card question: routed to Alex's team, so Alex may see it).
    const visitor = await system.visitor('Casey Tickets');
    const question = 'I was charged twice for my card payment yesterday';
    const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body: question } });
    expect(started.status).toBe(201);
    const conversationId: string = started.body.conversation.id;
    await agent.goto(`${system.url}/#/inbox/all/${conversationId}`);
    await agent.getByTestId('message-body').filter({ hasText: question }).waitFor(live);

    // "Create ticket": the subject starts as the customer's first message, focus in it.
    await agent.getByTestId('create-ticket-button').click();
    await agent.getByTestId('create-ticket-panel').waitFor();
    await expect.poll(() => agent.getByTestId('create-ticket-subject').inputValue()).toBe(question);
    expect(await activeTestId(agent)).toBe('create-ticket-subject');
    await agent.getByTestId('create-ticket-priority').selectOption('high');
    // "Assign to me" starts ticked when routing has already given Alex the conversation: left
    // unticked, the ticket waits unassigned whichever came first.
    await agent.getByTestId('create-ticket-assign-me').setChecked(false);
    await agent.getByTestId('create-ticket-submit').click();

    // The new ticket opens.
    await agent.waitForURL(uuidInHash('tickets'), live);
    const ticketId = idFromUrl(agent, 'tickets');
    const stored = await system.db.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { conversations: true } });
    expect(stored).toMatchObject({ subject: question, priority: 'high', status: 'new', customerId: visitor.customerId, assigneeId: null });
    expect(stored.conversations.map((link) => link.conversationId)).toEqual([conversationId]);
    const detail = agent.locator(`[data-testid="ticket-detail"][data-ticket-id="${ticketId}"]`);
    const detailIn = (status: string) => agent.locator(`[data-testid="ticket-detail"][data-ticket-id="${ticketId}"][data-status="${status}"]`);
    await detail.getByTestId('ticket-subject').filter({ hasText: question }).waitFor(live);
    expect(await detail.getAttribute('data-priority')).toBe('high');
    // The linked conversation links back into the inbox.
    const link = detail.getByTestId('ticket-conversation-link');
    await link.waitFor(live);
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^#/inbox/(all|resolved|snoozed)/${conversationId}$`));

    // It is in the (unsolved) list; the status menu offers what the lifecycle allows, never "closed".
    const row = agent.locator(`[data-testid="ticket-row"][data-ticket-id="${ticketId}"]`);
    const rowIn = (status: string) => agent.locator(`[data-testid="ticket-row"][data-ticket-id="${ticketId}"][data-status="${status}"]`);
    await rowIn('new').waitFor(live);
    expect(await optionValues(agent, 'ticket-status-select')).toEqual(['new', 'open', 'pending', 'on_hold', 'solved']);

    // Take it: assigned to Alex, the row says so.
    await detail.getByTestId('ticket-take-button').click();
    await expect.poll(() => detail.getByTestId('ticket-assignee-select').inputValue(), live).toBe(alex.id);
    await row.filter({ hasText: 'Alex Agent (you)' }).waitFor(live);
    await agent.getByTestId('ticket-filter-assignee').selectOption('me');
    await row.waitFor(live);

    // Pending: the detail, the row and the history follow.
    await detail.getByTestId('ticket-status-select').selectOption('pending');
    await detailIn('pending').waitFor(live);
    await rowIn('pending').getByTestId('ticket-row-status').filter({ hasText: 'Pending' }).waitFor(live);
    await detail
      .getByTestId('ticket-history-item')
      .filter({ hasText: new RegExp(`#${stored.number} changed from New to Pending`) })
      .waitFor(live);
    expect((await system.db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).status).toBe('pending');
    await agent.screenshot({ path: path.join(screenshots, 'ticket-detail.png') });

    // A status filter: "Open" leaves it out, in the URL, so a reload keeps it.
    await agent.getByTestId('ticket-filter-status').selectOption('open');
    await row.waitFor({ state: 'detached', ...live });
    expect(agent.url()).toContain('status=open');
    await agent.reload();
    await agent.getByTestId('ticket-list').waitFor(live);
    await expect.poll(() => agent.getByTestId('ticket-filter-status').inputValue()).toBe('open');
    await detailIn('pending').waitFor(live);
    expect(await row.count()).toBe(0);

    // Someone else reopens it: the row appears in "Open" live, without a reload.
    const admin = await system.login('admin@seamless.local');
    expect((await system.request('POST', `/api/tickets/${ticketId}/status`, { token: admin, body: { status: 'open' } })).status).toBe(200);
    await rowIn('open').waitFor(live);
    await detailIn('open').waitFor(live);

    // Back to every unsolved ticket, then solve it: it leaves the list; only a reopen is offered.
    await agent.getByTestId('ticket-filter-status').selectOption('unsolved');
    await rowIn('open').waitFor(live);
    await agent.getByTestId('ticket-list').screenshot({ path: path.join(screenshots, 'ticket-list.png') });
    await agent.screenshot({ path: path.join(screenshots, 'tickets.png') });
    await detail.getByTestId('ticket-status-select').selectOption('solved');
    await detailIn('solved').waitFor(live);
    await row.waitFor({ state: 'detached', ...live });
    expect(await optionValues(agent, 'ticket-status-select')).toEqual(['solved', 'open']);
    expect((await system.db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).status).toBe('solved');
    await agent.getByTestId('ticket-filter-status').selectOption('solved');
    await rowIn('solved').waitFor(live);

    // Both languages: the same screen in Chinese.
    await agent.getByTestId('language-select').selectOption('zh-CN');
    await rowIn('solved').getByTestId('ticket-row-status').filter({ hasText: '已解决' }).waitFor();
    await detail
      .getByTestId('ticket-history-item')
      .filter({ hasText: new RegExp(`工单 #${stored.number}`) })
      .first()
      .waitFor();
    await agent.screenshot({ path: path.join(screenshots, 'ticket-detail-zh-CN.png') });

    // The link opens the conversation in the inbox.
    await link.click();
    await agent.locator(`[data-testid="conversation-pane"][data-conversation-id="${conversationId}"]`).waitFor(live);
    await agent.getByTestId('message-body').filter({ hasText: question }).waitFor(live);
  });
});

describe('knowledge base in Chromium', () => {
  it('writes a Chinese article with a safe live preview, keeps the draft private, publishes it for the public search, and deletes it after confirming', async () => {
    const admin = await newPage();
    await signIn(admin, 'admin@seamless.local', 'Ada Admin');
    await admin.getByTestId('nav-knowledge').click();
    await admin.getByTestId('article-row').first().waitFor(live);
    await admin.getByTestId('new-article-button').click();
    await admin.locator('[data-testid="article-editor"][data-article-id="new"]').waitFor();
    await expect.poll(() => activeTestId(admin)).toBe('article-title');

    const title = '海外转账限额说明';
    await admin.getByTestId('article-title').fill(title);
    await admin.getByTestId('article-locale').selectOption('zh-CN');
    await admin.getByTestId('article-category').fill('转账');
    await admin.getByTestId('article-tags').fill('转账，限额');
    // Example questions: customers' own words, one per line (a repeat is dropped).
    await admin.getByTestId('article-questions').fill('给孩子交留学学费一天最多汇多少\n大额汇款被拦住了\n给孩子交留学学费一天最多汇多少');
    const body = [
      '## 每日限额',
      '',
      '每笔海外转账的**单日限额**为 5 万元。',
      '',
      '- 登录 App',
      '- 打开 [帮助中心](https://example.com/help)',
      '',
      '<script>window.__injected = true</script>',
      '',
      '<img src=x onerror="window.__injected = true">',
      '',
      '[点我](javascript:window.__injected=true)',
    ].join('\n');
    await admin.getByTestId('article-body').fill(body);

    // The preview renders the Markdown as it is typed; raw HTML stays text and nothing runs.
    const preview = admin.getByTestId('article-preview');
    await preview.locator('h2').filter({ hasText: '每日限额' }).waitFor();
    await preview.locator('strong').filter({ hasText: '单日限额' }).waitFor();
    expect(await preview.getByTestId('article-preview-title').textContent()).toBe(title);
    await preview.getByText('<script>window.__injected = true</script>').waitFor();
    expect(await preview.locator('script, img, iframe').count()).toBe(0);
    expect(
      await preview.locator('a').evaluateAll((links) => links.map((a) => [a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')])),
    ).toEqual([['https://example.com/help', '_blank', 'noopener noreferrer nofollow']]);
    expect(await admin.evaluate<boolean>('window.__injected === undefined')).toBe(true);
    await admin.getByTestId('article-unsaved').waitFor();
    await admin.screenshot({ path: path.join(screenshots, 'knowledge-editor.png') });

    // Saved as a draft: an address of its own, listed as a draft, not public.
    await admin.getByTestId('saveDraft-button').click();
    await admin.waitForURL(uuidInHash('knowledge'), live);
    const articleId = idFromUrl(admin, 'knowledge');
    await admin.locator(`[data-testid="article-editor"][data-article-id="${articleId}"][data-status="draft"]`).waitFor(live);
    await admin.locator(`[data-testid="article-row"][data-article-id="${articleId}"][data-status="draft"]`).waitFor(live);
    expect(await admin.getByTestId('article-unsaved').count()).toBe(0);
    const publicSearch = () => system.request('GET', `/api/public/knowledge/search?q=${encodeURIComponent('海外转账限额')}&locale=zh-CN&limit=20`);
    const draftSearch = await publicSearch();
    expect(draftSearch.status).toBe(200);
    expect(draftSearch.body.hits.map((hit: { articleId: string }) => hit.articleId)).not.toContain(articleId);

    // Published: the public search finds it, under its Chinese title.
    await admin.getByTestId('publish-button').click();
    await admin.locator(`[data-testid="article-editor"][data-article-id="${articleId}"][data-status="published"]`).waitFor(live);
    await admin.locator(`[data-testid="article-row"][data-article-id="${articleId}"][data-status="published"]`).waitFor(live);
    const found = await publicSearch();
    expect(found.status).toBe(200);
    const hit = found.body.hits.find((candidate: { articleId: string }) => candidate.articleId === articleId);
    expect(hit).toMatchObject({ title, locale: 'zh-CN' });
    const stored = await system.db.knowledgeArticle.findUniqueOrThrow({ where: { id: articleId } });
    expect(stored).toMatchObject({ title, locale: 'zh-CN', status: 'published', category: '转账', tags: ['转账', '限额'], version: 2 });
    expect(stored.questions).toEqual(['给孩子交留学学费一天最多汇多少', '大额汇款被拦住了']);
    // Searchable by words only its example questions hold, yet never shown publicly.
    const byQuestion = await system.request('GET', `/api/public/knowledge/search?q=${encodeURIComponent('留学学费')}&locale=zh-CN&limit=20`);
    expect(byQuestion.body.hits.map((candidate: { articleId: string }) => candidate.articleId)).toContain(articleId);
    // The help center shows what the preview showed: the same Markdown, raw HTML as text.
    const helpPage = await (await fetch(`${system.url}/help/zh-CN/${encodeURIComponent(hit.slug)}`)).text();
    expect(helpPage).toContain('<strong>单日限额</strong>');
    expect(helpPage).toContain('&lt;script&gt;window.__injected = true&lt;/script&gt;');
    expect(helpPage).not.toContain('留学学费');

    // An unsaved edit is not lost by leaving: the browser asks first (declined here).
    await admin.getByTestId('article-body').fill(`${body}\n\n更新：限额每年调整一次。`);
    admin.once('dialog', (dialog) => void dialog.dismiss());
    await admin.getByTestId('nav-tickets').click();
    await admin.getByTestId('article-unsaved').waitFor();
    expect(admin.url()).toContain(`/knowledge/${articleId}`);
    // Ctrl+S updates the published article: a third version, still published.
    await admin.getByTestId('article-body').press('Control+s');
    await admin.getByTestId('article-unsaved').waitFor({ state: 'detached', ...live });
    await expect.poll(async () => (await system.db.knowledgeArticle.findUniqueOrThrow({ where: { id: articleId } })).version, live).toBe(3);
    await admin.getByTestId('history-button').click();
    await expect.poll(() => admin.getByTestId('version-item').count(), live).toBe(3);

    // The console's own search finds it too.
    await admin.getByTestId('article-search').fill('海外转账限额');
    await admin.getByTestId('article-search').press('Enter');
    await admin.locator(`[data-testid="article-row"][data-article-id="${articleId}"]`).waitFor(live);
    expect(admin.url()).toContain(`q=${encodeURIComponent('海外转账限额')}`);

    // Delete asks first: focus on Cancel, Escape keeps the article and gives focus back.
    await admin.getByTestId('delete-button').click();
    await admin.getByTestId('confirm-dialog').waitFor();
    expect(await activeTestId(admin)).toBe('confirm-cancel');
    await admin.keyboard.press('Tab');
    expect(await activeTestId(admin)).toBe('confirm-accept');
    await admin.keyboard.press('Escape');
    await admin.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    expect(await activeTestId(admin)).toBe('delete-button');
    expect(await system.db.knowledgeArticle.count({ where: { id: articleId } })).toBe(1);
    // Confirmed: gone from the list, the database and the public search.
    await admin.getByTestId('delete-button').click();
    await admin.getByTestId('confirm-accept').click();
    await admin.locator(`[data-testid="article-row"][data-article-id="${articleId}"]`).waitFor({ state: 'detached', ...live });
    await expect.poll(() => admin.url()).not.toContain(articleId);
    expect(await system.db.knowledgeArticle.count({ where: { id: articleId } })).toBe(0);
    expect((await publicSearch()).body.hits.map((h: { articleId: string }) => h.articleId)).not.toContain(articleId);

    // Both languages: the same screen in Chinese.
    await admin.getByTestId('language-select').selectOption('zh-CN');
    await admin.getByTestId('nav-knowledge').filter({ hasText: '知识库' }).waitFor();
    await admin.getByTestId('new-article-button').filter({ hasText: '新建文章' }).waitFor();
  });

  it("lists customers' suggested questions under the example questions: Add makes a new version, Dismiss drops one", async () => {
    const admin = await newPage();
    await signIn(admin, 'admin@seamless.local', 'Ada Admin');
    const token = await system.login('admin@seamless.local');
    const created = await system.request('POST', '/api/knowledge/articles', {
      token,
      body: {
        title: 'Closing your account',
        body: 'Go to **Settings → Account → Close account**.',
        questions: ['delete my account'],
        locale: 'en',
        status: 'published',
      },
    });
    const articleId = created.body.article.id as string;
    await system.db.articleQuestionSuggestion.createMany({
      data: [
        { articleId, text: 'how do I close my account' },
        { articleId, text: 'asdf account??' },
      ],
    });

    await admin.goto(`${system.url}/#/knowledge/${articleId}`);
    await admin.locator(`[data-testid="article-editor"][data-article-id="${articleId}"]`).waitFor(live);
    await expect.poll(() => admin.getByTestId('suggested-question').count(), live).toBe(2);
    await admin.getByTestId('suggested-question').filter({ hasText: 'how do I close my account' }).getByTestId('suggested-question-add').click();
    await expect.poll(() => admin.getByTestId('article-questions').inputValue(), live).toBe('delete my account\nhow do I close my account');
    await admin.getByTestId('article-version').filter({ hasText: '2' }).waitFor(live);
    expect(await admin.getByTestId('article-unsaved').count()).toBe(0);

    await admin.getByTestId('suggested-question').filter({ hasText: 'asdf account??' }).getByTestId('suggested-question-dismiss').click();
    await admin.getByTestId('suggested-questions').waitFor({ state: 'detached', ...live });
    const stored = await system.db.knowledgeArticle.findUniqueOrThrow({ where: { id: articleId } });
    expect([stored.questions, stored.version]).toEqual([['delete my account', 'how do I close my account'], 2]);
    expect(await system.db.articleQuestionSuggestion.count({ where: { articleId } })).toBe(0);
  });

  it('keeps agents out of the knowledge base screen', async () => {
    const agent = await newPage();
    await signIn(agent, 'agent@seamless.local', 'Alex Agent');
    await agent.goto(`${system.url}/#/knowledge`);
    await agent.waitForURL(/#\/inbox\/mine/, live);
    expect(await agent.getByTestId('article-editor').count()).toBe(0);
  });
});
