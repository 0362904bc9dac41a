// The widget creates its visitor with an Idempotency-Key and keeps it for retries, so a visitor
// whose answer was lost on the way back is returned again instead of being created twice.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../shared/http';
import { createWidgetApi } from './widget-api';

/** A fetch that answers from a list, in order, and records each request's Idempotency-Key. */
function scriptedFetch(answers: (() => Response)[]) {
  const keys: (string | null)[] = [];
  const fetch = (async (_path: string, init: RequestInit) => {
    keys.push(new Headers(init.headers).get('Idempotency-Key'));
    const answer = answers.shift();
    if (!answer) throw new Error('no answer scripted');
    return answer();
  }) as typeof globalThis.fetch;
  return { fetch, keys };
}

const created = () => new Response(JSON.stringify({ token: 'vt', customer: { id: 'c1' } }), { status: 201, headers: { 'Content-Type': 'application/json' } });
const failure = (status: number, code: string) => () =>
  new Response(JSON.stringify({ error: { code, message: code } }), { status, headers: { 'Content-Type': 'application/json' } });
const networkDown = () => {
  throw new TypeError('Failed to fetch');
};

describe('creating the widget visitor', () => {
  it('reuses the Idempotency-Key on a retry after a network failure or a 5xx, and takes a new one for the next visitor', async () => {
    const { fetch, keys } = scriptedFetch([networkDown, failure(503, 'service_unavailable'), created, created]);
    let counter = 0;
    const api = createWidgetApi(() => null, { fetch, newKey: () => `key-${(counter += 1)}` });
    await expect(api.createVisitor({ locale: 'zh-CN' })).rejects.toMatchObject({ status: 0 });
    await expect(api.createVisitor({ locale: 'zh-CN' })).rejects.toMatchObject({ status: 503 });
    expect(await api.createVisitor({ locale: 'zh-CN' })).toEqual({ token: 'vt', customer: { id: 'c1' } });
    await api.createVisitor({ locale: 'en' }); // e.g. after the stored token was refused
    expect(keys).toEqual(['key-1', 'key-1', 'key-1', 'key-2']);
  });

  it('takes a new key after a refusal a retry cannot change (an expired key, bad input)', async () => {
    const { fetch, keys } = scriptedFetch([failure(409, 'idempotency_key_expired'), created]);
    let counter = 0;
    const api = createWidgetApi(() => null, { fetch, newKey: () => `key-${(counter += 1)}` });
    await expect(api.createVisitor({})).rejects.toBeInstanceOf(ApiError);
    await api.createVisitor({});
    expect(keys).toEqual(['key-1', 'key-2']);
  });
});

describe('sending a message with files', () => {
  it("names the uploaded files in attachmentIds, sends no such field without files, and always the browser's time zone", async () => {
    const bodies: unknown[] = [];
    const fetch = (async (_path: string, init: RequestInit) => {
      bodies.push(JSON.parse(String(init.body)));
      return new Response(JSON.stringify({ message: { id: 'm1' } }), { status: 201, headers: { 'Content-Type': 'application/json' } });
    }) as typeof globalThis.fetch;
    const api = createWidgetApi(() => 'vt', { fetch });
    await api.sendMessage('c1', 'Here it is', 'k1', ['f1', 'f2']);
    await api.sendMessage('c1', 'Thanks', 'k2');
    await api.startConversation('Hello', 'k3');
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(bodies).toEqual([
      { body: 'Here it is', attachmentIds: ['f1', 'f2'], timeZone },
      { body: 'Thanks', timeZone },
      { body: 'Hello', timeZone },
    ]);
  });
});

describe('identify and the pre-chat form', () => {
  it('sends the identity with the visitor’s current token (so an anonymous visitor’s conversations follow), and asks the named channel’s config', async () => {
    const sent: { path: string; authorization: string | null; body: unknown }[] = [];
    const fetch = (async (path: string, init: RequestInit) => {
      sent.push({ path, authorization: new Headers(init.headers).get('Authorization'), body: init.body ? JSON.parse(String(init.body)) : undefined });
      return new Response(JSON.stringify({ token: 'vt2', customer: { id: 'c2' }, verified: true, config: { channelId: 'ch 1' } }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    }) as typeof globalThis.fetch;
    const api = createWidgetApi(() => 'anonymous-token', { fetch, newKey: () => 'k' });
    expect(await api.createVisitor({ locale: 'en', channelId: 'ch 1', identity: { userId: 'u1', userHash: 'ab' } })).toMatchObject({ verified: true });
    await api.config('ch 1');
    await api.config();
    await api.preChat({ name: 'Ann', fields: { order_number: 'A-1' } });
    expect(sent).toEqual([
      {
        path: '/api/widget/visitors',
        authorization: 'Bearer anonymous-token',
        body: { locale: 'en', channelId: 'ch 1', identity: { userId: 'u1', userHash: 'ab' } },
      },
      { path: '/api/widget/config?channelId=ch%201', authorization: 'Bearer anonymous-token', body: undefined },
      { path: '/api/widget/config', authorization: 'Bearer anonymous-token', body: undefined },
      { path: '/api/widget/pre-chat', authorization: 'Bearer anonymous-token', body: { name: 'Ann', fields: { order_number: 'A-1' } } },
    ]);
  });
});
