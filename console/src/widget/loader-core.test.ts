// The loader's logic (/widget/loader.js on a customer's website): Seamless's origin from its own
// URL, the frame's address and size, which messages it takes from the frame, and the relay of the
// page's identify/logout calls to the frame once it is ready.
import { describe, expect, it } from 'vitest';
import { createRelay, frameMessage, frameStyle, frameTitle, frameUrl, hostMessage, scriptIdentity, seamlessOrigin, type HostMessage } from './loader-core';

describe('the loader', () => {
  it("takes Seamless's origin from its own script URL", () => {
    expect(seamlessOrigin('https://help.example:8443/widget/loader.js?v=2')).toBe('https://help.example:8443');
    for (const src of [null, undefined, '', 'not a url', 'javascript:alert(1)', 'data:text/javascript,1']) expect(seamlessOrigin(src)).toBeNull();
  });

  it('points the frame at the channel with the page origin', () => {
    const url = new URL(frameUrl('https://help.example', 'ch 1', 'https://shop.example'));
    expect(`${url.origin}${url.pathname}`).toBe('https://help.example/widget/frame.html');
    expect(Object.fromEntries(url.searchParams)).toEqual({ channel: 'ch 1', host: 'https://shop.example' });
    expect(new URL(frameUrl('https://help.example', undefined, 'https://shop.example')).searchParams.has('channel')).toBe(false);
  });

  it('sizes the frame to the launcher, the panel, or the whole phone screen', () => {
    expect(frameStyle(false, false)).toContain('width:88px;height:88px');
    expect(frameStyle(true, false)).toContain('width:370px');
    expect(frameStyle(true, true)).toContain('inset:0;width:100%;height:100%');
  });

  it('names the frame in the page language', () => {
    expect(frameTitle('en-US')).toBe('Chat with us');
    expect(frameTitle('zh-CN')).toBe('在线客服');
    expect(frameTitle('zh-TW')).toBe('線上客服');
    expect(frameTitle(undefined)).toBe('Chat with us');
  });

  it("reads only the frame's own messages", () => {
    expect(frameMessage({ seamless: 'ready' })).toEqual({ seamless: 'ready' });
    expect(frameMessage({ seamless: 'open', open: true })).toEqual({ seamless: 'open', open: true });
    for (const data of [null, 'ready', { seamless: 'open', open: 'yes' }, { type: 'ready' }, { seamless: 'identify' }]) expect(frameMessage(data)).toBeNull();
  });

  it('copies only the plain fields of an identify call; knows logout; nothing else', () => {
    const withExtras = { userId: 42, email: 'mei@example.com', name: 'Mei', userHash: 'ab', onChange: () => {}, nested: { a: 1 } };
    expect(hostMessage('identify', withExtras)).toEqual({ seamless: 'identify', claim: { userId: 42, email: 'mei@example.com', name: 'Mei', userHash: 'ab' } });
    expect(hostMessage('logout')).toEqual({ seamless: 'logout' });
    expect(hostMessage('identify', null)).toBeNull();
    expect(hostMessage('open')).toBeNull();
    expect(scriptIdentity({ seamlessChannel: 'ch-1', seamlessUserId: 'u1', seamlessUserHash: 'ff' })).toEqual({
      seamless: 'identify',
      claim: { userId: 'u1', userHash: 'ff' },
    });
    expect(scriptIdentity({ seamlessChannel: 'ch-1' })).toBeNull();
  });

  it('holds the calls until the frame is ready, sends the latest, then each at once, and again to a reloaded frame', () => {
    const sent: HostMessage[] = [];
    const relay = createRelay((message) => sent.push(message));
    const mei: HostMessage = { seamless: 'identify', claim: { userId: 'mei' } };
    relay.push({ seamless: 'identify', claim: { userId: 'old' } });
    relay.push(mei);
    expect(sent).toEqual([]);
    relay.ready();
    expect(sent).toEqual([mei]);
    relay.push({ seamless: 'logout' });
    expect(sent).toEqual([mei, { seamless: 'logout' }]);
    relay.ready();
    expect(sent).toEqual([mei, { seamless: 'logout' }, { seamless: 'logout' }]);
  });
});
