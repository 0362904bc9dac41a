/**
 * Polls `probe` until it returns a value, failing after `timeoutMs`. Only for state that has no
 * event to wait on (Temporal's eventually consistent visibility, a read model settling).
 */
export async function waitUntil<T>(probe: () => Promise<T | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
