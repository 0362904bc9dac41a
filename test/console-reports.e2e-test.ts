// CSAT and reports in a real browser on the real stack: a Chinese-speaking visitor rates the
// conversation an agent resolved, through the widget's radio group (named by its question, each
// choice by its score and meaning); an admin in Asia/Shanghai opens the reports page on a custom
// period of known data (test/support/report-data.ts), sees the same figures the API gives,
// switches to weeks and to Chinese, and downloads the CSV; then the leads' reports of another
// known period (first-contact and AI resolution, agents, busiest hours) and one of their CSVs.
// Screenshots go to test-artifacts/screenshots/.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OverviewReport } from '../domain/report-overview.js';
import { demoPassword } from '../prisma/demo-data.js';
import { buildInsightsData, buildReportData } from './support/report-data.js';
import type { TestSystem } from './support/system.js';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
const { newPage } = ui;
let system: TestSystem;

beforeAll(async () => {
  system = ui.system;
});

describe('CSAT in the widget', () => {
  it('asks a visitor to rate the conversation once an agent resolves it, and thanks them', async () => {
    const customer = await newPage({ locale: 'zh-CN', viewport: { width: 420, height: 760 } });
    await customer.goto(`${system.url}/widget.html`);
    await customer.getByTestId('widget-launcher').click();
    const question = '我的退款什么时候到账？';
    await customer.getByTestId('widget-input').fill(question);
    await customer.getByTestId('widget-send').click();
    await customer.getByTestId('widget-message').filter({ hasText: question }).waitFor(live);
    const conversation = await system.db.conversation.findFirstOrThrow({ where: { messages: { some: { body: question } } } });
    // Nothing to rate while it is open.
    expect(await customer.getByTestId('widget-csat').count()).toBe(0);

    const admin = await system.login('admin@seamless.local');
    const resolved = await system.request('POST', `/api/conversations/${conversation.id}/resolve`, { token: admin, body: {} });
    expect(resolved.status).toBe(200);

    // Live: the question appears as a named group of five named radios.
    const group = customer.getByRole('group', { name: '您对本次服务满意吗？' });
    await group.waitFor(live);
    const radios = group.getByRole('radio');
    expect(await radios.count()).toBe(5);
    expect(await customer.getByTestId('widget-csat-submit').isDisabled()).toBe(true);
    await group.getByRole('radio', { name: '4 – 满意' }).check();
    // Arrow keys move within the group, as in any radio group.
    await customer.keyboard.press('ArrowRight');
    expect(await group.getByRole('radio', { name: '5 – 非常满意' }).isChecked()).toBe(true);
    await customer.keyboard.press('ArrowLeft');
    expect(await group.getByRole('radio', { name: '4 – 满意' }).isChecked()).toBe(true);
    await customer.getByTestId('widget-csat-comment').fill('回复很快，谢谢');
    await customer.screenshot({ path: path.join(screenshots, 'widget-csat.png') });
    await customer.getByTestId('widget-csat-submit').click();

    await customer.getByTestId('widget-csat-thanks').filter({ hasText: '感谢您的评价！' }).waitFor(live);
    expect(await customer.getByTestId('widget-csat').count()).toBe(0);
    const events = await system.db.event.findMany({ where: { conversationId: conversation.id, type: 'csat.received' } });
    expect(events.map((event) => [event.actorKind, event.payload])).toEqual([['customer', { score: 4, comment: '回复很快，谢谢' }]]);
  });
});

