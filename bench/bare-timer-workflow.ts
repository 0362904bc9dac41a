// The scheduled-message bench's baseline workflow (bench/scheduled-messages.ts): sleeps on a
// durable timer until the given instant and returns the time its next workflow task ran, so its
// lateness is what Temporal's timer and task dispatch cost on this server, nothing of ours.
import { sleep } from '@temporalio/workflow';

export async function bareTimerWorkflow(untilMs: number): Promise<number> {
  const wait = untilMs - Date.now();
  if (wait > 0) await sleep(wait);
  return Date.now();
}
