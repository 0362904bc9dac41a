// Idempotency keys for POSTs that create messages. A retry of the same draft must reuse the
// key, or a request that did reach the server (but whose answer was lost) would post twice.

/** crypto.randomUUID exists only in secure contexts (https, localhost); fall back to getRandomValues elsewhere. */
export function newIdempotencyKey(source: Pick<Crypto, 'getRandomValues'> & Partial<Pick<Crypto, 'randomUUID'>> = crypto): string {
  if (typeof source.randomUUID === 'function') return source.randomUUID();
  const bytes = source.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Hands out one key per draft: asking again for the same text (a retry after a failure) gives
 * the same key; new text, or a send that succeeded, gives a fresh one.
 */
export class DraftKeys {
  private pending: { body: string; key: string } | null = null;

  constructor(private readonly generate: () => string = () => newIdempotencyKey()) {}

  keyFor(body: string): string {
    if (this.pending?.body !== body) this.pending = { body, key: this.generate() };
    return this.pending.key;
  }

  /** The send was accepted: the next send is a new message. */
  settle(): void {
    this.pending = null;
  }
}
