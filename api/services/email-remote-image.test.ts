// fetchRemoteImage against an image server on 127.0.0.1 (allowed as OUTBOUND_ALLOWED_HOSTS would):
// which answers pass as images and which become which error code.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngBytes } from '../../test/support/mail-samples.js';
import { defaultRemoteImageLimits, fetchRemoteImage } from './email-remote-image.js';

const gifBytes = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
let server: Server;
let base: string;
const policy = { allowedHosts: ['127.0.0.1'] };
const limits = { ...defaultRemoteImageLimits, maxBytes: 1024, timeoutMs: 5_000 };

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/a.gif') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(gifBytes);
    else if (req.url === '/a.png') res.writeHead(200).end(pngBytes);
    else if (req.url === '/big.png') res.writeHead(200).end(Buffer.concat([pngBytes, Buffer.alloc(2048)]));
    else if (req.url === '/a.svg') res.writeHead(200, { 'content-type': 'image/svg+xml' }).end('<svg xmlns="http://www.w3.org/2000/svg"/>');
    else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else if (req.url === '/slow')
      res.writeHead(200).write(pngBytes.subarray(0, 8)); // never ends
    else res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  server.closeAllConnections();
});

describe('fetchRemoteImage', () => {
  it('answers raster images with the type their bytes show, whatever the server labelled', async () => {
    expect(await fetchRemoteImage(`${base}/a.gif`, policy, limits)).toEqual({ contentType: 'image/gif', body: gifBytes });
    expect((await fetchRemoteImage(`${base}/a.png`, policy, limits)).contentType).toBe('image/png');
  });

  it.each([
    ['/a.svg', 502, 'remote_image_not_image'],
    ['/big.png', 502, 'remote_image_too_large'],
    ['/loop', 502, 'remote_image_unavailable'],
    ['/gone', 502, 'remote_image_unavailable'],
  ])('refuses %s with %i %s', async (path, status, code) => {
    await expect(fetchRemoteImage(`${base}${path}`, policy, limits)).rejects.toMatchObject({ status, code });
  });

  it('gives up on an answer that does not end within the timeout', async () => {
    await expect(fetchRemoteImage(`${base}/slow`, policy, { ...limits, timeoutMs: 300 })).rejects.toMatchObject({
      status: 502,
      code: 'remote_image_unavailable',
    });
  });

  it('refuses an internal address the allow-list does not name, and a link-local one', async () => {
    await expect(fetchRemoteImage(`${base}/a.png`, { allowedHosts: [] }, limits)).rejects.toMatchObject({ status: 403, code: 'remote_image_refused' });
    await expect(fetchRemoteImage('http://169.254.169.254/latest/meta-data/', policy, limits)).rejects.toMatchObject({
      status: 403,
      code: 'remote_image_refused',
    });
  });
});
