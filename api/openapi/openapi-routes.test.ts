// The documentation page loads from this server alone: the page, its script and Swagger UI's
// files answer 200 under the API's CSP (no inline script), and the document is served at
// /api/openapi.json and /api/v1/openapi.json. No database: these routes read none.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { ApiDeps } from '../deps.js';

let server: Server;
let base: string;

beforeAll(async () => {
  const app = createApp({ db: {}, temporal: {}, taskQueue: 'unused', secret: 'unused', authenticate: async () => null, log: () => {} } as unknown as ApiDeps);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('the API documentation page', () => {
  it('is an HTML page whose scripts and styles all come from this server, with no inline script', async () => {
    const response = await fetch(`${base}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    const sources = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(sources).toEqual([
      '/api/docs/assets/favicon-32x32.png',
      '/api/docs/assets/swagger-ui.css',
      '/api/docs/assets/swagger-ui-bundle.js',
      '/api/docs/assets/swagger-ui-standalone-preset.js',
      '/api/docs/init.js',
    ]);
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]/);
    for (const source of sources) {
      const asset = await fetch(base + source);
      expect(asset.status, source).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, source).toBeGreaterThan(100);
    }
  });

  it('starts Swagger UI on the document of this server', async () => {
    const script = await fetch(`${base}/api/docs/init.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain("url: '/api/openapi.json'");
  });

  it('serves nothing else of swagger-ui-dist', async () => {
    const response = await fetch(`${base}/api/docs/assets/swagger-initializer.js`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
  });

  it('serves the OpenAPI 3.1 document, also under /api/v1/', async () => {
    for (const path of ['/api/openapi.json', '/api/v1/openapi.json']) {
      const response = await fetch(base + path);
      expect(response.status, path).toBe(200);
      const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
      expect(document.openapi).toBe('3.1.0');
      expect(document.paths['/api/conversations/{id}/messages']).toBeDefined();
    }
  });
});
