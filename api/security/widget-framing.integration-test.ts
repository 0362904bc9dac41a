// Who may frame the embedded widget, read from the channels (widget-framing.ts): the named channel's
// allowed origins, else every enabled web_chat channel's; PUBLIC_URL's always; a channel that is
// unknown, disabled or not web chat — or an id that cannot be one — allows nobody else.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessApi, type InProcessApi } from '../../test/support/in-process-api.js';
import { framingOrigins } from './widget-framing.js';

let api: InProcessApi;
let shop: { id: string };
let blog: { id: string };
let closed: { id: string };
const publicUrl = 'https://help.example/console';

beforeAll(async () => {
  api = await startInProcessApi();
  await api.db.channel.updateMany({ where: { kind: 'web_chat' }, data: { enabled: false } });
  shop = await api.db.channel.create({
    data: { kind: 'web_chat', name: 'Shop chat', settings: { allowedOrigins: ['https://shop.example', 'not an origin'] } },
  });
  blog = await api.db.channel.create({ data: { kind: 'web_chat', name: 'Blog chat', settings: { allowedOrigins: ['https://blog.example/'] } } });
  closed = await api.db.channel.create({
    data: { kind: 'web_chat', name: 'Old chat', enabled: false, settings: { allowedOrigins: ['https://old.example'] } },
  });
});
afterAll(() => api?.stop());

describe('the origins that may frame the widget', () => {
  it("are the named channel's and PUBLIC_URL's", async () => {
    expect(await framingOrigins(api.db, shop.id, publicUrl)).toEqual(['https://help.example', 'https://shop.example']);
    expect(await framingOrigins(api.db, blog.id, null)).toEqual(['https://blog.example']);
  });

  it('are every enabled web chat channel’s when no channel is named', async () => {
    expect((await framingOrigins(api.db, undefined, publicUrl)).sort()).toEqual(['https://blog.example', 'https://help.example', 'https://shop.example']);
  });

  it('are only PUBLIC_URL’s for a disabled, unknown or impossible channel', async () => {
    for (const channelId of [closed.id, randomUUID(), 'not-a-uuid', ['a', 'b']]) {
      expect(await framingOrigins(api.db, channelId, publicUrl)).toEqual(['https://help.example']);
    }
  });
});
