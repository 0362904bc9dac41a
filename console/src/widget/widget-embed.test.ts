// The embedded widget's side (/widget/frame.html in the loader's iframe): the host origin from its
// URL, and identify/logout taken only from the parent window at that origin.
import { describe, expect, it } from 'vitest';
import { embedCommand, embeddingOf } from './widget-embed';

describe('the embedded widget', () => {
  it('reads the channel and the host origin from its URL', () => {
    expect(embeddingOf('?channel=ch-1&host=https%3A%2F%2Fshop.example')).toEqual({ hostOrigin: 'https://shop.example', channelId: 'ch-1' });
    expect(embeddingOf('?host=http://localhost:8080/')).toEqual({ hostOrigin: 'http://localhost:8080' });
    for (const search of ['', '?channel=ch-1', '?host=nonsense', '?host=javascript:alert(1)']) expect(embeddingOf(search)).toBeNull();
  });

  it('is not embedded when the browser says another origin frames it', () => {
    expect(embeddingOf('?host=https://shop.example', ['https://evil.example'])).toBeNull();
    expect(embeddingOf('?host=https://shop.example', ['https://shop.example'])).toEqual({ hostOrigin: 'https://shop.example' });
  });

  it('takes identify and logout only from the parent window at the host origin', () => {
    const parent = {};
    const embedding = { hostOrigin: 'https://shop.example' };
    const identify = { seamless: 'identify', claim: { userId: ' 42 ', userHash: 'ab' } };
    expect(embedCommand({ source: parent, origin: 'https://shop.example', data: identify }, parent, embedding)).toEqual({
      kind: 'identify',
      claim: { userId: '42', userHash: 'ab' },
    });
    expect(embedCommand({ source: parent, origin: 'https://shop.example', data: { seamless: 'logout' } }, parent, embedding)).toEqual({ kind: 'logout' });
    // Another window (a script in another frame), another origin, or no user id: ignored.
    expect(embedCommand({ source: {}, origin: 'https://shop.example', data: identify }, parent, embedding)).toBeNull();
    expect(embedCommand({ source: parent, origin: 'https://evil.example', data: identify }, parent, embedding)).toBeNull();
    expect(embedCommand({ source: parent, origin: 'https://shop.example', data: { seamless: 'identify', claim: {} } }, parent, embedding)).toBeNull();
    expect(embedCommand({ source: parent, origin: 'https://shop.example', data: 'logout' }, parent, embedding)).toBeNull();
  });
});
