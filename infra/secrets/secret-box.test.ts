import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretUnreadableError } from './secret-box.js';

const serverSecret = 'a-server-secret-of-at-least-32-characters';

describe('createSecretBox', () => {
  it('seals so that only the same key, purpose and context open it', () => {
    const box = createSecretBox(serverSecret, 'rule-webhook-secrets');
    const sealed = box.seal('whsec_测试_0123456789', 'row-1');
    expect(Buffer.from(sealed).includes(Buffer.from('whsec_'))).toBe(false);
    expect(box.open(sealed, 'row-1')).toBe('whsec_测试_0123456789');
    // Moved to another row, another purpose's key, another server secret: refused.
    expect(() => box.open(sealed, 'row-2')).toThrow(SecretUnreadableError);
    expect(() => createSecretBox(serverSecret, 'another-purpose').open(sealed, 'row-1')).toThrow(SecretUnreadableError);
    expect(() => createSecretBox(`${serverSecret}!`, 'rule-webhook-secrets').open(sealed, 'row-1')).toThrow(SecretUnreadableError);
  });

  it('uses a fresh IV each time and refuses tampered or truncated bytes', () => {
    const box = createSecretBox(serverSecret, 'p');
    const [a, b] = [box.seal('same', 'id'), box.seal('same', 'id')];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    const tampered = Uint8Array.from(a);
    tampered[20] = tampered[20]! ^ 1;
    expect(() => box.open(tampered, 'id')).toThrow(SecretUnreadableError);
    expect(() => box.open(a.subarray(0, 10), 'id')).toThrow(SecretUnreadableError);
    expect(() => box.open(Uint8Array.from([2, ...a.subarray(1)]), 'id')).toThrow(SecretUnreadableError);
  });
});
