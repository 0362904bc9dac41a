// A workflow for the test of workflows/one-at-a-time.ts: each `write` update runs an action that
// takes a while (a timer) under the writer, and the workflow counts how many ran at once.
import { defineQuery, defineUpdate, setHandler, sleep, condition } from '@temporalio/workflow';
import { oneAtATime } from '../../workflows/one-at-a-time.js';

export const writeUpdate = defineUpdate<number, [{ id: number }]>('write');
export const mostAtOnceQuery = defineQuery<number>('mostAtOnce');
export const finishUpdate = defineUpdate<void, [Record<string, never>]>('finish');

export async function oneAtATimeProbe(): Promise<void> {
  let running = 0;
  let mostAtOnce = 0;
  let finished = false;
  const writer = oneAtATime(
    () => true,
    () => {},
  );
  setHandler(writeUpdate, ({ id }) =>
    writer.run(async () => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await sleep(1_000);
      running -= 1;
      return id;
    }),
  );
  setHandler(mostAtOnceQuery, () => mostAtOnce);
  setHandler(finishUpdate, () => void (finished = true));
  await condition(() => finished);
}
