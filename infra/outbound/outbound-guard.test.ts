// The outbound guard. No test here connects anywhere but loopback: refused requests never open a
// socket, and the allowed ones go to a receiver on 127.0.0.1.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  blockedRange,
  guardedGet,
  guardedRequest,
  OutboundRedirectsError,
  OutboundRefusedError,
  OutboundTooLargeError,
  outboundUrlProblem,
  parseAllowedHosts,
  strictOutboundPolicy,
  type OutboundPolicy,
} from './outbound-guard.js';

const post = { method: 'POST' as const, headers: { 'Content-Type': 'application/json' }, body: '{}', timeoutMs: 5_000 };

describe('blockedRange', () => {
  it.each([
    ['169.254.169.254', 'link-local'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.0.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.100.100.200', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd00:ec2::254', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::a9fe:a9fe', 'NAT64'],
    ['2002:7f00:1::', '6to4'],
  ])('refuses %s (%s)', (address, words) => {
    expect(blockedRange(address)).toContain(words);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])('lets the public address %s through', (address) => {
    expect(blockedRange(address)).toBeNull();
  });
});

describe('outboundUrlProblem (when a URL is saved)', () => {
  it.each([
    ['https://169.254.169.254/latest/meta-data/', 'link-local'],
    ['https://10.0.0.8/hook', 'private'],
    ['https://192.168.1.1/hook', 'private'],
    ['https://[::1]/hook', 'loopback'],
    ['https://[::ffff:7f00:1]/hook', 'loopback'],
    ['https://localhost/hook', 'internal host'],
    ['https://api.localhost/hook', 'internal host'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'internal host'],
    ['https://intranet/hook', 'internal host'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['https://0/', 'unspecified'],
    ['http://hooks.example.com/x', 'plain http://'],
    ['ftp://hooks.example.com/x', 'only https://'],
    ['file:///etc/passwd', 'only https://'],
    ['https://user:pw@hooks.example.com/x', 'credentials'],
    ['not a url', 'absolute URL'],
  ])('refuses %s (%s)', (url, words) => {
    expect(outboundUrlProblem(url, strictOutboundPolicy)).toContain(words);
  });

  it('accepts a public https URL', () => {
    expect(outboundUrlProblem('https://hooks.example.com/seamless?x=1', strictOutboundPolicy)).toBeNull();
  });

  it('lets an operator allow internal hosts by address, range or name (http too)', () => {
    const policy = { allowedHosts: parseAllowedHosts('127.0.0.1, 10.0.0.0/8 hooks.intranet [::1]') };
    expect(policy.allowedHosts).toEqual(['127.0.0.1', '10.0.0.0/8', 'hooks.intranet', '::1']);
    expect(outboundUrlProblem('http://127.0.0.1:8080/hook', policy)).toBeNull();
    expect(outboundUrlProblem('https://10.20.30.40/hook', policy)).toBeNull();
    expect(outboundUrlProblem('http://hooks.intranet/hook', policy)).toBeNull();
    expect(outboundUrlProblem('http://[::1]:9000/hook', policy)).toBeNull();
    expect(outboundUrlProblem('https://192.168.0.1/hook', policy)).toContain('private');
    expect(outboundUrlProblem('https://169.254.169.254/', policy)).toContain('link-local');
  });
});

describe('guardedRequest (at call time)', () => {
  const receiver = async (run: (port: number, calls: () => number) => Promise<void>) => {
    let calls = 0;
    const server = createServer((req, res) => {
      calls += 1;
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      await run((server.address() as AddressInfo).port, () => calls);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  };

  it('refuses 127.0.0.1 without the allow-list and reaches it with it', async () => {
    await receiver(async (port, calls) => {
      const url = `http://127.0.0.1:${port}/hook`;
      await expect(guardedRequest(url, post, strictOutboundPolicy)).rejects.toThrow(OutboundRefusedError);
      expect(calls()).toBe(0);
      await expect(guardedRequest(url, post, { allowedHosts: ['127.0.0.1'] })).resolves.toEqual({ status: 204 });
      expect(calls()).toBe(1);
    });
  });

  it('answers with the status without reading a body the receiver never ends', async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200);
      const timer = setInterval(() => res.write('x'.repeat(1024)), 5);
      res.on('close', () => clearInterval(timer));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      await expect(guardedRequest(url, { ...post, timeoutMs: 2_000 }, { allowedHosts: ['127.0.0.1'] })).resolves.toEqual({ status: 200 });
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });

  it('refuses a public-looking name that resolves to an internal address', async () => {
    const resolve = async () => [{ address: '169.254.169.254', family: 4 as const }];
    const refused = guardedRequest('https://hooks.attacker.example/x', post, { allowedHosts: [], resolve });
    await expect(refused).rejects.toThrow(OutboundRefusedError);
    await expect(guardedRequest('https://hooks.attacker.example/x', post, { allowedHosts: [], resolve })).rejects.toThrow(
      /resolves to 169\.254\.169\.254, a link-local address/,
    );
  });

  it('refuses when any of the addresses a name resolves to is internal', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 as const },
      { address: '10.0.0.7', family: 4 as const },
    ];
    await expect(guardedRequest('https://mixed.example.com/x', post, { allowedHosts: [], resolve })).rejects.toThrow(/10\.0\.0\.7, a private address/);
  });

  it('connects to exactly the address it checked, resolving once (no second lookup to rebind)', async () => {
    await receiver(async (port, calls) => {
      let lookups = 0;
      const policy: OutboundPolicy = {
        allowedHosts: ['127.0.0.1'],
        // The system resolver does not know this name: only the checked answer can be used.
        resolve: async () => {
          lookups += 1;
          return [{ address: '127.0.0.1', family: 4 }];
        },
      };
      await expect(guardedRequest(`http://receiver.seamless.test:${port}/hook`, post, policy)).resolves.toEqual({ status: 204 });
      expect(lookups).toBe(1);
      expect(calls()).toBe(1);
    });
  });
});

