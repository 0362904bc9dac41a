// Entry of the chat widget: mounts it into its own element at the end of the host page, so it
// needs nothing from the page but this script — and, optionally, who the page's signed-in user is
// (data attributes on this script tag, or window.Seamless('identify', …): widget-host.ts).
import { createApp } from 'vue';
import { i18n } from '../i18n/i18n';
import ChatWidget from './ChatWidget.vue';
import { hostChannelId, hostIdentity, hostScriptSelector, installHostApi, scriptSettings } from './widget-host';

const script = document.querySelector<HTMLScriptElement>(hostScriptSelector);
const settings = scriptSettings(script ? { ...script.dataset } : null);
hostChannelId.value = settings.channelId;
hostIdentity.value = settings.identity;
installHostApi(
  window as { Seamless?: unknown },
  {
    identify: (claim) => (hostIdentity.value = claim),
    logout: () => (hostIdentity.value = null),
  },
  (message) => console.warn(message),
);

const host = document.createElement('div');
host.id = 'seamless-widget';
document.body.appendChild(host);
createApp(ChatWidget).use(i18n).mount(host);
