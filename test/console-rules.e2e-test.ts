// Automation rules in a real browser on the real stack: an admin builds "VIP customer + a message
// containing 退款 → priority urgent + tag refund" from the menus (the server's problems shown at
// the controls they name first), saves it, dry-runs it over a conversation recorded before the
// rule existed (nothing changes), moves it to the top and switches it on; a VIP customer writes
// in Chinese, the rule fires, and the admin sees the execution with each action's outcome on the
// rule page (also in Chinese). Agents never reach the screens. Export and import go through files.
// A webhook's secret is typed like a password and never shown again: the editor keeps it by id.
// Screenshots: test-artifacts/screenshots/rule-editor.png, rule-executions.png.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
const { newPage, signIn } = ui;
let system: TestSystem;

const ruleInHash = /#\/rules\/([0-9a-f-]{36})(?:\?|$)/;

let adminToken: string;

beforeAll(async () => {
  system = ui.system;
  adminToken = await system.login('admin@seamless.local');
});

/** A VIP customer starts a conversation in the widget with `body`. */
async function vipWrites(body: string, name: string): Promise<string> {
  const visitor = await system.visitor(name);
  await system.db.customer.update({ where: { id: visitor.customerId }, data: { vip: true } });
  const started = await system.request('POST', '/api/widget/conversations', { token: visitor.token, body: { body } });
  expect(started.status).toBe(201);
  return started.body.conversation.id as string;
}

const conversation = async (id: string) =>
  (await system.request('GET', `/api/conversations/${id}`, { token: adminToken })).body.conversation as { priority: string; tags: string[] };
const ruleNames = async () =>
  (await system.request('GET', '/api/rules', { token: adminToken })).body.rules.map((rule: { name: string }) => rule.name) as string[];

