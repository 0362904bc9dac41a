// What the host page tells the widget: its web_chat channel and who its signed-in user is.
//
// Either on the widget's script tag —
//   <script type="module" src="…" data-seamless-channel="<channel id>" data-seamless-user-id="42"
//           data-seamless-user-email="mei@example.com" data-seamless-user-name="Mei" data-seamless-user-hash="<hex>">
// — or by calls, queued before the script loads (the usual stub) and run once it has:
//   window.Seamless = window.Seamless || function () { (window.Seamless.q = window.Seamless.q || []).push(arguments); };
//   Seamless('identify', { userId: '42', email: 'mei@example.com', name: 'Mei', userHash: '<hex>' });
//   Seamless('logout');  // the user signed out of the site: the widget forgets them
// `userHash` is the hex HMAC-SHA256 of userId with the channel's identity secret, computed on the
// host site's server (api/services/widget-identity.ts); the widget only passes it on.
import { ref } from 'vue';

/** The host site's user as the widget sends it (contract/requests/widget.ts identityClaim). */
export interface IdentityClaim {
  userId: string;
  email?: string;
  name?: string;
  userHash?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** The claim in what the host page passed, or null when it names no user id. */
export function claimFrom(value: unknown): IdentityClaim | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const userId = text(record.userId) ?? (typeof record.userId === 'number' ? String(record.userId) : undefined);
  if (!userId) return null;
  const claim: IdentityClaim = { userId };
  const email = text(record.email);
  const name = text(record.name);
  const userHash = text(record.userHash);
  if (email) claim.email = email;
  if (name) claim.name = name;
  if (userHash) claim.userHash = userHash;
  return claim;
}

/** The channel and the user named by the script tag's data attributes. */
export function scriptSettings(dataset: Record<string, string | undefined> | null): { channelId?: string; identity: IdentityClaim | null } {
  if (!dataset) return { identity: null };
  const channelId = text(dataset.seamlessChannel);
  const identity = claimFrom({
    userId: dataset.seamlessUserId,
    email: dataset.seamlessUserEmail,
    name: dataset.seamlessUserName,
    userHash: dataset.seamlessUserHash,
  });
  return channelId ? { channelId, identity } : { identity };
}

/** The widget's script tag, found by its data attributes (a module script has no document.currentScript). */
export const hostScriptSelector = 'script[data-seamless-channel], script[data-seamless-user-id]';

export interface HostCommands {
  identify(claim: IdentityClaim): void;
  logout(): void;
}

type SeamlessFunction = ((command: unknown, argument?: unknown) => void) & { q?: ArrayLike<unknown>[] };

/**
 * Runs the calls queued on `window.Seamless` by the stub, then replaces it with the real function.
 * An unknown command or an identify without a user id is ignored (with a console warning), as a
 * host page's mistake must not break the widget.
 */
export function installHostApi(host: { Seamless?: unknown }, commands: HostCommands, warn: (message: string) => void = () => {}): void {
  const run = (command: unknown, argument?: unknown) => {
    if (command === 'identify') {
      const claim = claimFrom(argument);
      if (claim) commands.identify(claim);
      else warn('Seamless("identify", …) needs at least { userId }');
    } else if (command === 'logout') commands.logout();
    else warn(`Seamless: unknown command ${String(command)}`);
  };
  const queued = typeof host.Seamless === 'function' ? ((host.Seamless as SeamlessFunction).q ?? []) : [];
  const seamless: SeamlessFunction = (command, argument) => run(command, argument);
  host.Seamless = seamless;
  for (const call of Array.from(queued)) run(call[0], call[1]);
}

/** The widget's view of the host page: set by main.ts, read by ChatWidget.vue. */
export const hostChannelId = ref<string | undefined>(undefined);
export const hostIdentity = ref<IdentityClaim | null>(null);
/** Whether the panel is open: set by ChatWidget.vue, told to the loader when embedded (main.ts). */
export const panelOpen = ref(false);
