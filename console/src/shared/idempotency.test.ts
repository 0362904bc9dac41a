import { describe, expect, it } from 'vitest';
import { DraftKeys, newIdempotencyKey } from './idempotency';

describe('newIdempotencyKey', () => {
  it('builds a version-4 UUID from random bytes when randomUUID is unavailable (plain http)', () => {
    const key = newIdempotencyKey({ getRandomValues: <T extends ArrayBufferView | null>(array: T) => array });
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives different keys on each call', () => {
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });
});

describe('DraftKeys', () => {
  const sequence = () => {
    let n = 0;
    return () => `key-${++n}`;
  };

  it('reuses the key when the same draft is retried after a failure', () => {
    const keys = new DraftKeys(sequence());
    expect(keys.keyFor('hello')).toBe('key-1');
    expect(keys.keyFor('hello')).toBe('key-1');
  });

  it('gives a new key once the text changes', () => {
    const keys = new DraftKeys(sequence());
    keys.keyFor('hello');
    expect(keys.keyFor('hello!')).toBe('key-2');
  });

  it('gives a new key for the same text after the previous send succeeded', () => {
    const keys = new DraftKeys(sequence());
    keys.keyFor('thanks');
    keys.settle();
    expect(keys.keyFor('thanks')).toBe('key-2');
  });
});
