// The admin area in a real browser on the real stack: an admin raises an agent's capacity and
// adds a skill, creates business hours with a Chinese name in Asia/Shanghai and gives them to a
// team, creates an API key (shown once; it works with its scope), revokes it, and finds every
// one of these changes in the audit log with its before/after.
// Screenshots go to test-artifacts/screenshots/.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';

const ui = consoleInBrowser({ viewport: { width: 1440, height: 900 } });
const { newPage, signIn } = ui;
let system: TestSystem;

beforeAll(async () => {
  system = ui.system;
});

const focusedTestId = (page: Page) => page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null");

describe('admin pages in Chromium', () => {
  it('an admin edits an agent, business hours, a team and an API key, and the audit log shows each change', async () => {
    const adminToken = await system.login('admin@seamless.local');
    const alex = await system.db.user.findUniqueOrThrow({ where: { email: 'agent@seamless.local' } });
    // More audit events than one page holds (50), older than the changes below, for "load more".
    for (let i = 0; i < 55; i += 1) {
      const changed = await system.request('PATCH', '/api/settings/self-service', { token: adminToken, body: { idleMinutes: 30 + (i % 2) + 1 } });
      expect(changed.status).toBe(200);
    }

    // Agents have no admin area, neither in the header nor by address.
    const agent = await newPage();
    await signIn(agent, 'agent@seamless.local', 'Alex Agent');
    await agent.getByTestId('nav-tickets').waitFor();
    expect(await agent.getByTestId('nav-admin').count()).toBe(0);
    await agent.goto(`${system.url}/#/admin/api-keys`);
    await agent.waitForURL(/#\/inbox\/mine/, live);

    const admin = await newPage();
    await signIn(admin, 'admin@seamless.local', 'Ada Admin');

    // --- Agents: one "Admin" entry opens the area on its first page.
    await admin.getByTestId('nav-admin').click();
    await admin.waitForURL(/#\/admin\/agents$/, live);
    expect(await admin.getByTestId('admin-nav-adminAgents').getAttribute('aria-current')).toBe('page');
    const row = admin.locator(`[data-testid="agent-row"][data-agent-id="${alex.id}"]`);
    await row.getByTestId('agent-capacity').waitFor(live);
    expect(await admin.getByTestId('agent-row').count()).toBe(await system.db.user.count());
    await row.getByTestId('agent-edit').click();
    const form = row.getByTestId('agent-form');
    await form.waitFor();
    expect(await focusedTestId(admin)).toBe('agent-input-tier');

    // The server's 400 appears beside the capacity field.
    await form.getByTestId('agent-input-capacity').fill('500');
    await form.getByTestId('agent-save').click();
    await form.getByTestId('agent-error-capacity').filter({ hasText: /100/ }).waitFor(live);
    expect(await form.getByTestId('agent-input-capacity').getAttribute('aria-invalid')).toBe('true');

    // Capacity 5 → 8, and a new skill typed into the tags input.
    await form.getByTestId('agent-input-capacity').fill(String(alex.capacity + 3));
    await form.getByTestId('agent-input-skill').fill('refunds');
    await form.getByTestId('agent-input-skill').press('Enter');
    await form.getByTestId('agent-draft-skill').filter({ hasText: 'refunds' }).waitFor();
    await form.getByTestId('agent-save').click();
    await row.getByTestId('agent-saved').waitFor(live);
    await row.locator(`[data-testid="agent-capacity"][data-capacity="${alex.capacity + 3}"]`).waitFor();
    await row.getByTestId('agent-skill').filter({ hasText: 'refunds' }).waitFor();
    const users = await system.request('GET', '/api/users', { token: adminToken });
    const saved = (users.body.users as { id: string; capacity: number; skills: string[] }[]).find((user) => user.id === alex.id)!;
    expect(saved.capacity).toBe(alex.capacity + 3);
    expect(saved.skills).toEqual([...alex.skills, 'refunds']);
    await admin.screenshot({ path: path.join(screenshots, 'admin-agents.png') });

    // --- Business hours with a Chinese name in Asia/Shanghai, an overnight Friday and a holiday.
    await admin.getByTestId('admin-nav-adminTeams').click();
    await admin.waitForURL(/#\/admin\/teams$/, live);
    await admin.getByTestId('hours-row').first().waitFor(live);
    await admin.getByTestId('hours-new').click();
    const hoursForm = admin.getByTestId('hours-form');
    await hoursForm.waitFor();
    const hoursName = '上海夜班';
    await hoursForm.getByTestId('hours-input-name').fill(hoursName);
    await hoursForm.getByTestId('hours-input-zone').fill('Asia/Shanghai');
    await hoursForm.getByTestId('hours-interval-add').click();
    const last = hoursForm.getByTestId('hours-interval').last();
    await last.getByTestId('hours-interval-day').selectOption('5');
    await last.getByTestId('hours-interval-open').fill('22:00');
    await last.getByTestId('hours-interval-close').fill('06:00');
    await last.getByTestId('hours-overnight').waitFor();
    await hoursForm.getByTestId('hours-input-holiday').fill('2026-10-01');
    await hoursForm.getByTestId('hours-holiday-add').click();
    await hoursForm.getByTestId('hours-holiday').filter({ hasText: '2026-10-01' }).waitFor();
    await hoursForm.getByTestId('hours-save').click();
    await admin.getByTestId('hours-name').filter({ hasText: hoursName }).waitFor(live);
    const hours = await system.db.businessHours.findFirstOrThrow({ where: { name: hoursName } });
    expect(hours.timeZone).toBe('Asia/Shanghai');
    expect(hours.weekly).toContainEqual({ day: 5, open: '22:00', close: '06:00' });
    expect(hours.holidays).toEqual(['2026-10-01']);

    // …given to the Specialists team.
    const specialists = await system.db.team.findFirstOrThrow({ where: { name: 'Specialists' } });
    const teamRow = admin.locator(`[data-testid="team-row"][data-team-id="${specialists.id}"]`);
    await teamRow.getByTestId('team-edit').click();
    await teamRow.getByTestId('team-input-hours').selectOption(hours.id);
    await teamRow.getByTestId('team-save').click();
    await teamRow.locator(`[data-testid="team-hours"][data-hours-id="${hours.id}"]`).filter({ hasText: hoursName }).waitFor(live);
    await admin.screenshot({ path: path.join(screenshots, 'admin-teams-hours.png'), fullPage: true });
    const teams = await system.request('GET', '/api/teams', { token: adminToken });
    expect((teams.body.teams as { id: string; businessHoursId: string | null }[]).find((team) => team.id === specialists.id)?.businessHoursId).toBe(hours.id);

    // Deleting a team with members: the server's 409 says why, and the team stays.
    const frontline = await system.db.team.findFirstOrThrow({ where: { name: 'Frontline' } });
    const frontlineRow = admin.locator(`[data-testid="team-row"][data-team-id="${frontline.id}"]`);
    await frontlineRow.getByTestId('team-delete').click();
    await frontlineRow.getByTestId('team-delete-confirm').click();
    await frontlineRow
      .getByTestId('team-delete-error')
      .filter({ hasText: /member/ })
      .waitFor(live);
    expect(await system.db.team.count({ where: { id: frontline.id } })).toBe(1);

    // --- An API key: shown once, then only its prefix.
    await admin.getByTestId('admin-nav-adminApiKeys').click();
    await admin.waitForURL(/#\/admin\/api-keys$/, live);
    await admin.getByTestId('api-key-new').click();
    const keyForm = admin.getByTestId('api-key-form');
    await keyForm.waitFor();
    expect(await focusedTestId(admin)).toBe('api-key-name');
    await keyForm.getByTestId('api-key-name').fill('Shop sync');
    await keyForm.getByTestId('api-key-create').click();
    await keyForm.getByTestId('api-key-error-scopes').waitFor();
    await keyForm.getByTestId('api-key-scope-tickets:read').check();
    await keyForm.getByTestId('api-key-create').click();
    const once = admin.getByTestId('api-key-once');
    await once.waitFor(live);
    const key = await once.getByTestId('api-key-value').inputValue();
    expect(key.length).toBeGreaterThan(20);
    expect(await focusedTestId(admin)).toBe('api-key-value');
    const stored = await system.db.apiKey.findFirstOrThrow({ where: { name: 'Shop sync' } });
    const keyRow = admin.locator(`[data-testid="api-key-row"][data-key-id="${stored.id}"]`);
    await keyRow.getByTestId('api-key-prefix').filter({ hasText: stored.prefix }).waitFor();
    await admin.screenshot({ path: path.join(screenshots, 'admin-api-keys.png') });
    await once.getByTestId('api-key-done').click();
    await once.waitFor({ state: 'detached' });
    // Gone from the page, also after a reload: the list has only the prefix.
    await admin.reload();
    await keyRow.getByTestId('api-key-prefix').waitFor(live);
    expect(await admin.content()).not.toContain(key);
    expect(key.startsWith(stored.prefix)).toBe(true);

    // The key works within its scope.
    expect((await system.request('GET', '/api/tickets', { token: key })).status).toBe(200);

    // Revoked after a confirmation: it stops working.
    await keyRow.getByTestId('api-key-revoke').click();
    await keyRow.getByTestId('api-key-revoke-confirm').click();
    await admin.locator(`[data-testid="api-key-row"][data-key-id="${stored.id}"][data-revoked="true"]`).waitFor(live);
    expect((await system.request('GET', '/api/tickets', { token: key })).status).toBe(401);

    // --- The audit log, newest first: the key's revocation and creation, the team, the hours, the agent.
    await admin.getByTestId('admin-nav-adminAudit').click();
    await admin.waitForURL(/#\/admin\/audit$/, live);
    const events = admin.getByTestId('audit-event');
    await events.first().waitFor(live);
    const types = async () => events.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type')));
    expect((await types()).slice(0, 5)).toEqual(['api_key.revoked', 'api_key.created', 'team.updated', 'business_hours.created', 'agent.updated']);
    await events.first().getByTestId('audit-actor').filter({ hasText: 'Ada Admin' }).waitFor();
    // What happened in words, not the event type.
    expect(await admin.getByTestId('audit-type').evaluateAll((cells) => cells.slice(0, 2).map((cell) => cell.textContent?.trim()))).toEqual([
      'API key revoked',
      'API key created',
    ]);
    await events.nth(4).getByTestId('audit-subject').filter({ hasText: 'Alex Agent' }).waitFor();

    // A page holds 50; "load more" asks for the events before the last one shown.
    expect(await events.count()).toBe(50);
    await admin.getByTestId('audit-load-more').click();
    await expect.poll(() => events.count(), live).toBeGreaterThan(50);
    const ids = (await events.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-event-id')))).map((id) => BigInt(id!));
    expect(ids.every((id, i) => i === 0 || id < ids[i - 1]!)).toBe(true);

    // Filtered to agents: the agent's change with its before/after.
    await admin.getByTestId('audit-family').selectOption('agent');
    await expect.poll(types, live).toEqual(['agent.updated']);
    await events.first().getByTestId('audit-toggle').click();
    const capacity = admin.locator('[data-testid="audit-diff-row"][data-field="capacity"]');
    await capacity.waitFor();
    expect(await capacity.getAttribute('data-changed')).toBe('true');
    expect(await capacity.locator('.before').textContent()).toBe(String(alex.capacity));
    expect(await capacity.locator('.after').textContent()).toBe(String(alex.capacity + 3));
    await admin.getByTestId('audit-family').selectOption('api_key');
    await expect.poll(types, live).toEqual(['api_key.revoked', 'api_key.created']);
    await admin.getByTestId('audit-subject').first().filter({ hasText: 'Shop sync' }).waitFor();
    await events.nth(1).getByTestId('audit-toggle').click();
    await admin.locator('[data-testid="audit-diff-row"][data-field="prefix"][data-changed="true"]').waitFor();
    await admin.screenshot({ path: path.join(screenshots, 'admin-audit.png') });

    // Both languages.
    await admin.getByTestId('language-select').selectOption('zh-CN');
    await admin.getByTestId('admin-nav-adminAudit').filter({ hasText: '审计日志' }).waitFor();
    await admin.getByTestId('nav-admin').filter({ hasText: '管理' }).waitFor();
  });

  it("an admin sets the bot's threshold and the web chat's allowed origins", async () => {
    const adminToken = await system.login('admin@seamless.local');
    const admin = await newPage();
    await signIn(admin, 'admin@seamless.local', 'Ada Admin');

    // AI & self-service: the threshold's meaning in plain words as it is typed.
    await admin.goto(`${system.url}/#/admin/self-service`);
    const form = admin.getByTestId('self-service-form');
    await form.waitFor(live);
    await form.getByTestId('self-service-threshold').fill('1.5');
    await form.locator('[data-testid="self-service-threshold-hint"][data-hint="invalid"]').waitFor();
    await form.getByTestId('self-service-threshold').fill('0.9');
    await form.locator('[data-testid="self-service-threshold-hint"][data-hint="strict"]').waitFor();
    await form.getByTestId('self-service-enabled').check();
    await form.getByTestId('self-service-save').click();
    await form.getByTestId('self-service-saved').waitFor(live);
    const settings = await system.request('GET', '/api/settings/self-service', { token: adminToken });
    expect(settings.body.selfService).toMatchObject({ enabled: true, threshold: 0.9 });
    await admin.getByTestId('ai-provider').waitFor(live);
    // The calibration, measured again at the saved threshold, and "Recalibrate now".
    const calibration = admin.getByTestId('calibration');
    await calibration.getByTestId('calibration-en').getByTestId('calibration-coverage').filter({ hasText: '0.90' }).waitFor(live);
    await calibration.getByTestId('calibration-recalibrate').click();
    await calibration.getByTestId('calibration-requested').waitFor(live);
    await admin.screenshot({ path: path.join(screenshots, 'admin-self-service.png') });

    // Channels: a bad origin is refused beside the field, a good one saved.
    await admin.getByTestId('admin-nav-adminChannels').click();
    const webChat = admin.locator('[data-testid="channel-row"][data-kind="web_chat"]').first();
    await webChat.getByTestId('channel-edit').click();
    const origins = webChat.getByTestId('channel-input-origins');
    const before = await origins.inputValue();
    await origins.fill(`${before}\nhttps://shop.example/path`);
    await webChat.getByTestId('channel-save').click();
    await webChat
      .getByTestId('channel-error-settings')
      .filter({ hasText: /origin/ })
      .waitFor(live);
    await origins.fill(`${before}\nhttps://shop.example`);
    await webChat.getByTestId('channel-save').click();
    await webChat.getByTestId('channel-saved').waitFor(live);
    const channels = await system.request('GET', '/api/channels', { token: adminToken });
    const saved = (channels.body.channels as { kind: string; settings: { allowedOrigins?: string[] } }[]).find((channel) => channel.kind === 'web_chat');
    expect(saved?.settings.allowedOrigins).toContain('https://shop.example');
  });
});
