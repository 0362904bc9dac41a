// The Channels screen's identity and pre-chat settings of a web_chat channel: draft ↔ settings (sent
// whole, the allowed origins kept), the server's problems by field, the install snippet.
import { describe, expect, it } from 'vitest';
import type { ChannelView } from './admin-types';
import { pageSnippet, widgetIdentityDraftOf, widgetIdentityErrorsOf, widgetIdentitySettingsOf, widgetLoaderUrl } from './widget-identity-settings';

const channel = (settings: Record<string, unknown>): ChannelView => ({
  id: 'ch-1',
  kind: 'web_chat',
  name: 'Web chat',
  enabled: true,
  settings,
  createdAt: '2026-12-01T00:00:00.000Z',
  imap: null,
});

describe('the identity and pre-chat draft', () => {
  it('starts off, asking name and email once switched on', () => {
    expect(widgetIdentityDraftOf(channel({ allowedOrigins: [] }))).toEqual({
      requireVerifiedIdentity: false,
      preChatEnabled: false,
      askName: true,
      nameRequired: false,
      askEmail: true,
      emailRequired: false,
      fields: [],
    });
  });

  it('round-trips through the settings, keeping the allowed origins, trimming labels', () => {
    const stored = channel({ allowedOrigins: ['https://shop.example'] });
    const draft = {
      ...widgetIdentityDraftOf(stored),
      requireVerifiedIdentity: true,
      preChatEnabled: true,
      askEmail: false,
      emailRequired: true,
      fields: [{ key: ' order_number ', labelEn: ' Order number ', labelZh: '订单号', required: true }],
    };
    const settings = widgetIdentitySettingsOf(stored, draft);
    expect(settings).toEqual({
      allowedOrigins: ['https://shop.example'],
      requireVerifiedIdentity: true,
      preChatForm: {
        enabled: true,
        askName: true,
        nameRequired: false,
        askEmail: false,
        emailRequired: false, // not asked, so not required
        fields: [{ key: 'order_number', label: { en: 'Order number', zh: '订单号' }, required: true }],
      },
    });
    expect(widgetIdentityDraftOf(channel(settings))).toMatchObject({
      requireVerifiedIdentity: true,
      preChatEnabled: true,
      fields: [{ key: 'order_number', labelEn: 'Order number' }],
    });
  });

  it('places the server’s problems at the form’s fields', () => {
    expect(
      widgetIdentityErrorsOf([
        { path: 'settings.preChatForm.fields.0.key', message: 'bad key' },
        { path: 'settings.preChatForm.fields', message: 'Each field needs its own key.' },
        { path: 'settings.requireVerifiedIdentity', message: 'boolean' },
        { path: 'settings', message: 'whole' },
      ]),
    ).toEqual({ 'fields.0.key': ['bad key'], fields: ['Each field needs its own key.'], requireVerifiedIdentity: ['boolean'], form: ['whole'] });
  });
});

describe('the install snippet', () => {
  it('names the loader on this server and the channel', () => {
    const loader = widgetLoaderUrl('https://help.example');
    expect(loader).toBe('https://help.example/widget/loader.js');
    const snippet = pageSnippet('ch-1', loader);
    expect(snippet).toContain('<script src="https://help.example/widget/loader.js" data-seamless-channel="ch-1" async></script>');
    expect(snippet).toContain("Seamless('identify'");
  });
});
