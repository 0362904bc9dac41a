// Keyboard shortcuts of the inbox. Deciding (which command a key press means, which conversation
// is next) is pure and tested here; InboxView only listens and acts.

export const shortcutCommands = ['next', 'previous', 'reply', 'assign', 'resolve', 'snooze', 'search', 'help'] as const;
export type ShortcutCommand = (typeof shortcutCommands)[number];

/** The keys, as shown in the help list. */
export const shortcutKeys: Record<ShortcutCommand, string> = {
  next: 'j',
  previous: 'k',
  reply: 'r',
  assign: 'a',
  resolve: 'e',
  snooze: 's',
  search: '/',
  help: '?',
};

/** Number keys 1-7 switch to the inbox's views in the order they are listed (inbox-list.ts `inboxViews`). */
export const viewKeyCount = 7;

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** An IME is composing (Chinese input): the key belongs to it. */
  isComposing?: boolean;
  /** The element the key press is aimed at. */
  target: EventTarget | null;
}

/** Where a typed letter is text, not a command: fields, editable content, and menus' own keys. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof target !== 'object') return false;
  const el = target as { tagName?: unknown; isContentEditable?: unknown; type?: unknown };
  if (el.isContentEditable === true) return true;
  const tag = typeof el.tagName === 'string' ? el.tagName.toUpperCase() : '';
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  // Buttons and boxes take no text: j/k there still navigate.
  return !['button', 'submit', 'reset', 'checkbox', 'radio'].includes(String(el.type ?? 'text').toLowerCase());
}

/** The command a key press means, or null (modifiers, typing, or any other key). */
export function shortcutFor(press: KeyPress): ShortcutCommand | null {
  if (press.ctrlKey || press.metaKey || press.altKey || press.isComposing) return null;
  if (isTypingTarget(press.target)) return null;
  for (const command of shortcutCommands) if (shortcutKeys[command] === press.key) return command;
  return null;
}

/** The view a number key switches to (its index in the list of views, from 0), or null. */
export function viewIndexFor(press: KeyPress): number | null {
  if (press.ctrlKey || press.metaKey || press.altKey || press.isComposing || isTypingTarget(press.target)) return null;
  const digit = /^[1-9]$/.test(press.key) ? Number(press.key) : 0;
  return digit >= 1 && digit <= viewKeyCount ? digit - 1 : null;
}

/**
 * The conversation j/k moves to: the one after (or before) the current one in the list; from
 * none (or one no longer in the list) j starts at the top and k at the bottom. Stops at the ends.
 */
export function neighbour(ids: readonly string[], currentId: string | null | undefined, direction: 'next' | 'previous'): string | null {
  if (ids.length === 0) return null;
  const index = currentId ? ids.indexOf(currentId) : -1;
  if (index === -1) return direction === 'next' ? ids[0]! : ids[ids.length - 1]!;
  const target = direction === 'next' ? Math.min(index + 1, ids.length - 1) : Math.max(index - 1, 0);
  return ids[target]!;
}
