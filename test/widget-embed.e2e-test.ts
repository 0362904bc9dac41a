// The chat widget on the customer's own website (issue 18): a shop page on another origin includes
// /widget/loader.js with its channel and a signed identify call; the loader's iframe (Seamless's
// /widget/frame.html) shows the launcher, the visitor writes as the shop's user, the agent's reply
// shows in the embedded widget. The shop's origin is in the channel's allowed origins; a page on an
// origin that is not gets its frame refused (frame-ancestors), so no widget.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';
import { freePort } from './support/free-port.js';

const ui = consoleInBrowser();

/** A shop's page: the stub, the identify call (when given), the loader snippet as the Channels screen shows it. */
function shopPage(seamless: string, channelId: string, claim?: object): string {
  const identify = claim ? `Seamless('identify', ${JSON.stringify(claim)});` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body>
<h1>A shop</h1>
<script>
  window.Seamless = window.Seamless || function () { (window.Seamless.q = window.Seamless.q || []).push(arguments); };
  ${identify}
</script>
<script src="${seamless}/widget/loader.js" data-seamless-channel="${channelId}" async></script>
</body></html>`;
}

/** A web server on its own port (another origin than Seamless's) answering every path with `page()`. */
async function shopServer(page: () => string): Promise<{ server: Server; origin: string }> {
  const port = await freePort();
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page()));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  // localhost, not 127.0.0.1: another host as well as another port.
  return { server, origin: `http://localhost:${port}` };
}

let page = '';
let shop: { server: Server; origin: string };
let stranger: { server: Server; origin: string };
beforeAll(async () => {
  shop = await shopServer(() => page);
  stranger = await shopServer(() => page);
});
afterAll(async () => {
  await Promise.all([shop, stranger].map(({ server }) => new Promise((resolve) => server.close(resolve))));
});

describe('the widget embedded on another origin', () => {
  it('chats as the shop’s signed-in user in the loader’s frame, and is refused to a site not allowed', async () => {
    const { system } = ui;
    const admin = await system.login('admin@seamless.local');
    const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'web_chat' }, orderBy: { createdAt: 'asc' } });
    const rotated = await system.request('POST', `/api/channels/${channel.id}/identity-secret`, { token: admin });
    const secret = (rotated.body as { secret: string }).secret;
    const allowed = await system.request('PATCH', `/api/channels/${channel.id}`, {
      token: admin,
      body: { settings: { ...(channel.settings as object), allowedOrigins: [shop.origin] } },
    });
    expect(allowed.status).toBe(200);

    // The frame page names the allowed origins in frame-ancestors; the console's pages still refuse to be framed.
    const framePage = await fetch(`${system.url}/widget/frame.html?channel=${channel.id}&host=${encodeURIComponent(shop.origin)}`);
    expect(framePage.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${shop.origin}`);
    expect(framePage.headers.get('x-frame-options')).toBeNull();
    for (const other of ['/', '/widget.html']) {
      const response = await fetch(`${system.url}${other}`);
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'(;|$)/);
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }

    const claim = { userId: 'shop-9', email: 'li.na@example.com', name: 'Li Na', userHash: createHmac('sha256', secret).update('shop-9').digest('hex') };
    page = shopPage(system.url, channel.id, claim);
    const visitor = await ui.newPage();
    await visitor.goto(`${shop.origin}/`);
    const frameElement = visitor.locator('iframe[data-seamless-frame]');
    const widget = visitor.frameLocator('iframe[data-seamless-frame]');
    await widget.getByTestId('widget-launcher').click();
    // Opened, the loader grows the frame to the panel.
    await widget.getByTestId('widget-panel').waitFor(live);
    await expect.poll(async () => (await frameElement.boundingBox())?.width ?? 0, live).toBeGreaterThan(300);
    await widget.getByTestId('widget-input').fill('Is my parcel 2201 on its way?');
    await widget.getByTestId('widget-send').click();
    await widget.getByTestId('widget-message').filter({ hasText: 'Is my parcel 2201 on its way?' }).waitFor(live);

    // The identify call reached the frame: the conversation is the shop user's contact's.
    const customer = await system.db.customer.findFirstOrThrow({ where: { externalId: 'shop-9' } });
    expect(customer).toMatchObject({ email: 'li.na@example.com', name: 'Li Na' });
    const conversation = await system.db.conversation.findFirstOrThrow({ where: { customerId: customer.id } });
    const reply = await system.request('POST', `/api/conversations/${conversation.id}/messages`, {
      token: admin,
      body: { body: 'Yes, it left the warehouse this morning.' },
      headers: { 'Idempotency-Key': 'e2e-embed-reply' },
    });
    expect(reply.status).toBe(201);
    await widget.getByTestId('widget-message').filter({ hasText: 'Yes, it left the warehouse this morning.' }).waitFor(live);
    await visitor.screenshot({ path: path.join(screenshots, 'widget-embedded.png') });
    // Closed again, the frame shrinks back to the launcher.
    await widget.getByTestId('widget-close').click();
    await expect.poll(async () => (await frameElement.boundingBox())?.width ?? 999, live).toBeLessThan(100);

    // The same snippet on a site not in the allowed origins: the browser refuses the frame.
    const refused = await ui.newPage();
    await refused.addInitScript("document.addEventListener('load', (event) => { if (event.target.tagName === 'IFRAME') window.frameLoaded = true; }, true);");
    const blocked = refused.waitForEvent('console', { predicate: (message) => message.text().includes('frame-ancestors'), ...live });
    await refused.goto(`${stranger.origin}/`);
    expect((await blocked).text()).toContain(`Framing '${system.url}/' violates`);
    await refused.waitForFunction('window.frameLoaded === true', undefined, live);
    // The loader added its frame; the browser showed nothing of the widget in it.
    expect(await refused.locator('iframe[data-seamless-frame]').count()).toBe(1);
    expect(await refused.frameLocator('iframe[data-seamless-frame]').getByTestId('widget-launcher').count()).toBe(0);
  });
});
