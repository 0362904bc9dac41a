// An email's remote image, fetched by the server for the console's "Show images" (issue 17), the
// way Gmail's image proxy does: the console's Content-Security-Policy keeps `img-src 'self' data:`,
// so no remote image anywhere in the console (a customer's markdown in a chat, a mail) makes the
// agent's browser call a tracker; the sender's server sees this server, not the agent's address.
//
// Only URLs of one stored mail are fetched (the route takes an index into its remoteImageUrls,
// api/finders/email-finder.ts), through the outbound guard (no internal address unless
// OUTBOUND_ALLOWED_HOSTS names it, each redirect checked again), with a timeout and a size limit,
// sending no cookie, credential or Referer. Only raster images pass, by their bytes, never SVG.
import { sniffContentType } from '../../infra/attachments/sniff.js';
import { guardedGet, OutboundRedirectsError, OutboundRefusedError, OutboundTooLargeError, type OutboundPolicy } from '../../infra/outbound/outbound-guard.js';
import { HttpError } from '../http-error.js';

export interface RemoteImageLimits {
  /** The whole fetch, redirects included. */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export const defaultRemoteImageLimits: RemoteImageLimits = { timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 3 };

/** What the console may show: raster types by their bytes (an SVG can carry script). */
const rasterTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);

/** The request headers, all of them: nothing identifies the agent, the conversation or this console. */
const requestHeaders = { Accept: 'image/png,image/jpeg,image/gif,image/webp,image/bmp;q=0.9,*/*;q=0.1', 'User-Agent': 'SeamlessImageProxy/1.0' };

export interface RemoteImage {
  contentType: string;
  body: Buffer;
}

/**
 * The image at the URL, or an HttpError: 403 remote_image_refused (the guard refuses the address),
 * 502 remote_image_unavailable (unreachable, timed out, not 200, too many redirects),
 * remote_image_too_large, remote_image_not_image (not a PNG, JPEG, GIF, WebP or BMP).
 */
export async function fetchRemoteImage(url: string, policy: OutboundPolicy, limits: RemoteImageLimits = defaultRemoteImageLimits): Promise<RemoteImage> {
  let answer: Awaited<ReturnType<typeof guardedGet>>;
  try {
    answer = await guardedGet(url, { headers: requestHeaders, ...limits }, policy);
  } catch (error) {
    if (error instanceof OutboundRefusedError) {
      throw new HttpError(
        403,
        'remote_image_refused',
        'This server does not fetch the image: its address is internal or not allowed (OUTBOUND_ALLOWED_HOSTS).',
      );
    }
    if (error instanceof OutboundTooLargeError) {
      throw new HttpError(502, 'remote_image_too_large', `The image is larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MiB.`);
    }
    if (error instanceof OutboundRedirectsError) throw new HttpError(502, 'remote_image_unavailable', "The image's server redirected too many times.");
    throw new HttpError(502, 'remote_image_unavailable', "The image's server could not be reached in time.");
  }
  if (answer.status !== 200) throw new HttpError(502, 'remote_image_unavailable', `The image's server answered ${answer.status}.`);
  const sniffed = await sniffContentType(answer.body);
  if (!rasterTypes.has(sniffed.contentType)) {
    throw new HttpError(502, 'remote_image_not_image', "The image's server did not answer a PNG, JPEG, GIF, WebP or BMP image.");
  }
  return { contentType: sniffed.contentType, body: answer.body };
}
