// A web_chat channel's identity verification and pre-chat form as the Channels screen edits them
// (WidgetIdentitySettings.vue), and the install snippet it shows: the widget's script tag with the
// identify call, and how the host site's server computes userHash (Node.js, Python). Pure.
import type { PreChatForm } from '../../../contract/requests/widget';
import type { ChannelView } from './admin-types';

export interface PreChatFieldDraft {
  key: string;
  labelEn: string;
  labelZh: string;
  required: boolean;
}

export interface WidgetIdentityDraft {
  requireVerifiedIdentity: boolean;
  preChatEnabled: boolean;
  askName: boolean;
  nameRequired: boolean;
  askEmail: boolean;
  emailRequired: boolean;
  fields: PreChatFieldDraft[];
}

const storedForm = (channel: ChannelView): Partial<PreChatForm> => {
  const form = channel.settings.preChatForm;
  return typeof form === 'object' && form !== null ? (form as Partial<PreChatForm>) : {};
};

/** The form's values from the stored settings; a channel without a pre-chat form starts with name and email asked. */
export function widgetIdentityDraftOf(channel: ChannelView): WidgetIdentityDraft {
  const form = storedForm(channel);
  return {
    requireVerifiedIdentity: channel.settings.requireVerifiedIdentity === true,
    preChatEnabled: form.enabled === true,
    askName: form.askName ?? true,
    nameRequired: form.nameRequired === true,
    askEmail: form.askEmail ?? true,
    emailRequired: form.emailRequired === true,
    fields: (form.fields ?? []).map((field) => ({ key: field.key, labelEn: field.label.en, labelZh: field.label.zh, required: field.required })),
  };
}

/** The channel's whole settings with this draft applied (the server replaces settings whole: the allowed origins go along). */
export function widgetIdentitySettingsOf(channel: ChannelView, draft: WidgetIdentityDraft): Record<string, unknown> {
  const preChatForm: PreChatForm = {
    enabled: draft.preChatEnabled,
    askName: draft.askName,
    nameRequired: draft.askName && draft.nameRequired,
    askEmail: draft.askEmail,
    emailRequired: draft.askEmail && draft.emailRequired,
    fields: draft.fields.map((field) => ({ key: field.key.trim(), label: { en: field.labelEn.trim(), zh: field.labelZh.trim() }, required: field.required })),
  };
  return { ...channel.settings, requireVerifiedIdentity: draft.requireVerifiedIdentity, preChatForm };
}

/** The 400 problems of a save by where the form shows them: `settings.preChatForm.fields.1.key` → `fields.1.key`. */
export function widgetIdentityErrorsOf(details: unknown): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (!Array.isArray(details)) return errors;
  for (const detail of details as { path?: unknown; message?: unknown }[]) {
    if (typeof detail.path !== 'string' || typeof detail.message !== 'string') continue;
    const path = detail.path.replace(/^settings(\.preChatForm)?\.?/, '') || 'form';
    (errors[path] ??= []).push(detail.message);
  }
  return errors;
}

/** The widget's loader on the server at `origin` (console/src/widget/loader.ts, built under this stable name). */
export function widgetLoaderUrl(origin: string): string {
  return new URL('/widget/loader.js', origin).toString();
}

/** What the host site puts on its pages: the stub, the identify call with placeholders, the loader's script tag. */
export function pageSnippet(channelId: string, loaderUrl: string): string {
  return `<script>
  window.Seamless = window.Seamless || function () { (window.Seamless.q = window.Seamless.q || []).push(arguments); };
  // Only for a signed-in user; leave it out for anonymous visitors. Seamless('logout') on sign-out.
  Seamless('identify', {
    userId: 'USER_ID',
    email: 'USER_EMAIL',
    name: 'USER_NAME',
    userHash: 'USER_HASH', // computed on your server, see below
  });
</script>
<script src="${loaderUrl}" data-seamless-channel="${channelId}" async></script>`;
}

/** How the host site's server computes userHash in Node.js; the secret stays on the server. */
export const nodeSnippet = `import { createHmac } from 'node:crypto';

// SEAMLESS_IDENTITY_SECRET: this channel's identity secret, kept on your server only.
const userHash = createHmac('sha256', process.env.SEAMLESS_IDENTITY_SECRET)
  .update(String(user.id))
  .digest('hex');`;

/** The same in Python. */
export const pythonSnippet = `import hashlib, hmac, os

# SEAMLESS_IDENTITY_SECRET: this channel's identity secret, kept on your server only.
user_hash = hmac.new(
    os.environ["SEAMLESS_IDENTITY_SECRET"].encode(),
    str(user.id).encode(),
    hashlib.sha256,
).hexdigest()`;