describe('automation rules in Chromium', () => {
  it('builds a VIP refund rule from the menus, dry-runs it, switches it on, and shows what it did when a VIP customer writes', async () => {
    // Recorded before the rule exists: what the dry-run replays.
    const earlier = await vipWrites('上周的订单我想退款', 'Earlier VIP');
    // Another rule, so the new one is created second and moved to the top.
    const other = await system.request('POST', '/api/rules', {
      token: adminToken,
      body: { name: 'Other rule', scope: 'ticket', trigger: { on: 'ticket_created' }, conditions: { all: [] }, actions: [{ type: 'add_tag', tag: 'other' }] },
    });
    expect(other.status).toBe(201);

    const admin = await newPage();
    await signIn(admin, 'admin@seamless.local', 'Ada Admin');
    await admin.getByTestId('nav-rules').click();
    await admin.getByTestId('rule-list').waitFor(live);
    await admin.getByTestId('rule-new').click();
    await admin.locator('[data-testid="rule-editor"][data-rule-id="new"]').waitFor(live);

    const name = 'VIP 退款 → urgent';
    await admin.getByTestId('rule-name').fill(name);
    await admin.getByTestId('rule-scope').selectOption('conversation');
    await admin.getByTestId('rule-trigger').selectOption('message_received');
    await admin.getByTestId('rule-trigger-from').selectOption('customer');

    // Conditions from the menus: the root group is "all".
    const root = admin.locator('[data-testid="condition-group"][data-path="conditions"]');
    expect(await root.getAttribute('data-mode')).toBe('all');
    await root.getByTestId('condition-add-leaf').last().click();
    const vip = admin.locator('[data-testid="condition-leaf"][data-path="conditions.all.0"]');
    await vip.getByTestId('condition-field').selectOption('customer.vip');
    await vip.getByTestId('condition-value').selectOption('true');
    await root.getByTestId('condition-add-leaf').last().click();
    const text = admin.locator('[data-testid="condition-leaf"][data-path="conditions.all.1"]');
    await text.getByTestId('condition-field').selectOption('message.text');
    await text.getByTestId('condition-op').selectOption('contains');

    // Saved too early (no value, no action): the server's problems appear at those controls.
    await admin.getByTestId('rule-save').click();
    await admin.locator('[data-testid="rule-error"][data-path="conditions.all.1"]').waitFor(live);
    await admin.locator('[data-testid="rule-error"][data-path="actions"]').waitFor(live);
    expect(await admin.locator('[data-testid="rule-error"][data-path="name"]').count()).toBe(0);
    expect(await system.db.automationRule.count({ where: { name } })).toBe(0);

    await text.getByTestId('condition-value').fill('退款');
    // Changing the control drops its problem; the others stay until the next save.
    await admin.locator('[data-testid="rule-error"][data-path="conditions.all.1"]').waitFor({ state: 'detached', ...live });
    expect(await admin.locator('[data-testid="rule-error"][data-path="actions"]').count()).toBe(1);
    await admin.getByTestId('action-add').selectOption('set_priority');
    const first = admin.locator('[data-testid="rule-action"][data-index="0"]');
    // A new "set priority" starts at the scale's default, Normal (not Low).
    expect(await first.getByTestId('action-param-priority').inputValue()).toBe('normal');
    await first.getByTestId('action-param-priority').selectOption('urgent');
    await admin.getByTestId('action-add').selectOption('add_tag');
    const second = admin.locator('[data-testid="rule-action"][data-index="1"]');
    await second.getByTestId('action-param-tag').fill('refund');
    await admin.screenshot({ path: path.join(screenshots, 'rule-editor.png'), fullPage: true });

    await admin.getByTestId('rule-save').click();
    await admin.waitForURL(ruleInHash, live);
    const ruleId = ruleInHash.exec(admin.url())?.[1] ?? '';
    await admin.locator(`[data-testid="rule-editor"][data-rule-id="${ruleId}"]`).waitFor(live);
    const stored = await system.request('GET', `/api/rules/${ruleId}`, { token: adminToken });
    expect(stored.body.rule).toMatchObject({
      name,
      enabled: false,
      version: 1,
      scope: 'conversation',
      trigger: { on: 'message_received', from: 'customer' },
      conditions: {
        all: [
          { field: 'customer.vip', op: 'eq', value: true },
          { field: 'message.text', op: 'contains', value: '退款' },
        ],
      },
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'add_tag', tag: 'refund' },
      ],
    });
    await admin.locator('[data-testid="rule-version"][data-version="1"]').waitFor(live);
    await admin.getByTestId('executions-empty').waitFor(live);

    // Dry-run over the last 7 days: the earlier conversation would have matched, with both actions,
    // linked into the inbox — and nothing was changed.
    expect(await admin.getByTestId('dry-run-days').locator('option').allTextContents()).toEqual(['1 day', '7 days', '30 days', '90 days']);
    await admin.getByTestId('dry-run-days').selectOption('7');
    await admin.getByTestId('dry-run-button').click();
    const match = admin.locator(`[data-testid="dry-run-match"][data-subject="conversation"][data-id="${earlier}"]`);
    await match.waitFor(live);
    expect(await match.getByTestId('dry-run-link').getAttribute('href')).toBe(`#/inbox/all/${earlier}`);
    expect(await match.getByTestId('dry-run-action').evaluateAll((items) => items.map((item) => item.getAttribute('data-type')))).toEqual([
      'set_priority',
      'add_tag',
    ]);
    expect(await conversation(earlier)).toMatchObject({ priority: 'normal', tags: [] });

    // Back to the list: move it to the top and switch it on.
    await admin.getByTestId('rules-back').click();
    const row = admin.locator(`[data-testid="rule-row"][data-rule-id="${ruleId}"]`);
    await row.waitFor(live);
    expect(await row.getAttribute('data-position')).toBe('1');
    await row.getByTestId('rule-move-up').click();
    await admin.locator(`[data-testid="rule-row"][data-rule-id="${ruleId}"][data-position="0"]`).waitFor(live);
    expect(await ruleNames()).toEqual([name, 'Other rule']);
    await row.getByTestId('rule-toggle').check();
    await admin.locator(`[data-testid="rule-row"][data-rule-id="${ruleId}"][data-enabled="true"]`).waitFor(live);
    expect((await system.request('GET', `/api/rules/${ruleId}`, { token: adminToken })).body.rule).toMatchObject({ enabled: true, version: 2 });

    // A VIP customer writes about a refund in Chinese: urgent and tagged.
    const current = await vipWrites('你好，我上个月的年费想申请退款，谢谢！', 'VIP Refund');
    await expect.poll(() => conversation(current), live).toMatchObject({ priority: 'urgent', tags: ['refund'] });

    // The rule page shows the execution, matched, with each action done.
    await row.getByTestId('rule-link').click();
    await admin.locator(`[data-testid="rule-editor"][data-rule-id="${ruleId}"]`).waitFor(live);
    const execution = admin.locator(`[data-testid="rule-execution"][data-conversation-id="${current}"]`);
    await expect
      .poll(async () => {
        await admin.getByTestId('executions-refresh').click();
        return execution.locator('[data-testid="execution-action"][data-status="done"]').count();
      }, live)
      .toBe(2);
    expect(await execution.getAttribute('data-matched')).toBe('true');
    expect(await execution.getByTestId('execution-link').getAttribute('href')).toBe(`#/inbox/all/${current}`);
    const { number } = await system.db.conversation.findUniqueOrThrow({ where: { id: current } });
    expect(await execution.getByTestId('execution-link').textContent()).toContain(`#${number}`);
    expect(await admin.getByTestId('rule-version').count()).toBe(2);
    await admin.screenshot({ path: path.join(screenshots, 'rule-executions.png'), fullPage: true });

    // The same page in Chinese.
    await admin.getByTestId('language-select').selectOption('zh-CN');
    await execution.filter({ hasText: '已匹配' }).waitFor();
    await admin.getByTestId('rule-conditions').filter({ hasText: '客户是 VIP' }).waitFor();

    // An older version loads into the editor (not saved): version 1 was switched off.
    expect(await admin.getByTestId('rule-enabled').isChecked()).toBe(true);
    await admin.locator('[data-testid="rule-version"][data-version="1"]').getByTestId('rule-version-restore').click();
    await admin.getByTestId('rule-restored').waitFor();
    expect(await admin.getByTestId('rule-enabled').isChecked()).toBe(false);
    expect((await system.request('GET', `/api/rules/${ruleId}`, { token: adminToken })).body.rule).toMatchObject({ enabled: true, version: 2 });

    // The conversation's journey names the rule and says what it did, in words (issue 21: not
    // "Automation rule matched on message_received: set_priority, add_tag").
    await admin.goto(`${system.url}/#/inbox/all/${current}`);
    const ruleLine = admin.getByTestId('journey-item').filter({ hasText: `规则“${name}”将优先级设为紧急、添加了标签 refund` });
    await ruleLine.waitFor(live);
    await admin.getByTestId('language-select').selectOption('en');
    await admin
      .getByTestId('journey-item')
      .filter({ hasText: `Rule “${name}” set priority to Urgent, added tag refund` })
      .waitFor(live);
    expect(await admin.getByTestId('customer-panel').textContent()).not.toMatch(/set_priority|add_tag|message_received/);
    await admin.getByTestId('customer-panel').screenshot({ path: path.join(screenshots, 'journey-rule.png') });
  });

  it('sets a webhook secret without ever showing it again, keeps it on edits, and replaces it', async () => {
    const secret = 'whsec_browser_3f9a1c7e5b2d4086';
    const admin = await newPage();
    await signIn(admin, 'admin@seamless.local', 'Ada Admin');
    await admin.getByTestId('nav-rules').click();
    await admin.getByTestId('rule-list').waitFor(live);
    await admin.getByTestId('rule-new').click();
    await admin.locator('[data-testid="rule-editor"][data-rule-id="new"]').waitFor(live);
    await admin.getByTestId('rule-name').fill('Webhook to the CRM');
    await admin.getByTestId('rule-scope').selectOption('conversation');
    await admin.getByTestId('rule-trigger').selectOption('conversation_created');
    await admin.getByTestId('action-add').selectOption('call_webhook');
    const action = admin.locator('[data-testid="rule-action"][data-index="0"]');
    await action.getByTestId('action-param-url').fill('https://hooks.example.com/seamless');
    // Typed like a password, never echoed.
    expect(await action.getByTestId('action-param-secret').getAttribute('type')).toBe('password');
    await action.getByTestId('action-param-secret').fill(secret);
    await admin.getByTestId('rule-save').click();
    await admin.waitForURL(ruleInHash, live);
    const ruleId = ruleInHash.exec(admin.url())?.[1] ?? '';
    await admin.locator(`[data-testid="rule-editor"][data-rule-id="${ruleId}"]`).waitFor(live);

    // Loaded back: the field is empty, a hint says a secret is stored, the page holds no trace of it.
    await action.getByTestId('action-secret-set').waitFor(live);
    expect(await action.getByTestId('action-param-secret').inputValue()).toBe('');
    expect(await admin.content()).not.toContain(secret);
    const secretIdOf = async () =>
      (await system.request('GET', `/api/rules/${ruleId}`, { token: adminToken })).body.rule as { version: number; actions: { secretId: string }[] };
    const first = await secretIdOf();
    expect(first.actions[0]!.secretId).toMatch(/^[0-9a-f-]{36}$/);

    // Renamed without touching the secret: kept.
    await admin.getByTestId('rule-name').fill('Webhook to the CRM (renamed)');
    await admin.getByTestId('rule-save').click();
    await expect.poll(async () => (await secretIdOf()).version, live).toBe(2);
    expect((await secretIdOf()).actions[0]!.secretId).toBe(first.actions[0]!.secretId);

    // A new one typed in replaces it; the field empties again and the old one is gone.
    await action.getByTestId('action-param-secret').fill('whsec_browser_replaced_0123');
    await admin.getByTestId('rule-save').click();
    await expect.poll(async () => (await secretIdOf()).version, live).toBe(3);
    const replaced = await secretIdOf();
    expect(replaced.actions[0]!.secretId).not.toBe(first.actions[0]!.secretId);
    expect(await action.getByTestId('action-param-secret').inputValue()).toBe('');
    expect((await system.db.ruleSecret.findMany({ where: { ruleId } })).map((row) => row.id)).toEqual([replaced.actions[0]!.secretId]);
    expect(await admin.content()).not.toContain('whsec_browser_replaced_0123');
  });

  it('keeps agents out of the rule screens', async () => {
    const agent = await newPage();
    await signIn(agent, 'agent@seamless.local', 'Alex Agent');
    await agent.getByTestId('nav-tickets').waitFor();
    expect(await agent.getByTestId('nav-rules').count()).toBe(0);
    await agent.goto(`${system.url}/#/rules`);
    await agent.waitForURL(/#\/inbox\/mine$/, live);
  });

  it('exports the rules to a JSON file and imports a file, which stays switched off', async () => {
    const admin = await newPage();
    await signIn(admin, 'admin@seamless.local', 'Ada Admin');
    await admin.goto(`${system.url}/#/rules`);
    await admin.getByTestId('rule-list').waitFor(live);

    const [download] = await Promise.all([admin.waitForEvent('download', live), admin.getByTestId('rules-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^seamless-rules-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as { name: string }[];
    expect(exported.map((rule) => rule.name)).toEqual(await ruleNames());

    const before = await ruleNames();
    const imported = [
      {
        name: '导入的规则',
        scope: 'conversation',
        trigger: { on: 'conversation_created' },
        conditions: { all: [] },
        actions: [{ type: 'add_tag', tag: 'imported' }],
      },
    ];
    await admin
      .getByTestId('rules-import-input')
      .setInputFiles({ name: 'rules.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(imported)) });
    await admin.getByTestId('rules-import-result').waitFor(live);
    await admin.locator('[data-testid="rule-row"][data-enabled="false"]').filter({ hasText: '导入的规则' }).waitFor(live);
    expect(await ruleNames()).toEqual([...before, '导入的规则']);

    // A file with a bad rule is refused whole, with the problem's path.
    const bad = [{ ...imported[0], name: 'bad', actions: [] }];
    await admin.getByTestId('rules-import-input').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await admin.getByTestId('rules-import-error').filter({ hasText: 'rules.0.actions' }).waitFor(live);
    expect(await ruleNames()).toEqual([...before, '导入的规则']);
  });
});
