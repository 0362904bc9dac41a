// /widget/loader.js: what a customer's website includes to show the chat widget —
//   <script src="https://<seamless>/widget/loader.js" data-seamless-channel="<channel id>" async></script>
// plus, optionally, the usual stub and Seamless('identify', {...}) / Seamless('logout') calls (or
// data-seamless-user-* attributes on this tag). It adds one iframe of Seamless's /widget/frame.html
// in the corner and relays those calls to it (loader-core.ts). The page's origin must be in the
// channel's allowed origins, or the frame is refused (its frame-ancestors policy).
import { createRelay, frameMessage, frameStyle, frameTitle, frameUrl, hostMessage, scriptIdentity, seamlessOrigin } from './loader-core';

type SeamlessFunction = ((command: unknown, argument?: unknown) => void) & { q?: ArrayLike<unknown>[]; loaded?: boolean };

(() => {
  const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="/widget/loader.js"]');
  const origin = seamlessOrigin(script?.src);
  const host = window as unknown as { Seamless?: SeamlessFunction };
  if (!script || !origin || host.Seamless?.loaded) return;

  const frame = document.createElement('iframe');
  frame.src = frameUrl(origin, script.dataset.seamlessChannel, window.location.origin);
  frame.title = frameTitle(document.documentElement.lang || navigator.language);
  frame.setAttribute('data-seamless-frame', '');
  frame.setAttribute('allow', 'clipboard-write');
  const phone = window.matchMedia('(max-width: 480px)');
  let open = false;
  const place = () => frame.setAttribute('style', frameStyle(open, phone.matches));
  place();
  phone.addEventListener('change', place);

  const relay = createRelay((message) => frame.contentWindow?.postMessage(message, origin));
  window.addEventListener('message', (event) => {
    // Only Seamless's frame, from Seamless's origin.
    if (event.source !== frame.contentWindow || event.origin !== origin) return;
    const message = frameMessage(event.data);
    if (message?.seamless === 'ready') relay.ready();
    else if (message?.seamless === 'open') {
      open = message.open;
      place();
    }
  });

  const identity = scriptIdentity({ ...script.dataset });
  if (identity) relay.push(identity);
  const run = (command: unknown, argument?: unknown) => {
    const message = hostMessage(command, argument);
    if (message) relay.push(message);
    else console.warn(`Seamless: unknown command or missing argument: ${String(command)}`);
  };
  const queued = typeof host.Seamless === 'function' ? Array.from(host.Seamless.q ?? []) : [];
  const seamless: SeamlessFunction = (command, argument) => run(command, argument);
  seamless.loaded = true;
  host.Seamless = seamless;
  for (const call of queued) run(call[0], call[1]);

  const attach = () => document.body.appendChild(frame);
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach);
})();
