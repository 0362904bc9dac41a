import { effectScope, nextTick } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../i18n/i18n';
import { ApiError } from '../shared/http';
import { useResource } from './use-resource';

/** A promise the test settles by hand, so each step of a load can be looked at. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (cause: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('useResource', () => {
  afterEach(() => setLocale('en'));

  it('loads at once, shows the loading state, then the value', async () => {
    const answer = deferred<string[]>();
    const resource = useResource(() => answer.promise, [] as string[]);
    expect(resource.loading.value).toBe(true);
    expect(resource.loaded.value).toBe(false);
    answer.resolve(['a', 'b']);
    await answer.promise;
    await nextTick();
    expect(resource.data.value).toEqual(['a', 'b']);
    expect(resource.loading.value).toBe(false);
    expect(resource.loaded.value).toBe(true);
  });

  it("keeps the failure as the server's message, in the current language for a network failure", async () => {
    let failure: unknown = new ApiError(503, 'unavailable', 'Try again later.');
    const resource = useResource(() => Promise.reject(failure), null);
    await resource.reload();
    expect(resource.errorMessage.value).toBe('Try again later.');
    expect(resource.loaded.value).toBe(false);

    failure = new ApiError(0, 'network', 'unreachable');
    await resource.reload();
    const english = resource.errorMessage.value;
    setLocale('zh-CN');
    expect(resource.errorMessage.value).not.toBe(english);
    expect(resource.errorMessage.value).toMatch(/[\u4e00-\u9fff]/);
  });

  it('clears the failure when a retry succeeds', async () => {
    let fail = true;
    const resource = useResource(() => (fail ? Promise.reject(new Error('boom')) : Promise.resolve(7)), 0);
    await resource.reload();
    expect(resource.error.value).not.toBeNull();
    fail = false;
    expect(await resource.reload()).toBe(true);
    expect(resource.error.value).toBeNull();
    expect(resource.data.value).toBe(7);
  });

  it('aborts a load still under way when a newer one starts, and ignores its answer', async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const signals: AbortSignal[] = [];
    const answers = [first, second];
    const resource = useResource((signal) => {
      signals.push(signal);
      return answers[signals.length - 1]!.promise;
    }, 'none');
    const newer = resource.reload();
    expect(signals[0]!.aborted).toBe(true);
    second.resolve('newer');
    first.resolve('older');
    await newer;
    await first.promise;
    expect(resource.data.value).toBe('newer');
    expect(resource.loading.value).toBe(false);
  });

  it('waits for the first reload when asked not to load at once', () => {
    let calls = 0;
    const resource = useResource(async () => ++calls, 0, { immediate: false });
    expect(calls).toBe(0);
    expect(resource.loading.value).toBe(false);
  });

  it('aborts its load when the component (scope) that owns it goes away', () => {
    let seen: AbortSignal | null = null;
    const scope = effectScope();
    scope.run(() =>
      useResource((signal) => {
        seen = signal;
        return new Promise<never>(() => {});
      }, null),
    );
    scope.stop();
    expect(seen!.aborted).toBe(true);
  });
});
