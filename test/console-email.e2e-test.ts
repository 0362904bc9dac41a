// Email in the console, in Chromium on the real stack (issue 17): mail posted to the inbound
// webhook shows in the agent's conversation view with its headers, and its original — hostile
// HTML with a script, event handlers, a javascript: link and a remote tracking image — renders
// sanitised: nothing runs, no dialog opens, and the image is not requested from its server until
// the agent clicks "Show images" — then by this server's image proxy, never by the browser (the
// image server is on 127.0.0.1, which OUTBOUND_ALLOWED_HOSTS names here as an operator would).
// The console's Content-Security-Policy loads no remote image anywhere: a customer's markdown
// image in a chat, an article preview's, one put into the page call nobody. GBK and Big5 mail shows its Chinese as written, and a reply
// there shows its delivery live (not delivered: the test system has no SMTP server). On the
// Channels screen an admin generates the webhook's secret, shown once, and mail posted with it
// to the URL shown there is taken; "Test connection" of the IMAP form says why a login failed.
// Screenshots go to test-artifacts/screenshots/.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleInBrowser, live, screenshots } from './support/console-browser.js';
import { big5Mail, big5MailText, gbkMail, gbkMailText, pngBytes } from './support/mail-samples.js';

const ui = consoleInBrowser({ viewport: { width: 1440, height: 900 } }, { outboundAllowedHosts: ['127.0.0.1'] });

/** A stand-in for a sender's image server: counts what the browser asks it for. */
let imageServer: Server;
let imageUrl: string;
const imageRequests: string[] = [];
/** The User-Agent of each request to it: the browser's, or the image proxy's. */
const imageRequestAgents: string[] = [];
let channelId: string;
let secret: string;

beforeAll(async () => {
  imageServer = createServer((req, res) => {
    imageRequests.push(req.url ?? '');
    imageRequestAgents.push(req.headers['user-agent'] ?? '');
    res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' }).end(pngBytes);
  });
  await new Promise<void>((resolve) => imageServer.listen(0, '127.0.0.1', resolve));
  imageUrl = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}/pixel.png?u=victim`;

  const { system } = ui;
  const channel = await system.db.channel.findFirstOrThrow({ where: { kind: 'email' } });
  channelId = channel.id;
  await system.db.channel.update({ where: { id: channelId }, data: { enabled: true } });
  const admin = await system.login('admin@seamless.local');
  const rotated = await system.request('POST', `/api/channels/${channelId}/inbound-email-secret`, { token: admin });
  expect(rotated.status).toBe(200);
  secret = rotated.body.secret as string;
});
afterAll(async () => {
  await new Promise<void>((resolve) => (imageServer ? imageServer.close(() => resolve()) : resolve()));
});

/** Posts raw MIME to the webhook, as a mail provider would; the conversation it became. */
async function mailIn(raw: Buffer): Promise<string> {
  const response = await fetch(`${ui.system.url}/api/inbound/email/${channelId}`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': secret },
    body: new Uint8Array(raw),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { conversationId: string }).conversationId;
}

/** HTML that tries to run code three ways and to track the reader, above a Gmail-style quoted history. */
const hostileMail = () =>
  Buffer.from(
    [
      'From: Mallory Sender <mallory@evil.example>',
      'To: support@seamless.local',
      'Cc: eve@evil.example',
      'Subject: Invoice overdue',
      'Message-ID: <hostile-console-1@evil.example>',
      'Date: Sun, 6 Dec 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<html><head><script>window.top.__pwned = "script"; alert("script")</script></head>',
      '<body onload="window.top.__pwned = \'onload\'">',
      '<p>Please pay the attached invoice today.</p>',
      `<img src="${imageUrl}" width="40" height="40" alt="logo" onerror="window.top.__pwned = 'onerror'; alert('onerror')">`,
      '<img src="x" onerror="window.top.__pwned = \'onerror2\'; alert(2)">',
      '<p><a id="js-link" href="javascript:window.top.__pwned = \'link\'; alert(3)">Pay now</a></p>',
      '<div class="gmail_quote"><div class="gmail_attr">On Sat, Dec 5, 2026 Support wrote:</div>',
      '<blockquote class="gmail_quote">Your earlier invoice was paid, thank you.</blockquote></div>',
      '</body></html>',
      '',
    ].join('\r\n'),
  );

async function openConversation(page: Page, conversationId: string) {
  await page.goto(`${ui.system.url}/#/inbox/all/${conversationId}`);
  await page.locator(`[data-testid="conversation-pane"][data-conversation-id="${conversationId}"]`).waitFor(live);
  await page.getByTestId('email-message').first().waitFor(live);
}

