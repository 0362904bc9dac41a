// The Webhooks admin screen (issue 22 part 4) in a real browser: an admin creates an endpoint
// with the event type picker, sees its secret once, sends a test event to a real local receiver
// and sees it delivered in the endpoint's delivery log, a page at a time.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleInBrowser, live } from './support/console-browser.js';
import { freePort } from './support/free-port.js';

const ui = consoleInBrowser({}, { outboundAllowedHosts: ['127.0.0.1'] });
const { newPage, signIn } = ui;

const received: { eventId: string; type: string }[] = [];
let port: number;
let receiver: http.Server;

beforeAll(async () => {
  port = await freePort();
  receiver = http.createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ eventId: String(request.headers['seamless-event-id']), type: (JSON.parse(raw) as { type: string }).type });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', () => resolve()));
});
afterAll(() => new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve())));

describe('the Webhooks screen in Chromium', () => {
  it('creates an endpoint, shows its secret once, and logs a test event delivered to the receiver', async () => {
    const admin = await newPage();
    await signIn(admin, 'admin@seamless.local', 'Ada Admin');
    await admin.getByTestId('nav-admin').click();
    await admin.getByTestId('admin-nav-adminWebhooks').filter({ hasText: 'Webhooks' }).click();
    await admin.waitForURL(/#\/admin\/webhooks$/, live);

    await admin.getByTestId('webhook-new').click();
    await admin.getByTestId('webhook-url').fill(`http://127.0.0.1:${port}/hooks/seamless`);
    await admin.getByTestId('webhook-description').fill('Order system');
    // No event type: said in words, nothing saved.
    await admin.getByTestId('webhook-save').click();
    await admin.getByTestId('webhook-error-events').filter({ hasText: 'Pick at least one event type.' }).waitFor(live);
    await admin.getByTestId('webhook-event-message.created').check();
    await admin.getByTestId('webhook-event-ticket.updated').check();
    await admin.getByTestId('webhook-save').click();

    const secret = await admin.getByTestId('webhook-secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await admin.getByTestId('webhook-secret-done').click();
    expect(await admin.getByTestId('webhook-secret-once').count()).toBe(0);
    const row = admin.getByTestId('webhook-row').filter({ hasText: `127.0.0.1:${port}/hooks/seamless` });
    await row.waitFor(live);
    expect(await row.getByTestId('webhook-state').textContent()).toBe('On');

    await row.getByTestId('webhook-test').click();
    const log = admin.getByTestId('webhook-deliveries');
    await log.getByTestId('webhook-delivery').filter({ hasText: 'ping' }).waitFor(live);
    // Delivered: the log says so once refreshed, and the receiver has it under the logged id.
    await expect
      .poll(async () => {
        await log.getByTestId('webhook-log-refresh').click();
        return log.locator('[data-testid="webhook-delivery"][data-status="delivered"]').count();
      }, live)
      .toBe(1);
    const eventId = await log.getByTestId('webhook-delivery').first().locator('code').textContent();
    expect(received).toContainEqual({ eventId, type: 'ping' });
    expect(await log.getByTestId('webhook-redeliver').count()).toBe(1);

    // A longer log comes a page (25) at a time, newest first; "Show older" adds the next page.
    const endpoint = await ui.system.db.webhookEndpoint.findFirstOrThrow({ where: { url: `http://127.0.0.1:${port}/hooks/seamless` } });
    await ui.system.db.webhookDelivery.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({
        endpointId: endpoint.id,
        eventKey: `ping_older_${i}`,
        type: 'ping',
        lane: 'unordered',
        status: 'delivered' as const,
        finishedAt: new Date(),
      })),
    });
    await log.getByTestId('webhook-log-refresh').click();
    await expect.poll(() => log.getByTestId('webhook-delivery').count(), live).toBe(25);
    expect(await log.getByTestId('webhook-delivery').first().locator('code').textContent()).toBe('ping_older_29');
    await log.getByTestId('webhook-log-older').click();
    await expect.poll(() => log.getByTestId('webhook-delivery').count(), live).toBe(31);
    expect(await log.getByTestId('webhook-delivery').last().locator('code').textContent()).toBe(eventId);
    expect(await log.getByTestId('webhook-log-older').count()).toBe(0);
  });
});
