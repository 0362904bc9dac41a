// The one guard for HTTP requests the server makes to URLs people typed into the product (an
// automation rule's webhook) or that arrived in it (an email's remote images, fetched for the
// console by guardedGet). Without it an admin (or a stolen admin session) can make the
// worker POST to 169.254.169.254, to 10.x, to localhost, and read the answer's status back from
// the rule's executions: server-side request forgery (issue 14, item 9).
//
// At call time the host is resolved and every address must be a public (global unicast) one:
// private, loopback, link-local (cloud metadata), unique-local, CGNAT, multicast, unspecified,
// reserved and the IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4, Teredo) are
// refused. The check runs inside the connection's own DNS lookup (the `lookup` option of
// http.request), so the socket connects to exactly the address that was checked: a name that
// resolves to a public address for a check and to 127.0.0.1 a moment later (DNS rebinding) has
// no "later". Literal addresses, in any spelling the URL parser accepts (http://2130706433/,
// http://0x7f.1/, http://[::ffff:127.0.0.1]/), are normalised by it and checked the same way.
//
// An operator lets internal receivers through with OUTBOUND_ALLOWED_HOSTS: host names (exact),
// addresses and CIDR ranges. Plain http:// is allowed only to such hosts; everything public
// must be https://. The static check (`outboundUrlProblem`) also runs when a URL is saved, to
// answer 400 early; the call-time check is the guard.
//
// Not guarded: URLs the operator sets in the environment (AI_BASE_URL, MEILI_URL, SMTP_URL), which
// commonly point at a model or a search server on localhost or the intranet, and which no one
// can change through the product.
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface OutboundPolicy {
  /** Internal hosts an operator allowed: names (exact, any case), addresses, CIDR ranges. */
  allowedHosts: readonly string[];
  /** Resolves a host name to every address; default the system resolver (tests inject one). */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
}

/** Nothing internal allowed: what production runs without OUTBOUND_ALLOWED_HOSTS. */
export const strictOutboundPolicy: OutboundPolicy = { allowedHosts: [] };

/** The policy for an allow-list (none: public hosts only). */
export const outboundPolicyOf = (allowedHosts: readonly string[] | undefined): OutboundPolicy => ({ allowedHosts: allowedHosts ?? [] });

/** OUTBOUND_ALLOWED_HOSTS: comma- or space-separated names, addresses (`[::1]` too) and CIDR ranges. */
export function parseAllowedHosts(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((entry) =>
      entry
        .trim()
        .toLowerCase()
        .replace(/^\[(.*)\]$/, '$1'),
    )
    .filter((entry) => entry !== '');
}

/** A request the guard refused; `reason` says why in words an admin can act on. */
export class OutboundRefusedError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`refused to call ${url}: ${reason}`);
    this.name = 'OutboundRefusedError';
  }
}

/** What people call each refused range (ipaddr.js's names). */
const rangeNames: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address (cloud metadata lives there)',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private address',
  uniqueLocal: 'a unique-local address',
  ipv4Mapped: 'an IPv4-mapped address',
  rfc6145: 'an IPv4-translated address',
  rfc6052: 'a NAT64 address',
  '6to4': 'a 6to4 address',
  teredo: 'a Teredo address',
  reserved: 'a reserved address',
};

const unbracket = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

function parseAddress(text: string): Address | null {
  try {
    return ipaddr.parse(unbracket(text));
  } catch {
    return null;
  }
}

/** Why this address may not be called ("a loopback address"), or null when it is a public one. */
export function blockedRange(address: string): string | null {
  const parsed = parseAddress(address);
  if (!parsed) return 'not an IP address';
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it is.
  const effective = parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
  const range = effective.range();
  if (range === 'unicast') return null;
  return rangeNames[range] ?? `a special-purpose address (${range})`;
}

interface CompiledPolicy {
  names: Set<string>;
  ranges: [Address, number][];
}

function compile(policy: OutboundPolicy): CompiledPolicy {
  const names = new Set<string>();
  const ranges: [Address, number][] = [];
  for (const entry of policy.allowedHosts) {
    const host = unbracket(entry.trim().toLowerCase());
    if (host.includes('/')) {
      try {
        ranges.push(ipaddr.parseCIDR(host));
      } catch {
        // Not a range: ignored like an unknown name would be.
      }
      continue;
    }
    const address = parseAddress(host);
    if (address && ipaddr.isValid(host)) ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    else names.add(host.replace(/\.$/, ''));
  }
  return { names, ranges };
}

