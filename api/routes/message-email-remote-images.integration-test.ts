// GET /api/conversations/:id/messages/:messageId/email/remote-images/:index in-process: the
// server fetches the index-th remote image of that stored mail — from an image server on
// 127.0.0.1, which OUTBOUND_ALLOWED_HOSTS names here as an operator would — and answers only a
// raster image; the same URL without the allow-list is refused, as in production. Authorised like
// the mail's original.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startCustomerConversation } from '../../test/support/fixtures.js';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';
import { pngBytes } from '../../test/support/mail-samples.js';

/** A sender's image server: what it was asked for, with the headers that came. */
let imageServer: Server;
let imageBase: string;
const asked: { url: string; headers: IncomingHttpHeaders }[] = [];

let allowing: InProcessApi;
let strict: InProcessApi;

beforeAll(async () => {
  imageServer = createServer((req, res) => {
    asked.push({ url: req.url ?? '', headers: req.headers });
    const path = (req.url ?? '').split('?')[0];
    if (path === '/pixel.png') res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': 'tracker=1' }).end(pngBytes);
    else if (path === '/hop') res.writeHead(302, { location: '/pixel.png?from=hop' }).end();
    else if (path === '/vector.svg')
      res.writeHead(200, { 'content-type': 'image/png' }).end('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    else if (path === '/page.html') res.writeHead(200, { 'content-type': 'image/png' }).end('<!doctype html><html><body>Not an image</body></html>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => imageServer.listen(0, '127.0.0.1', resolve));
  imageBase = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}`;
  [allowing, strict] = await Promise.all([startInProcessApi({ outboundAllowedHosts: ['127.0.0.1'] }), startInProcessApi()]);
});
afterAll(async () => {
  await Promise.all([allowing?.stop(), strict?.stop()]);
  await new Promise<void>((resolve) => (imageServer ? imageServer.close(() => resolve()) : resolve()));
});

/** A mail with six remote images (one twice): the pixel, a redirect to it, an SVG, an HTML page, a missing one. */
const imagesMail = (messageId: string) =>
  Buffer.from(
    [
      'From: Sender <sender@images.example>',
      'To: support@seamless.local',
      'Subject: Our newsletter',
      `Message-ID: <${messageId}@images.example>`,
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Hello</p>',
      `<img src="${imageBase}/pixel.png?u=victim&amp;n=1" alt="pixel">`,
      `<img src="${imageBase}/hop" alt="hop">`,
      `<img src="${imageBase}/pixel.png?u=victim&amp;n=1" alt="pixel again">`,
      `<img src="${imageBase}/vector.svg" alt="svg">`,
      `<img src="${imageBase}/page.html" alt="html">`,
      `<img src="${imageBase}/missing.png" alt="missing">`,
      '',
    ].join('\r\n'),
  );

/** Posts the mail to the API's inbound webhook; the conversation and message it became. */
async function mailIn(api: InProcessApi, raw: Buffer): Promise<{ conversationId: string; messageId: string }> {
  const admin = await api.login('admin@seamless.local');
  const channelId = (await api.db.channel.findFirstOrThrow({ where: { kind: 'email' } })).id;
  await api.db.channel.update({ where: { id: channelId }, data: { enabled: true } });
  const rotated = await api.request('POST', `/api/channels/${channelId}/inbound-email-secret`, { token: admin });
  const response = await fetch(`${api.url}/api/inbound/email/${channelId}`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': rotated.body.secret as string },
    body: new Uint8Array(raw),
  });
  expect(response.status).toBe(202);
  const { inboundEmailId } = (await response.json()) as { inboundEmailId: string };
  const row = await api.db.inboundEmail.findUniqueOrThrow({ where: { id: inboundEmailId } });
  return { conversationId: row.conversationId!, messageId: row.messageId! };
}

/** The raw answer (an image is no JSON), with its body as bytes or as parsed JSON. */
async function remoteImage(api: InProcessApi, mail: { conversationId: string; messageId: string }, index: number | string, token: string) {
  const response = await fetch(`${api.url}/api/conversations/${mail.conversationId}/messages/${mail.messageId}/email/remote-images/${index}`, {
    headers: { authorization: `Bearer ${token}`, cookie: 'console-session=secret' },
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = response.headers.get('content-type')?.includes('application/json') ? (JSON.parse(bytes.toString('utf8')) as { error: { code: string } }) : null;
  return { status: response.status, headers: response.headers, bytes, json };
}

describe('GET …/messages/:messageId/email/remote-images/:index (the image proxy)', () => {
  it("answers the mail's remote image as a raster image, fetched by the server with nothing of the agent's", async () => {
    const mail = await mailIn(allowing, imagesMail('proxy-ok'));
    const { agent } = await signIn(allowing, 'agent');
    asked.length = 0;
    const image = await remoteImage(allowing, mail, 0, agent);
    expect(image.status).toBe(200);
    expect(image.bytes.equals(pngBytes)).toBe(true);
    // The type sniffed from the bytes, not the sender's text/plain; kept privately, never sniffed again.
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('cache-control')).toBe('private, max-age=3600');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(image.headers.get('set-cookie')).toBeNull();
    // The URL as the mail wrote it (&amp; decoded); no token, cookie or Referer forwarded.
    expect(asked.map((call) => call.url)).toEqual(['/pixel.png?u=victim&n=1']);
    expect(asked[0]!.headers).not.toHaveProperty('authorization');
    expect(asked[0]!.headers).not.toHaveProperty('cookie');
    expect(asked[0]!.headers).not.toHaveProperty('referer');

    // Index 1 redirects to the pixel: followed. The pixel's second <img> is not numbered again,
    // so index 2 is the SVG, refused however it is labelled; so is an HTML page; a missing image is 502.
    expect((await remoteImage(allowing, mail, 1, agent)).bytes.equals(pngBytes)).toBe(true);
    expect(asked.map((call) => call.url).slice(1)).toEqual(['/hop', '/pixel.png?from=hop']);
    expect(await remoteImage(allowing, mail, 2, agent)).toMatchObject({ status: 502, json: { error: { code: 'remote_image_not_image' } } });
    expect(await remoteImage(allowing, mail, 3, agent)).toMatchObject({ status: 502, json: { error: { code: 'remote_image_not_image' } } });
    expect(await remoteImage(allowing, mail, 4, agent)).toMatchObject({ status: 502, json: { error: { code: 'remote_image_unavailable' } } });
    // Past the mail's images: 404, nothing fetched; not a number: 400.
    const before = asked.length;
    expect(await remoteImage(allowing, mail, 5, agent)).toMatchObject({ status: 404, json: { error: { code: 'not_found' } } });
    expect(await remoteImage(allowing, mail, '-1', agent)).toMatchObject({ status: 400, json: { error: { code: 'invalid_input' } } });
    expect(await remoteImage(allowing, mail, 'http%3A%2F%2F127.0.0.1%2F', agent)).toMatchObject({ status: 400, json: { error: { code: 'invalid_input' } } });
    expect(asked).toHaveLength(before);
  });

  it('refuses an image on 127.0.0.1 where OUTBOUND_ALLOWED_HOSTS does not name it, without calling it', async () => {
    const mail = await mailIn(strict, imagesMail('proxy-strict'));
    const { agent } = await signIn(strict, 'agent');
    asked.length = 0;
    expect(await remoteImage(strict, mail, 0, agent)).toMatchObject({ status: 403, json: { error: { code: 'remote_image_refused' } } });
    expect(asked).toEqual([]);
  });

  it('is authorised like the original: 404 to an agent who may not see the conversation, 403 to visitors, 404 for a chat message', async () => {
    const mail = await mailIn(allowing, imagesMail('proxy-permissions'));
    const { agent, expert, admin } = await signIn(allowing, 'agent', 'expert', 'admin');
    const specialists = await allowing.db.team.findUniqueOrThrow({ where: { name: 'Specialists' } });
    await allowing.db.conversation.update({ where: { id: mail.conversationId }, data: { teamId: specialists.id, assigneeId: null } });
    asked.length = 0;
    expect(await remoteImage(allowing, mail, 0, agent)).toMatchObject({ status: 404, json: { error: { code: 'not_found' } } });
    expect(asked).toEqual([]);
    expect((await remoteImage(allowing, mail, 0, expert)).status).toBe(200);
    const chat = await startCustomerConversation(allowing, { name: 'Image stranger' });
    expect(await remoteImage(allowing, mail, 0, chat.visitor.token)).toMatchObject({ status: 403 });
    expect((await remoteImage(allowing, { conversationId: chat.conversationId, messageId: chat.messageId }, 0, chat.visitor.token)).status).toBe(403);
    // A chat message has no mail, so no images; the mail's id under another conversation is not found.
    expect((await remoteImage(allowing, { conversationId: chat.conversationId, messageId: chat.messageId }, 0, admin)).status).toBe(404);
    expect((await remoteImage(allowing, { conversationId: chat.conversationId, messageId: mail.messageId }, 0, admin)).status).toBe(404);
  });
});
