import { describe, expect, it } from 'vitest';
import {
  deliveryOf,
  embedInlineImages,
  emailDocument,
  emailDocumentPolicy,
  embedRemoteImages,
  emailOf,
  inlineAttachmentIds,
  remoteImageSources,
  visibleBody,
} from './email-message';

const emailMetadata = {
  email: { inboundEmailId: 'e1', subject: 'Refund', from: 'ann@example.com', to: ['support@example.com'], cc: ['bob@example.com'], automated: false },
};

describe('emailOf', () => {
  it("reads a customer message's mail headers, and nothing from other metadata", () => {
    expect(emailOf({ metadata: emailMetadata })).toEqual(emailMetadata.email);
    expect(emailOf({ metadata: null })).toBeNull();
    expect(emailOf({ metadata: { kind: 'bot_answer', confidence: 0.9 } })).toBeNull();
  });

  it('keeps only what has the right shape (the socket is not trusted)', () => {
    const odd = { email: { inboundEmailId: 'e2', subject: 7, to: ['a@example.com', 3], cc: 'x', automated: 'yes', automatedReasons: ['auto_submitted', 1] } };
    expect(emailOf({ metadata: odd as never })).toEqual({
      inboundEmailId: 'e2',
      subject: '',
      from: '',
      to: ['a@example.com'],
      cc: [],
      automated: false,
      automatedReasons: ['auto_submitted'],
    });
    expect(emailOf({ metadata: { email: { subject: 'no id' } } as never })).toBeNull();
  });
});

describe('deliveryOf', () => {
  it('reads queued, sent and failed with its reason; anything else is no delivery', () => {
    expect(deliveryOf({ delivery: { status: 'queued' } })).toEqual({ status: 'queued', error: null });
    expect(deliveryOf({ delivery: { status: 'failed', error: '550 no such user' } })).toEqual({ status: 'failed', error: '550 no such user' });
    expect(deliveryOf({})).toBeNull();
    expect(deliveryOf({ delivery: { status: 'bounced' } })).toBeNull();
  });
});

describe('visibleBody', () => {
  it('hides the quoted history until asked, and says whether there is any', () => {
    expect(visibleBody('all', 'new', false)).toEqual({ body: 'new', hasQuoted: true });
    expect(visibleBody('all', 'new', true)).toEqual({ body: 'all', hasQuoted: true });
    expect(visibleBody('all', null, false)).toEqual({ body: 'all', hasQuoted: false });
  });
});

describe('the original in its document', () => {
  const html =
    '<p>Hi</p><img width="1" data-remote-src="https://track.example/p.gif?u=1&amp;x=2" alt="logo"><div data-remote-src="https://x.example/">kept</div>' +
    '<img data-remote-src="http://b.example/b.png"><img data-remote-src="https://track.example/p.gif?u=1&amp;x=2"><img data-remote-src="javascript:alert(1)">';
  const png = 'data:image/png;base64,iVBORw0KGgo=';

  it("numbers the mail's remote images as the server does: each once, in order, images only", () => {
    expect(remoteImageSources(html)).toEqual(['https://track.example/p.gif?u=1&amp;x=2', 'http://b.example/b.png']);
    expect(remoteImageSources('<p>no images</p>')).toEqual([]);
  });

  it('puts fetched remote images in as raster data: URLs, never as a remote src', () => {
    const shown = embedRemoteImages(html, new Map([['https://track.example/p.gif?u=1&amp;x=2', png]]));
    expect(shown).toBe(
      `<p>Hi</p><img width="1" src="${png}" alt="logo"><div data-remote-src="https://x.example/">kept</div>` +
        `<img data-remote-src="http://b.example/b.png"><img src="${png}"><img data-remote-src="javascript:alert(1)">`,
    );
    // An SVG or a remote URL handed in is not put in.
    const svg = 'data:image/svg+xml;base64,PHN2Zz4=';
    expect(embedRemoteImages(html, new Map([['http://b.example/b.png', svg]]))).toBe(html);
    expect(embedRemoteImages(html, new Map([['http://b.example/b.png', 'http://b.example/b.png']]))).toBe(html);
    expect(emailDocument(html)).not.toMatch(/\ssrc="https?:/);
    expect(emailDocument(html, { remoteImages: new Map([['http://b.example/b.png', png]]) })).toContain(`<img src="${png}">`);
  });

  it('forbids scripts and every image but data: URLs, shown or not', () => {
    const policy = emailDocumentPolicy();
    expect(policy).toContain("script-src 'none'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).toMatch(/img-src data:;/);
    expect(emailDocument('<p>x</p>')).toContain(`<meta http-equiv="Content-Security-Policy" content="${policy}">`);
  });
});

describe('inline images', () => {
  const png = 'data:image/png;base64,iVBORw0KGgo=';
  const html = '<img data-attachment-id="a1" alt="x"><p>t</p><img data-attachment-id="a1"><img data-attachment-id="bad id"><div data-attachment-id="a2"></div>';

  it('names each stored inline image of the HTML once, images only', () => {
    expect(inlineAttachmentIds(html)).toEqual(['a1']);
  });

  it('puts raster data: URLs in their place, and nothing else', () => {
    expect(embedInlineImages(html, new Map([['a1', png]]))).toBe(
      `<img src="${png}" alt="x"><p>t</p><img src="${png}"><img data-attachment-id="bad id"><div data-attachment-id="a2"></div>`,
    );
    const svg = 'data:image/svg+xml;base64,PHN2Zz4=';
    expect(embedInlineImages(html, new Map([['a1', svg]]))).toBe(html);
    expect(emailDocument(html, { inlineImages: new Map([['a1', png]]) })).toContain(`<img src="${png}" alt="x">`);
  });
});
