// localStorage for small per-device and per-user choices (language, theme). Storage throws in some
// private modes and sandboxed iframes; such a choice is not worth failing for.

export function readStored(key: string): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: string): void {
  try {
    if (typeof localStorage !== 'undefined') localStorage.setItem(key, value);
  } catch {
    // Quota or privacy mode: the choice just is not remembered.
  }
}
