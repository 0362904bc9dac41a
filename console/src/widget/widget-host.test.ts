// The host page's side of the widget: the script tag's data attributes and the Seamless() calls,
// queued before the widget loaded or made after.
import { describe, expect, it } from 'vitest';
import { claimFrom, installHostApi, scriptSettings, type IdentityClaim } from './widget-host';

describe('the identity the host page passes', () => {
  it('keeps the user id (a number too), email, name and hash, trimmed; drops empty values', () => {
    expect(claimFrom({ userId: ' 42 ', email: 'mei@example.com', name: ' Mei ', userHash: 'ab12', extra: 1 })).toEqual({
      userId: '42',
      email: 'mei@example.com',
      name: 'Mei',
      userHash: 'ab12',
    });
    expect(claimFrom({ userId: 7, email: '' })).toEqual({ userId: '7' });
  });

  it('is no identity without a user id', () => {
    for (const value of [null, undefined, 'user-1', {}, { userId: '  ' }, { email: 'a@example.com' }]) expect(claimFrom(value)).toBeNull();
  });

  it('can come from the script tag', () => {
    expect(scriptSettings({ seamlessChannel: 'ch-1', seamlessUserId: 'u1', seamlessUserEmail: 'u1@example.com', seamlessUserHash: 'ff' })).toEqual({
      channelId: 'ch-1',
      identity: { userId: 'u1', email: 'u1@example.com', userHash: 'ff' },
    });
    expect(scriptSettings({ seamlessChannel: 'ch-1' })).toEqual({ channelId: 'ch-1', identity: null });
    expect(scriptSettings(null)).toEqual({ identity: null });
  });
});

describe('window.Seamless', () => {
  const recorder = () => {
    const calls: (IdentityClaim | 'logout')[] = [];
    const warnings: string[] = [];
    return {
      calls,
      warnings,
      commands: { identify: (claim: IdentityClaim) => calls.push(claim), logout: () => calls.push('logout') },
      warn: (m: string) => warnings.push(m),
    };
  };

  it('runs the calls the stub queued, in order, then takes new calls directly', () => {
    const stub = Object.assign(() => {}, { q: [['identify', { userId: 'u1', userHash: 'aa' }] as unknown[], ['logout'], ['identify', { userId: 'u2' }]] });
    const host: { Seamless?: unknown } = { Seamless: stub };
    const { calls, commands, warn } = recorder();
    installHostApi(host, commands, warn);
    expect(calls).toEqual([{ userId: 'u1', userHash: 'aa' }, 'logout', { userId: 'u2' }]);
    (host.Seamless as (command: string, argument?: unknown) => void)('identify', { userId: 'u3' });
    expect(calls.at(-1)).toEqual({ userId: 'u3' });
  });

  it('works without a stub, and ignores unknown commands and identify calls without a user id (with a warning)', () => {
    const host: { Seamless?: unknown } = {};
    const { calls, warnings, commands, warn } = recorder();
    installHostApi(host, commands, warn);
    const seamless = host.Seamless as (command: string, argument?: unknown) => void;
    seamless('identify', { email: 'a@example.com' });
    seamless('boot');
    expect(calls).toEqual([]);
    expect(warnings).toHaveLength(2);
  });
});