function addressAllowed(address: string, compiled: CompiledPolicy): boolean {
  const parsed = parseAddress(address);
  if (!parsed) return false;
  const forms: Address[] = [parsed];
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) forms.push((parsed as ipaddr.IPv6).toIPv4Address());
  return forms.some((form) => compiled.ranges.some(([range, bits]) => range.kind() === form.kind() && form.match(range, bits)));
}

/** Names that only ever mean "inside": refused before any lookup unless allowed by name. */
function internalName(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === 'metadata' || hostname === 'metadata.google.internal') return true;
  if (/\.(?:localhost|internal|local|home\.arpa)$/.test(hostname)) return true;
  // A single label (http://intranet/) is completed by the resolver's search domains: internal.
  return !hostname.includes('.');
}

interface Target {
  url: URL;
  hostname: string;
  /** The literal address of the URL, when it names one. */
  literal: string | null;
  /** Allowed by name: any address it resolves to may be called. */
  namedAllowed: boolean;
  compiled: CompiledPolicy;
}

/** The target of a URL, or the reason it is refused without looking anything up. */
function target(value: string, policy: OutboundPolicy): Target | string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'only https:// URLs may be called';
  if (url.username || url.password) return 'a URL must not carry credentials';
  const compiled = compile(policy);
  const hostname = unbracket(url.hostname.toLowerCase()).replace(/\.$/, '');
  const literal = isIP(hostname) ? hostname : null;
  const namedAllowed = compiled.names.has(hostname);
  if (literal) {
    const allowed = addressAllowed(literal, compiled);
    const blocked = blockedRange(literal);
    if (blocked && !allowed) return `${literal} is ${blocked}; add it to OUTBOUND_ALLOWED_HOSTS to allow an internal receiver`;
    if (url.protocol === 'http:' && !allowed) return 'plain http:// is allowed only to hosts in OUTBOUND_ALLOWED_HOSTS: use https://';
  } else if (!namedAllowed) {
    if (internalName(hostname)) return `${hostname} names an internal host; add it to OUTBOUND_ALLOWED_HOSTS to allow it`;
  }
  return { url, hostname, literal, namedAllowed, compiled };
}

/**
 * Why this URL may not be called, judged without a DNS lookup (scheme, credentials, literal
 * internal addresses, internal names, plain http); null when it may be tried. For saving a URL.
 */
export function outboundUrlProblem(value: string, policy: OutboundPolicy): string | null {
  const checked = target(value, policy);
  if (typeof checked === 'string') return checked;
  // A public name over plain http: the addresses decide at call time, but only allowed ones pass.
  if (checked.url.protocol === 'http:' && !checked.literal && !checked.namedAllowed && checked.compiled.ranges.length === 0) {
    return 'plain http:// is allowed only to hosts in OUTBOUND_ALLOWED_HOSTS: use https://';
  }
  return null;
}

const systemResolve = (hostname: string) =>
  new Promise<ResolvedAddress[]>((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }))),
    );
  });

/**
 * The connection's DNS lookup: resolves, refuses unless every address may be called, and hands
 * the checked addresses to the socket, which connects to one of them and to nothing else.
 */
