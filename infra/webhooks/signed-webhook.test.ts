import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { OutboundRefusedError } from '../outbound/outbound-guard.js';
import { eventIdHeader, postSignedWebhook, signatureHeader, signWebhook, verifyWebhook, WebhookDeliveryError } from './signed-webhook.js';

const secret = 'whsec_test_secret';
const body = JSON.stringify({ type: 'conversation.resolved', conversationId: 'c-1' });
const t = 1_790_000_000;
const at = (seconds: number) => () => new Date(seconds * 1000);

describe('signWebhook / verifyWebhook', () => {
  it('produces a Stripe-style header that verifies for the same body, secret and time', () => {
    const header = signWebhook(body, secret, t);
    expect(header).toMatch(/^t=1790000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(header, body, secret, { now: at(t + 10) })).toEqual({ ok: true, timestampSeconds: t });
  });

  it('refuses a tampered body', () => {
    const header = signWebhook(body, secret, t);
    expect(verifyWebhook(header, body.replace('c-1', 'c-2'), secret, { now: at(t) })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a signature made with another secret', () => {
    const header = signWebhook(body, 'another secret', t);
    expect(verifyWebhook(header, body, secret, { now: at(t) })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a changed timestamp, since the timestamp is signed with the body', () => {
    const header = signWebhook(body, secret, t).replace(`t=${t}`, `t=${t + 1}`);
    expect(verifyWebhook(header, body, secret, { now: at(t) })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a stale or future timestamp beyond the tolerance, even when the signature is right', () => {
    const header = signWebhook(body, secret, t);
    expect(verifyWebhook(header, body, secret, { now: at(t + 301) })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhook(header, body, secret, { now: at(t - 301) })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhook(header, body, secret, { now: at(t + 60), toleranceSeconds: 30 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhook(header, body, secret, { now: at(t + 300) }).ok).toBe(true);
  });

  it('accepts any matching v1 entry (secret rotation) and refuses malformed headers', () => {
    const valid = signWebhook(body, secret, t);
    const other = signWebhook(body, 'old secret', t).split(',')[1];
    expect(verifyWebhook(`${valid},${other}`, body, secret, { now: at(t) }).ok).toBe(true);
    for (const header of [
      null,
      '',
      `v1=${'a'.repeat(64)}`,
      `t=${t}`,
      `t=${t},v1=nothex`,
      `t=abc,${valid.split(',')[1]}`,
      `t=${t},t=${t},${valid.split(',')[1]}`,
    ]) {
      expect(verifyWebhook(header, body, secret, { now: at(t) }), String(header)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});

describe('postSignedWebhook', () => {
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  /** A receiver on loopback: reachable only with 127.0.0.1 on the allow-list. */
  const withReceiver = async (answer: (req: IncomingMessage, raw: string) => number, run: (url: string) => Promise<void>) => {
    const server = createServer((req, res) => void readBody(req).then((raw) => res.writeHead(answer(req, raw)).end()));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  };
  const internal = { allowedHosts: ['127.0.0.1'] };

  it('POSTs JSON to a real HTTP server, which verifies the signature on receipt', async () => {
    const received: { verified: boolean; eventId?: string; contentType?: string; payload: unknown }[] = [];
    const answer = (req: IncomingMessage, raw: string) => {
      const verified = verifyWebhook(req.headers[signatureHeader.toLowerCase()] as string, raw, secret).ok;
      received.push({
        verified,
        eventId: req.headers[eventIdHeader.toLowerCase()] as string,
        contentType: req.headers['content-type'],
        payload: JSON.parse(raw),
      });
      return verified ? 204 : 400;
    };
    await withReceiver(answer, async (url) => {
      const payload = { type: 'ticket.created', ticket: { id: 't-1', subject: '退款 refund' } };
      const result = await postSignedWebhook(url, payload, secret, { eventId: 'evt-42', timeoutMs: 5_000, policy: internal });
      expect(result.status).toBe(204);
      expect(received).toEqual([{ verified: true, eventId: 'evt-42', contentType: 'application/json', payload }]);
    });
  });

  it('throws with the status on a non-2xx answer, so a retry policy can retry', async () => {
    await withReceiver(
      () => 503,
      async (url) => {
        const sending = postSignedWebhook(url, { a: 1 }, secret, { eventId: 'evt-1', policy: internal });
        await expect(sending).rejects.toBeInstanceOf(WebhookDeliveryError);
        await expect(sending).rejects.toMatchObject({ status: 503 });
      },
    );
  });

  it('signs the exact bytes it sends, with the given event id', async () => {
    const seen: { signature?: string; eventId?: string; method?: string; raw: string }[] = [];
    const answer = (req: IncomingMessage, raw: string) => {
      seen.push({
        signature: req.headers[signatureHeader.toLowerCase()] as string,
        eventId: req.headers[eventIdHeader.toLowerCase()] as string,
        method: req.method,
        raw,
      });
      return 200;
    };
    await withReceiver(answer, async (url) => {
      await postSignedWebhook(url, { b: [1, 2] }, secret, { eventId: 'evt-7', now: at(t), policy: internal });
    });
    expect(seen).toEqual([{ signature: signWebhook('{"b":[1,2]}', secret, t), eventId: 'evt-7', method: 'POST', raw: '{"b":[1,2]}' }]);
  });

  it('refuses a receiver on loopback unless an operator allowed it, and sends nothing', async () => {
    let calls = 0;
    await withReceiver(
      () => {
        calls += 1;
        return 204;
      },
      async (url) => {
        await expect(postSignedWebhook(url, { c: 1 }, secret, { eventId: 'evt-9' })).rejects.toBeInstanceOf(OutboundRefusedError);
        await expect(postSignedWebhook(url, { c: 1 }, secret, { eventId: 'evt-9' })).rejects.toThrow(/127\.0\.0\.1 is a loopback address/);
      },
    );
    expect(calls).toBe(0);
  });
});