describe('guardedGet (a remote image for the console)', () => {
  const get = { headers: { Accept: 'image/*' }, timeoutMs: 5_000, maxBytes: 1024, maxRedirects: 2 };
  const allowLoopback: OutboundPolicy = { allowedHosts: ['127.0.0.1'] };

  /** A server on 127.0.0.1 answering by path; what it was asked for, in order. */
  const server = async (run: (base: string, asked: string[]) => Promise<void>) => {
    const asked: string[] = [];
    const receiver = createServer((req, res) => {
      asked.push(`${req.url} cookie=${req.headers.cookie ?? '-'} referer=${req.headers.referer ?? '-'}`);
      const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      if (req.url === '/image') res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('png bytes'));
      else if (req.url === '/hop') res.writeHead(302, { location: '/image' }).end();
      else if (req.url === '/loop') res.writeHead(301, { location: `${base}/loop` }).end();
      else if (req.url === '/inside') res.writeHead(302, { location: `http://127.0.0.2:${(receiver.address() as AddressInfo).port}/image` }).end();
      else if (req.url === '/metadata') res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      else if (req.url === '/declared-large') res.writeHead(200, { 'content-length': '4096' }).end('x'.repeat(4096));
      else if (req.url === '/streamed-large') {
        res.writeHead(200);
        const timer = setInterval(() => res.write('x'.repeat(512)), 5);
        res.on('close', () => clearInterval(timer));
      } else res.writeHead(404).end();
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    try {
      await run(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}`, asked);
    } finally {
      receiver.close();
      receiver.closeAllConnections();
    }
  };

  it('reads the answer of an allowed host, sending no cookie or referer, and refuses it without the allow-list', async () => {
    await server(async (base, asked) => {
      await expect(guardedGet(`${base}/image`, get, strictOutboundPolicy)).rejects.toThrow(OutboundRefusedError);
      expect(asked).toEqual([]);
      const answer = await guardedGet(`${base}/image`, get, allowLoopback);
      expect(answer).toMatchObject({ status: 200, url: `${base}/image` });
      expect(answer.body.toString()).toBe('png bytes');
      expect(asked).toEqual(['/image cookie=- referer=-']);
    });
  });

  it('follows a redirect, checking its target again: inside addresses are refused however they are reached', async () => {
    await server(async (base, asked) => {
      expect((await guardedGet(`${base}/hop`, get, allowLoopback)).body.toString()).toBe('png bytes');
      expect(asked.map((line) => line.split(' ')[0])).toEqual(['/hop', '/image']);
      await expect(guardedGet(`${base}/inside`, get, allowLoopback)).rejects.toThrow(/127\.0\.0\.2 is a loopback address/);
      await expect(guardedGet(`${base}/metadata`, get, allowLoopback)).rejects.toThrow(/link-local/);
      // The refused hops were never called.
      expect(asked.map((line) => line.split(' ')[0])).toEqual(['/hop', '/image', '/inside', '/metadata']);
    });
  });

  it('gives up after maxRedirects redirects', async () => {
    await server(async (base, asked) => {
      await expect(guardedGet(`${base}/loop`, get, allowLoopback)).rejects.toThrow(OutboundRedirectsError);
      expect(asked).toHaveLength(get.maxRedirects + 1);
    });
  });

  it('refuses a body larger than maxBytes, declared or streamed', async () => {
    await server(async (base) => {
      await expect(guardedGet(`${base}/declared-large`, get, allowLoopback)).rejects.toThrow(OutboundTooLargeError);
      await expect(guardedGet(`${base}/streamed-large`, get, allowLoopback)).rejects.toThrow(OutboundTooLargeError);
    });
  });
});
