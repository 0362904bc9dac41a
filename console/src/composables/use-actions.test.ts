import { describe, expect, it } from 'vitest';
import { ApiError } from '../shared/http';
import { useActions } from './use-actions';

describe('useActions', () => {
  it('shows which action runs while it runs, and nothing after', async () => {
    const actions = useActions<'resolve' | 'snooze'>();
    let during: string | null = null;
    expect(await actions.run('resolve', async () => void (during = actions.busy.value))).toBe(true);
    expect(during).toBe('resolve');
    expect(actions.busy.value).toBeNull();
  });

  it("keeps the server's refusal as text and clears it when the next action starts", async () => {
    const actions = useActions<'resolve' | 'snooze'>();
    expect(await actions.run('resolve', () => Promise.reject(new ApiError(409, 'conflict', 'Already resolved.')))).toBe(false);
    expect(actions.error.value).toBe('Already resolved.');
    await actions.run('snooze', async () => {});
    expect(actions.error.value).toBeNull();
  });

  it('runs one action at a time', async () => {
    const actions = useActions<'resolve' | 'snooze'>();
    let release!: () => void;
    const first = actions.run('resolve', () => new Promise<void>((resolve) => (release = resolve)));
    let ran = false;
    expect(await actions.run('snooze', async () => void (ran = true))).toBe(false);
    expect(ran).toBe(false);
    release();
    expect(await first).toBe(true);
  });
});
