import { describe, expect, it } from 'vitest';
import type { EventView } from '../../../domain/events';
import { useLiveSnapshot } from './use-live-snapshot';

const event = (id: string) => ({ id }) as unknown as EventView;

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((yes) => (resolve = yes));
  return { promise, resolve };
}

describe('useLiveSnapshot', () => {
  it('replays the events that arrived while the snapshot was fetched, and no others', async () => {
    const answer = deferred<string[]>();
    const applied: { snapshot: string[]; events: string[] }[] = [];
    const live = useLiveSnapshot(
      () => answer.promise,
      (snapshot, meanwhile) => applied.push({ snapshot, events: meanwhile.map((e) => e.id) }),
    );
    live.record(event('before'));
    const loading = live.reload();
    live.record(event('during'));
    answer.resolve(['row']);
    await loading;
    live.record(event('after'));
    expect(applied).toEqual([{ snapshot: ['row'], events: ['during'] }]);
    expect(live.loaded.value).toBe(true);
  });

  it("drops an older fetch's answer when a newer one started", async () => {
    const older = deferred<string>();
    const newer = deferred<string>();
    const answers = [older, newer];
    const applied: string[] = [];
    const live = useLiveSnapshot(
      () => answers.shift()!.promise,
      (snapshot) => applied.push(snapshot),
    );
    const first = live.reload();
    const second = live.reload();
    older.resolve('older');
    newer.resolve('newer');
    await Promise.all([first, second]);
    expect(applied).toEqual(['newer']);
  });
});
