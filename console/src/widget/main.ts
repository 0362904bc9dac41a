// Entry of the chat widget: mounts it into its own element at the end of the host page, so it
// needs nothing from the page but this script — and, optionally, who the page's signed-in user is
// (data attributes on this script tag, or window.Seamless('identify', …): widget-host.ts).
// Embedded on another website (/widget/frame.html in the loader's iframe, widget-embed.ts), the
// channel comes from the frame's URL and identify/logout from the loader by postMessage.
import { createApp, watch } from 'vue';
import { i18n } from '../i18n/i18n';
import ChatWidget from './ChatWidget.vue';
import { embedCommand, embeddingOf } from './widget-embed';
import { hostChannelId, hostIdentity, hostScriptSelector, installHostApi, panelOpen, scriptSettings } from './widget-host';

const embedding = window.parent !== window ? embeddingOf(window.location.search, window.location.ancestorOrigins) : null;
if (embedding) {
  hostChannelId.value = embedding.channelId;
  window.addEventListener('message', (event) => {
    const command = embedCommand(event, window.parent, embedding);
    if (command?.kind === 'identify') hostIdentity.value = command.claim;
    else if (command?.kind === 'logout') hostIdentity.value = null;
  });
} else {
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
}

const host = document.createElement('div');
host.id = 'seamless-widget';
document.body.appendChild(host);
createApp(ChatWidget).use(i18n).mount(host);

if (embedding) {
  // The loader sizes the frame to the panel while it is open, to the launcher otherwise.
  watch(panelOpen, (open) => window.parent.postMessage({ seamless: 'open', open }, embedding.hostOrigin), { immediate: true });
  window.parent.postMessage({ seamless: 'ready' }, embedding.hostOrigin);
}