describe('the reports page', () => {
  it('shows the API figures for a custom period in the admin time zone, by day and week, and downloads the CSV', async () => {
    await buildReportData(system.db);
    await system.db.user.update({ where: { email: 'admin@seamless.local' }, data: { timeZone: 'Asia/Shanghai' } });
    const admin = await newPage();
    await admin.goto(`${system.url}/`);
    await admin.getByTestId('login-email').fill('admin@seamless.local');
    await admin.getByTestId('login-password').fill(demoPassword);
    await admin.getByTestId('login-submit').click();
    await admin.getByTestId('agent-name').filter({ hasText: 'Ada Admin' }).waitFor();

    await admin.getByTestId('nav-reports').click();
    await admin.getByTestId('reports-view').waitFor(live);
    // The default period: the last 30 days, by day.
    await admin.getByTestId('report-totals').waitFor(live);
    expect(await admin.getByTestId('report-row').count()).toBe(30);

    await admin.getByTestId('report-preset').selectOption('custom');
    await admin.getByTestId('report-from').fill('2025-03-03');
    await admin.getByTestId('report-to').fill('2025-03-16');
    // The period is Shanghai's days: local midnight is 16:00 UTC the day before.
    const totals = admin.locator('[data-testid="report-totals"][data-from="2025-03-02T16:00:00.000Z"][data-to="2025-03-16T16:00:00.000Z"]');
    await totals.waitFor(live);

    const query = new URLSearchParams({ from: '2025-03-02T16:00:00.000Z', to: '2025-03-16T16:00:00.000Z', bucket: 'day', timeZone: 'Asia/Shanghai' });
    const api = await system.request<OverviewReport>('GET', `/api/reports/overview?${query.toString()}`, { token: await system.login('admin@seamless.local') });
    expect(api.status).toBe(200);
    const total = api.body.total;
    const shown = (testId: string) => admin.getByTestId(testId).innerText();
    // The figures as the API gives them (worked out in test/support/report-data.ts), as shown in en-US.
    expect([total.created, total.resolved, total.firstResponse.median, total.resolution.median]).toEqual([5, 4, 35, 45]);
    expect(await shown('report-total-created')).toBe(String(total.created));
    expect(await shown('report-total-resolved')).toBe(String(total.resolved));
    expect(await shown('report-total-firstResponse')).toBe(`${total.firstResponse.median}m`);
    expect(await shown('report-total-resolution')).toBe(`${total.resolution.median}m`);
    expect(await shown('report-total-sla')).toBe(`${(total.sla.complianceRate! * 100).toFixed(1)}%`);
    expect(await shown('report-total-deflection')).toBe(`${total.selfService.deflectionRate! * 100}%`);
    expect(await shown('report-total-csat')).toBe(String(total.csat.average));

    const rows = admin.getByTestId('report-row');
    expect(await rows.count()).toBe(api.body.buckets.length);
    for (const bucket of api.body.buckets.filter((b) => b.created > 0)) {
      const row = admin.locator(`[data-testid="report-row"][data-date="${bucket.date}"]`);
      expect(await row.getByTestId('report-cell-created').innerText()).toBe(String(bucket.created));
      expect(await row.getByTestId('report-cell-resolved').innerText()).toBe(String(bucket.resolved));
    }
    expect(await admin.locator('[data-testid="report-row"][data-date="2025-03-04"] th').innerText()).toBe('Mar 4');
    for (const chart of ['volume', 'times', 'rates', 'csat']) await admin.getByTestId(`report-chart-${chart}`).locator('canvas').waitFor();
    await admin.screenshot({ path: path.join(screenshots, 'reports.png'), fullPage: true });

    // The CSV: the same period, the same totals, with a byte order mark for Excel.
    const downloading = admin.waitForEvent('download');
    await admin.getByTestId('report-download').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('seamless-overview-2025-03-03-2025-03-16.csv');
    const csv = await readFile(await download.path());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]!.startsWith('Period start,Conversations created,Conversations resolved,')).toBe(true);
    expect(lines.at(-1)!.startsWith(`Total,${total.created},${total.resolved},${total.firstResponse.median},`)).toBe(true);

    // By week: two buckets, the same totals.
    await admin.getByTestId('report-bucket').selectOption('week');
    await admin.locator('[data-testid="report-table"][data-bucket="week"]').waitFor(live);
    expect(await rows.count()).toBe(2);
    expect(await admin.locator('[data-testid="report-row"][data-date="2025-03-03"] th').innerText()).toBe('Week of Mar 3');
    expect(await shown('report-total-created')).toBe('5');

    // In Chinese: labels and dates follow.
    await admin.getByTestId('language-select').selectOption('zh-CN');
    await admin.getByRole('heading', { name: '报表' }).waitFor(live);
    await admin.locator('[data-testid="report-row"][data-date="2025-03-03"] th').filter({ hasText: '3月3日 当周' }).waitFor(live);
    expect(await admin.getByTestId('report-download').innerText()).toBe('下载 CSV');
    await admin.screenshot({ path: path.join(screenshots, 'reports-zh.png'), fullPage: true });

    // The leads' reports of two known weeks (test/support/report-data.ts, buildInsightsData).
    await buildInsightsData(system.db);
    await admin.getByTestId('language-select').selectOption('en');
    await admin.getByTestId('report-from').fill('2025-04-07');
    await admin.getByTestId('report-to').fill('2025-04-20');
    const insights = admin.getByTestId('report-insights');
    await insights.getByTestId('report-first-contact').filter({ hasText: '50%' }).waitFor(live);
    expect(await insights.getByTestId('report-ai-resolution').innerText()).toBe('40%');
    const agentRows = await insights.getByTestId('report-agent-row').allInnerTexts();
    expect(agentRows.map((row) => row.split('\t').map((cell) => cell.trim()))).toEqual([
      ['Alex Agent', '3', '3', '20m', '50m', '4.0 (2)'],
      ['李娜', '3', '2', '25m', '1h 50m', '4.0 (1)'],
    ]);
    // The organisation's zone: the heatmap's cells hold the 11 conversations of the two weeks.
    const heatCells = insights.getByTestId('report-heat-cell');
    expect(await heatCells.count()).toBe(7 * 24);
    const counts = await heatCells.evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-count'))));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(11);
    await insights.screenshot({ path: path.join(screenshots, 'reports-leads.png') });

    const agentsCsv = admin.waitForEvent('download');
    await insights.getByTestId('report-download-agents').click();
    const agentsFile = await agentsCsv;
    expect(agentsFile.suggestedFilename()).toBe('seamless-agents-2025-04-07-2025-04-20.csv');
    const agentsText = (await readFile(await agentsFile.path())).toString('utf8');
    expect(agentsText.slice(1).split('\r\n').slice(1, 3)).toEqual(['Alex Agent,3,3,50,3,20,2,4,0.5', '李娜,3,2,110,2,25,1,4,1']);
  });
});
