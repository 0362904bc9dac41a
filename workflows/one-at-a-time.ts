// Workflow handlers and the main loop both run activities; those that write must not interleave
// (a transfer in the middle of routing, a reopen in the middle of an auto-close).
//
// Several handlers can wait at once (parallel updates). When the runner ends, every waiting
// condition sees `!busy` in the same activation and resolves; each must look again when it
// resumes, or they all run together — the 'one-writer-at-a-time' patch (ten parallel verdicts on
// a bot answer gave ten events before it).
import { condition } from '@temporalio/workflow';
import { patched } from './patches.js';

export interface OneAtATime {
  /** Waits until `ready()` and nothing else runs, then runs the action; `afterEach` follows it. */
  run<T>(action: () => Promise<T>): Promise<T>;
  readonly busy: boolean;
}

export function oneAtATime(ready: () => boolean, afterEach: () => void): OneAtATime {
  let busy = false;
  return {
    async run<T>(action: () => Promise<T>): Promise<T> {
      await condition(() => ready() && !busy);
      if (patched('one-writer-at-a-time')) while (busy || !ready()) await condition(() => ready() && !busy);
      busy = true;
      try {
        return await action();
      } finally {
        busy = false;
        afterEach();
      }
    },
    get busy() {
      return busy;
    },
  };
}
