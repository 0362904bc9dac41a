// The widget's side of embedding (/widget/frame.html in an iframe of /widget/loader.js on the
// customer's website, loader-core.ts): it takes identify/logout only from its parent window and
// only from the host origin named in its URL — which the server already allowed to frame it
// (frame-ancestors from the channel's allowed origins, api/security/widget-framing.ts) — and
// tells the loader, at that origin only, when it is ready and whether the panel is open.
import { claimFrom, type IdentityClaim } from './widget-host';

export interface Embedding {
  /** The page's origin: the only one messages are taken from and sent to. */
  hostOrigin: string;
  channelId?: string;
}

/** The embedding named by the frame's URL (`?channel=…&host=<origin>`), or null when not embedded. */
export function embeddingOf(search: string, ancestorOrigins?: ArrayLike<string>): Embedding | null {
  const params = new URLSearchParams(search);
  const host = params.get('host');
  if (!host) return null;
  let hostOrigin: string;
  try {
    const url = new URL(host);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    hostOrigin = url.origin;
  } catch {
    return null;
  }
  // Where the browser says who frames us (Chromium, Safari), it must be that origin.
  if (ancestorOrigins && ancestorOrigins.length > 0 && ancestorOrigins[0] !== hostOrigin) return null;
  const channelId = params.get('channel')?.trim();
  return channelId ? { hostOrigin, channelId } : { hostOrigin };
}

export type EmbedCommand = { kind: 'identify'; claim: IdentityClaim } | { kind: 'logout' };

/** The loader's command in a message event, or null when it is not from the parent at the host origin or not a command. */
export function embedCommand(event: { source: unknown; origin: string; data: unknown }, parent: unknown, embedding: Embedding): EmbedCommand | null {
  if (event.source !== parent || event.origin !== embedding.hostOrigin) return null;
  if (typeof event.data !== 'object' || event.data === null) return null;
  const data = event.data as Record<string, unknown>;
  if (data.seamless === 'logout') return { kind: 'logout' };
  if (data.seamless !== 'identify') return null;
  const claim = claimFrom(data.claim);
  return claim ? { kind: 'identify', claim } : null;
}