function guardedLookup(checked: Target, policy: OutboundPolicy, rawUrl: string): LookupFunction {
  const resolve = policy.resolve ?? systemResolve;
  return ((hostname: string, options: { all?: boolean }, callback: (error: Error | null, address?: unknown, family?: number) => void) => {
    resolve(hostname)
      .then((addresses) => {
        if (addresses.length === 0) throw new OutboundRefusedError(rawUrl, `${hostname} has no address`);
        for (const { address } of addresses) {
          if (checked.namedAllowed || addressAllowed(address, checked.compiled)) continue;
          const blocked = blockedRange(address);
          if (blocked)
            throw new OutboundRefusedError(
              rawUrl,
              `${hostname} resolves to ${address}, ${blocked}; add it to OUTBOUND_ALLOWED_HOSTS to allow an internal receiver`,
            );
          if (checked.url.protocol === 'http:')
            throw new OutboundRefusedError(rawUrl, 'plain http:// is allowed only to hosts in OUTBOUND_ALLOWED_HOSTS: use https://');
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      })
      .catch((error: Error) => callback(error));
  }) as unknown as LookupFunction;
}

export interface OutboundRequest {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  /** The whole request, connection included. */
  timeoutMs: number;
}

/**
 * Sends the request if the guard allows the URL, and resolves with the answer's status (its
 * body is not read; redirects are not followed). Throws OutboundRefusedError when the
 * guard refuses, and the network error on a failure or timeout.
 */
export function guardedRequest(rawUrl: string, request: OutboundRequest, policy: OutboundPolicy): Promise<{ status: number }> {
  const checked = target(rawUrl, policy);
  if (typeof checked === 'string') return Promise.reject(new OutboundRefusedError(rawUrl, checked));
  const transport = checked.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = transport.request(
      checked.url,
      {
        method: request.method,
        headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
        // A fresh connection each time: a pooled socket would skip the lookup above.
        agent: false,
        // Literal addresses were checked above; Node connects to them without a lookup.
        lookup: guardedLookup(checked, policy, rawUrl),
        signal: AbortSignal.timeout(request.timeoutMs),
      },
      (response) => {
        // The status is all a caller needs: the body is not read (a receiver cannot stream one
        // at us), and the connection is closed (it is not pooled anyway).
        resolve({ status: response.statusCode ?? 0 });
        response.destroy();
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

export interface OutboundGet {
  /** Request headers; nothing else is sent (no cookies, no credentials, no Referer). */
  headers: Record<string, string>;
  /** The whole exchange, redirects and body included. */
  timeoutMs: number;
  /** A body longer than this is not read: OutboundTooLargeError. */
  maxBytes: number;
  /** Redirects followed, each to a URL the guard checks again; one more is OutboundRedirectsError. */
  maxRedirects: number;
}

/** An answer larger than the caller's limit (declared or streamed). */
export class OutboundTooLargeError extends Error {
  constructor(
    readonly url: string,
    readonly maxBytes: number,
  ) {
    super(`the answer of ${url} is larger than ${maxBytes} bytes`);
    this.name = 'OutboundTooLargeError';
  }
}

/** More redirects than the caller follows. */
export class OutboundRedirectsError extends Error {
  constructor(readonly url: string) {
    super(`too many redirects from ${url}`);
    this.name = 'OutboundRedirectsError';
  }
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** One request through the guard (a GET unless `send` says otherwise): a redirect's location, or the status, headers and body (up to maxBytes). */
function guardedGetOnce(
  rawUrl: string,
  request: OutboundGet,
  policy: OutboundPolicy,
  signal: AbortSignal,
  send: { method: string; body?: string } = { method: 'GET' },
): Promise<{ redirect: string } | { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const checked = target(rawUrl, policy);
  if (typeof checked === 'string') return Promise.reject(new OutboundRefusedError(rawUrl, checked));
  const transport = checked.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = transport.request(
      checked.url,
      {
        method: send.method,
        headers: send.body === undefined ? request.headers : { ...request.headers, 'Content-Length': String(Buffer.byteLength(send.body)) },
        agent: false,
        lookup: guardedLookup(checked, policy, rawUrl),
        signal,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (redirectStatuses.has(status) && location) {
          response.destroy();
          try {
            resolve({ redirect: new URL(location, checked.url).href });
          } catch {
            reject(new OutboundRefusedError(rawUrl, 'the redirect names no valid URL'));
          }
          return;
        }
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > request.maxBytes) {
          response.destroy();
          reject(new OutboundTooLargeError(rawUrl, request.maxBytes));
          return;
        }
        const chunks: Buffer[] = [];
        let length = 0;
        response.on('data', (chunk: Buffer) => {
          length += chunk.length;
          if (length > request.maxBytes) {
            response.destroy();
            reject(new OutboundTooLargeError(rawUrl, request.maxBytes));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ status, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
        response.on('close', () => {
          if (!response.complete) reject(new Error(`the answer of ${rawUrl} ended early`));
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(send.body);
  });
}

/**
 * GETs the URL if the guard allows it, following at most `maxRedirects` redirects, each to a URL
 * checked again (a public host cannot bounce the request inside). Resolves with the final
 * answer's status, headers and body, whatever the status. Throws OutboundRefusedError,
 * OutboundTooLargeError, OutboundRedirectsError, or the network error on a failure or timeout.
 */
export async function guardedGet(
  rawUrl: string,
  request: OutboundGet,
  policy: OutboundPolicy,
): Promise<{ url: string; status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const signal = AbortSignal.timeout(request.timeoutMs);
  let url = rawUrl;
  for (let redirects = 0; ; redirects += 1) {
    const answer = await guardedGetOnce(url, request, policy, signal);
    if (!('redirect' in answer)) return { url, ...answer };
    if (redirects >= request.maxRedirects) throw new OutboundRedirectsError(rawUrl);
    url = answer.redirect;
  }
}

/**
 * One request of any method through the guard, its body read (up to maxBytes), redirects not
 * followed (a 3xx is OutboundRedirectsError): the bot's HTTP actions (infra/bot-actions/). Throws
 * like guardedGet.
 */
export async function guardedSend(
  rawUrl: string,
  request: Omit<OutboundGet, 'maxRedirects'> & { method: string; body?: string },
  policy: OutboundPolicy,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const answer = await guardedGetOnce(rawUrl, { ...request, maxRedirects: 0 }, policy, AbortSignal.timeout(request.timeoutMs), {
    method: request.method,
    body: request.body,
  });
  if ('redirect' in answer) throw new OutboundRedirectsError(rawUrl);
  return answer;
}

/**
 * A TCP server an admin typed in (an email channel's IMAP server), judged without a lookup: why
 * it may not be reached — a literal internal address, an internal name — or null. `cleartext`:
 * the connection would not be encrypted, which (like plain http://) only hosts in
 * OUTBOUND_ALLOWED_HOSTS may take. For saving the host; `resolveOutboundHost` is the guard.
 */
export function outboundHostProblem(host: string, policy: OutboundPolicy, options: { cleartext?: boolean } = {}): string | null {
  const hostname = unbracket(host.trim().toLowerCase()).replace(/\.$/, '');
  const compiled = compile(policy);
  const cleartextRefused = 'an unencrypted connection is allowed only to hosts in OUTBOUND_ALLOWED_HOSTS: use TLS';
  if (isIP(hostname)) {
    const allowed = addressAllowed(hostname, compiled);
    const blocked = blockedRange(hostname);
    if (blocked && !allowed) return `${hostname} is ${blocked}; add it to OUTBOUND_ALLOWED_HOSTS to allow an internal server`;
    if (options.cleartext && !allowed) return cleartextRefused;
    return null;
  }
  if (compiled.names.has(hostname)) return null;
  if (internalName(hostname)) return `${hostname} names an internal host; add it to OUTBOUND_ALLOWED_HOSTS to allow it`;
  // A public name: its addresses decide at connection time, but only allowed ones take cleartext.
  if (options.cleartext && compiled.ranges.length === 0) return cleartextRefused;
  return null;
}

/**
 * Resolves the host and checks every address as guardedRequest does; resolves with the address
 * to connect to — connect to it, not to the name, so a second lookup cannot answer otherwise
 * (no DNS rebinding); pass the name as the TLS server name. Throws OutboundRefusedError.
 */
export async function resolveOutboundHost(host: string, policy: OutboundPolicy, options: { cleartext?: boolean } = {}): Promise<string> {
  const problem = outboundHostProblem(host, policy, options);
  if (problem) throw new OutboundRefusedError(host, problem);
  const hostname = unbracket(host.trim().toLowerCase()).replace(/\.$/, '');
  if (isIP(hostname)) return hostname;
  const compiled = compile(policy);
  const namedAllowed = compiled.names.has(hostname);
  const addresses = await (policy.resolve ?? systemResolve)(hostname);
  if (addresses.length === 0) throw new OutboundRefusedError(host, `${hostname} has no address`);
  for (const { address } of addresses) {
    if (namedAllowed || addressAllowed(address, compiled)) continue;
    const blocked = blockedRange(address);
    if (blocked)
      throw new OutboundRefusedError(host, `${hostname} resolves to ${address}, ${blocked}; add it to OUTBOUND_ALLOWED_HOSTS to allow an internal server`);
    if (options.cleartext) throw new OutboundRefusedError(host, 'an unencrypted connection is allowed only to hosts in OUTBOUND_ALLOWED_HOSTS: use TLS');
  }
  return addresses[0]!.address;
}
