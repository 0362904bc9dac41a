// The logic of /widget/loader.js, the script a customer's website includes to show the chat widget
// (loader.ts wires it to the page). The widget itself runs in an iframe on Seamless's own origin
// (/widget/frame.html), so its REST and WebSocket calls stay same-origin; the loader only sizes
// that frame and passes the page's Seamless('identify' | 'logout') calls to it by postMessage, to
// Seamless's exact origin. The frame answers 'ready' (then the queued calls go) and 'open' (resize).
// Imports nothing: the build keeps it one small classic script.

/** What the loader sends the frame. */
export type HostMessage =
  { seamless: 'identify'; claim: { userId?: string | number; email?: string; name?: string; userHash?: string } } | { seamless: 'logout' };

/** What the frame sends the loader. */
export type FrameMessage = { seamless: 'ready' } | { seamless: 'open'; open: boolean };

/** Seamless's origin, from the loader's own script URL; null for what is not an http(s) URL. */
export function seamlessOrigin(scriptSrc: string | null | undefined): string | null {
  if (!scriptSrc) return null;
  try {
    const url = new URL(scriptSrc);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** The frame's address: the channel, and the host page's origin (the only one the frame answers to). */
export function frameUrl(origin: string, channelId: string | undefined, hostOrigin: string): string {
  const url = new URL('/widget/frame.html', origin);
  if (channelId) url.searchParams.set('channel', channelId);
  url.searchParams.set('host', hostOrigin);
  return url.toString();
}

/**
 * The frame's style: the launcher's corner when closed; a panel when open; the whole screen on a
 * phone. Inside a frame this narrow the widget takes its phone layout (ChatWidget.vue): the open
 * panel fills the frame and its header's close button replaces the launcher.
 */
export function frameStyle(open: boolean, phone: boolean): string {
  const common = 'position:fixed;z-index:2147483000;border:0;margin:0;padding:0;background:transparent;color-scheme:normal;';
  if (!open) return `${common}right:4px;bottom:4px;width:88px;height:88px;`;
  if (phone) return `${common}inset:0;width:100%;height:100%;`;
  return `${common}right:20px;bottom:20px;width:370px;height:min(640px,calc(100% - 40px));border-radius:16px;box-shadow:0 16px 48px rgba(16,24,40,.22);`;
}

/** The frame's accessible name, in the page's language. */
export function frameTitle(language: string | undefined): string {
  const lang = (language ?? '').toLowerCase();
  if (/^zh-(tw|hk|mo|hant)/.test(lang)) return '線上客服';
  if (lang.startsWith('zh')) return '在线客服';
  return 'Chat with us';
}

/** A message from the frame, or null for anything else (another script's messages, a malformed one). */
export function frameMessage(data: unknown): FrameMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;
  if (record.seamless === 'ready') return { seamless: 'ready' };
  if (record.seamless === 'open' && typeof record.open === 'boolean') return { seamless: 'open', open: record.open };
  return null;
}

const claimKeys = ['userId', 'email', 'name', 'userHash'] as const;

/** A host command as a message for the frame (only plain fields are copied), or null when unknown. */
export function hostMessage(command: unknown, argument?: unknown): HostMessage | null {
  if (command === 'logout') return { seamless: 'logout' };
  if (command !== 'identify' || typeof argument !== 'object' || argument === null) return null;
  const claim: Record<string, string | number> = {};
  for (const key of claimKeys) {
    const value = (argument as Record<string, unknown>)[key];
    if (typeof value === 'string' || (key === 'userId' && typeof value === 'number')) claim[key] = value;
  }
  return { seamless: 'identify', claim };
}

/** The user named by the loader's data attributes (data-seamless-user-id, -email, -name, -hash). */
export function scriptIdentity(dataset: Record<string, string | undefined>): HostMessage | null {
  if (!dataset.seamlessUserId) return null;
  return hostMessage('identify', {
    userId: dataset.seamlessUserId,
    email: dataset.seamlessUserEmail,
    name: dataset.seamlessUserName,
    userHash: dataset.seamlessUserHash,
  });
}

/**
 * Passes the host's identify/logout to the frame: held until the frame says it is ready, later ones
 * at once. Only the latest counts (identify then logout is signed out), and it is sent again each
 * time the frame says ready — a reloaded frame follows the page again.
 */
export function createRelay(send: (message: HostMessage) => void): { push(message: HostMessage): void; ready(): void } {
  let latest: HostMessage | null = null;
  let isReady = false;
  return {
    push(message) {
      latest = message;
      if (isReady) send(message);
    },
    ready() {
      isReady = true;
      if (latest) send(latest);
    },
  };
}