describe('email in the console (Chromium)', () => {
  it('shows a hostile mail sanitised: no script runs, no dialog, the remote image only after "Show images"', async () => {
    const conversationId = await mailIn(hostileMail());
    const page = await ui.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await ui.signIn(page, 'admin@seamless.local', 'Ada Admin');
    await openConversation(page, conversationId);

    // The header names the channel and the subject; the message its mail's headers.
    await expect.poll(() => page.getByTestId('conversation-channel').getAttribute('data-kind'), live).toBe('email');
    expect(await page.getByTestId('conversation-subject').textContent()).toContain('Invoice overdue');
    const email = page.getByTestId('email-message').first();
    expect(await email.getByTestId('email-subject').textContent()).toBe('Invoice overdue');
    expect(await email.getByTestId('email-from').textContent()).toBe('mallory@evil.example');
    expect(await email.getByTestId('email-cc').textContent()).toBe('eve@evil.example');
    expect(await email.getByTestId('message-body').textContent()).toContain('Please pay the attached invoice today.');
    expect(await page.getByTestId('reply-email-hint').textContent()).toContain('mallory@evil.example');

    await email.getByTestId('email-original-toggle').click();
    const frameElement = page.getByTestId('email-original-frame');
    await frameElement.waitFor(live);
    expect(await frameElement.getAttribute('sandbox')).not.toContain('allow-scripts');
    const frame = page.frameLocator('[data-testid="email-original-frame"]');
    await frame.locator('text=Please pay the attached invoice today.').waitFor(live);
    // Quoted history collapsed until asked for.
    expect(await frame.locator('body').textContent()).not.toContain('Your earlier invoice was paid');
    await page.getByTestId('email-quoted-toggle').click();
    await frame.locator('text=Your earlier invoice was paid').waitFor(live);

    // Nothing ran: no flag set in the console's window or the frame's, no dialog, no handler
    // attributes or javascript: link left in the markup.
    expect(await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned)).toBeUndefined();
    const inFrame = await frameElement.elementHandle().then((handle) => handle!.contentFrame());
    expect(await inFrame!.evaluate(() => (globalThis as { __pwned?: string }).__pwned)).toBeUndefined();
    const markup = await inFrame!.evaluate(() => (globalThis as unknown as { document: { body: { innerHTML: string } } }).document.body.innerHTML);
    expect(markup).not.toMatch(/<script|onerror|onload|javascript:/i);
    expect(await frame.locator('a', { hasText: 'Pay now' }).getAttribute('href')).toBeNull();
    expect(dialogs).toEqual([]);

    // The tracking image was not fetched on open; it is after the click, and only then — by the
    // server's image proxy, not the agent's browser — and shows as a data: URL.
    expect(imageRequests).toEqual([]);
    await page.getByTestId('email-images-blocked').waitFor(live);
    await page.screenshot({ path: path.join(screenshots, 'console-email-original.png') });
    await page.getByTestId('email-show-images').click();
    await expect.poll(() => imageRequests.length, live).toBeGreaterThan(0);
    expect(imageRequests[0]).toBe('/pixel.png?u=victim');
    await expect.poll(() => frame.locator('img[alt="logo"]').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), live).toBe(1);
    expect(await frame.locator('img[alt="logo"]').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(imageRequestAgents).toEqual(imageRequests.map(() => 'SeamlessImageProxy/1.0'));
    expect(await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it("shows the mail's own inline image at once, with no click and nothing remote", async () => {
    const inlineMail = Buffer.from(
      [
        'From: Ivy Chart <ivy@example.com>',
        'To: support@seamless.local',
        'Subject: The chart, inline',
        'Message-ID: <inline-image-1@example.com>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/related; boundary="rel"',
        '',
        '--rel',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>See the chart:</p><img src="cid:chart@example.com" alt="chart">',
        '--rel',
        'Content-Type: image/png',
        'Content-ID: <chart@example.com>',
        'Content-Disposition: inline; filename="chart.png"',
        'Content-Transfer-Encoding: base64',
        '',
        pngBytes.toString('base64'),
        '--rel--',
        '',
      ].join('\r\n'),
    );
    const conversationId = await mailIn(inlineMail);
    const page = await ui.newPage();
    await ui.signIn(page, 'admin@seamless.local', 'Ada Admin');
    await openConversation(page, conversationId);
    await page.getByTestId('email-original-toggle').first().click();
    const frame = page.frameLocator('[data-testid="email-original-frame"]');
    await frame.locator('text=See the chart:').waitFor(live);
    await expect.poll(() => frame.locator('img[alt="chart"]').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), live).toBe(1);
    expect(await page.getByTestId('email-show-images').count()).toBe(0);
  });

  it("loads no remote image in the console: a customer's markdown image in a chat, an article preview's, one put into the page", async () => {
    const chatImage = imageUrl.replace('u=victim', 'u=chat');
    const articleImage = imageUrl.replace('u=victim', 'u=article');
    const pageImage = imageUrl.replace('u=victim', 'u=page');
    const visitor = await ui.system.visitor('Markdown tracker');
    const started = await ui.system.request('POST', '/api/widget/conversations', {
      token: visitor.token,
      body: { body: `Look at this ![x](${chatImage})` },
    });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id as string;

    const page = await ui.newPage();
    await ui.signIn(page, 'admin@seamless.local', 'Ada Admin');
    await page.goto(`${ui.system.url}/#/inbox/all/${conversationId}`);
    const pane = page.locator(`[data-testid="conversation-pane"][data-conversation-id="${conversationId}"]`);
    await pane.waitFor(live);
    await expect.poll(() => pane.getByTestId('message-body').first().textContent(), live).toContain(`![x](${chatImage})`);
    expect(await pane.locator('img').count()).toBe(0);

    // An image put into the console's own page, as any rendering of a remote URL would make: the
    // console's policy (img-src 'self' data:) refuses it before a request leaves the browser.
    type Img = { src: string; onload: () => void; onerror: () => void };
    type Doc = { createElement(tag: 'img'): Img; body: { append(node: Img): void } };
    const loaded = await page.evaluate(
      (src) =>
        new Promise<string>((resolve) => {
          const document = (globalThis as unknown as { document: Doc }).document;
          const img = document.createElement('img');
          img.onload = () => resolve('loaded');
          img.onerror = () => resolve('refused');
          img.src = src;
          document.body.append(img);
        }),
      pageImage,
    );
    expect(loaded).toBe('refused');

    // The knowledge editor's live preview renders markdown images: blank, never requested.
    await page.goto(`${ui.system.url}/#/knowledge/new`);
    await page.locator('[data-testid="article-editor"][data-article-id="new"]').waitFor(live);
    await page.getByTestId('article-body').fill(`A logo: ![tracker](${articleImage})`);
    const preview = page.getByTestId('article-preview').locator('img[alt="tracker"]');
    await preview.waitFor(live);
    await expect
      .poll(
        () => preview.evaluate((img) => [(img as unknown as { complete: boolean }).complete, (img as unknown as { naturalWidth: number }).naturalWidth]),
        live,
      )
      .toEqual([true, 0]);

    expect(imageRequests.filter((url) => /u=(?:chat|article|page)/.test(url))).toEqual([]);
  });

  it('shows GBK and Big5 mail in its Chinese, in the message and in the original; a reply shows its delivery', async () => {
    const gbk = await mailIn(gbkMail);
    const big5 = await mailIn(big5Mail);
    const page = await ui.newPage({ locale: 'zh-CN' });
    await ui.signIn(page, 'admin@seamless.local', 'Ada Admin');

    await openConversation(page, gbk);
    const gbkEmail = page.getByTestId('email-message').first();
    expect(await gbkEmail.getByTestId('email-subject').textContent()).toBe('订单未发货');
    expect(await gbkEmail.getByTestId('message-body').textContent()).toBe(gbkMailText);
    await gbkEmail.getByTestId('email-original-toggle').click();
    await expect.poll(() => gbkEmail.getByTestId('email-original-text').textContent(), live).toContain('镕旻');
    expect(await gbkEmail.getByTestId('email-original-toggle').textContent()).toContain('收起原始邮件');

    await openConversation(page, big5);
    const big5Email = page.getByTestId('email-message').first();
    expect(await big5Email.getByTestId('message-body').textContent()).toBe(big5MailText);
    await big5Email.getByTestId('email-original-toggle').click();
    await expect.poll(() => big5Email.getByTestId('email-original-text').textContent(), live).toContain('請問退貨流程是什麼');
    expect(await page.getByTestId('conversation-channel').textContent()).toContain('邮件');

    // A reply here leaves as mail; with no SMTP server configured it is marked not delivered, live.
    expect(await page.getByTestId('reply-email-hint').textContent()).toContain('chen@example.tw');
    await page.getByTestId('reply-box').fill('您好，退货流程请见附件说明。');
    await page.getByTestId('send-button').click();
    const reply = page.locator('[data-testid="message-item"][data-author-kind="agent"]', { hasText: '退货流程请见附件说明' });
    await expect.poll(() => reply.getByTestId('delivery-status').getAttribute('data-status'), live).toBe('failed');
    expect(await reply.getByTestId('delivery-status').textContent()).toContain('未送达');
  });

  it("gives an admin the email channel's forward address, webhook URL, a secret shown once that the webhook takes, and an IMAP connection test", async () => {
    const page = await ui.newPage();
    await ui.signIn(page, 'admin@seamless.local', 'Ada Admin');
    await page.goto(`${ui.system.url}/#/admin/channels`);
    const row = page.locator(`[data-testid="channel-row"][data-channel-id="${channelId}"]`);
    await row.waitFor(live);
    expect(await row.getByTestId('channel-email-address').textContent()).toBe('support@seamless.local');
    const url = (await row.getByTestId('channel-webhook-url').textContent()) ?? '';
    expect(url).toBe(`${ui.system.url}/api/inbound/email/${channelId}`);
    await row.getByTestId('channel-secret-generate').click();
    const shown = await row.getByTestId('channel-secret-value').inputValue();
    expect(shown).toMatch(/^whsec_/);
    await page.screenshot({ path: path.join(screenshots, 'console-email-channel.png') });
    await row.getByTestId('channel-secret-done').click();
    expect(await row.getByTestId('channel-secret-value').count()).toBe(0);

    const post = (key: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': key },
        body: new Uint8Array(Buffer.from(hostileMail().toString('utf8').replace('hostile-console-1@', 'channel-screen-1@'))),
      });
    // IMAP: "Test connection" logs in with what the form says and says why it could not.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await row.getByTestId('imap-edit').click();
    await row.getByTestId('imap-input-host').fill('127.0.0.1');
    await row.getByTestId('imap-input-port').fill(String(closedPort));
    await row.getByTestId('imap-input-tls').selectOption('none');
    await row.getByTestId('imap-input-username').fill('support');
    await row.getByTestId('imap-input-password').fill('not-the-password');
    await row.getByTestId('imap-test').click();
    const result = row.getByTestId('imap-test-result');
    await result.waitFor(live);
    expect(await result.getAttribute('data-ok')).toBe('false');
    // Refused by the outbound guard (a loopback address) or by the closed port: either way named.
    expect(await result.textContent()).toMatch(/^Connection failed \((?:host_not_allowed|connect_failed)\): \S/);
    await row.getByTestId('imap-cancel').click();

    // The secret shown works; the one generated before it no longer does.
    expect((await post(secret)).status).toBe(401);
    expect((await post(shown)).status).toBe(202);
    secret = shown;
  });
});
