// Memory diagnostics of the worker process, off unless asked for (worker/README.md):
// - WORKER_MEMORY_LOG_MS: a `worker memory {...}` line every so often (RSS, main-thread heap,
//   cached workflows), which bench/worker-soak.ts reads;
// - WORKER_HEAP_SNAPSHOT_DIR: on SIGUSR2, heap snapshots of the main thread and of each workflow
//   thread (where the cached workflows live) into that folder, to compare two taken minutes apart.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import v8 from 'node:v8';
import type { Readable } from 'node:stream';
import type { Worker } from '@temporalio/worker';

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

/** One line of memory figures; `cachedWorkflows` is the SDK's own count. */
export function memoryLine(worker: Worker): string {
  const usage = process.memoryUsage();
  const figures = {
    rssMb: mb(usage.rss),
    heapUsedMb: mb(usage.heapUsed),
    heapTotalMb: mb(usage.heapTotal),
    externalMb: mb(usage.external),
    arrayBuffersMb: mb(usage.arrayBuffers),
    cachedWorkflows: worker.getStatus().numCachedWorkflows,
  };
  return `worker memory ${JSON.stringify(figures)}`;
}

/** Prints memoryLine every `intervalMs`; returns a stop function. The timer does not keep the process alive. */
export function startMemoryLog(worker: Worker, intervalMs: number, print: (line: string) => void = console.log): () => void {
  const timer = setInterval(() => print(memoryLine(worker)), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** The SDK's workflow threads (node:worker_threads), reached through its internals: diagnostics only. */
function workflowThreads(worker: Worker): { getHeapSnapshot(): Promise<Readable> }[] {
  const creator = (worker as unknown as { workflowCreator?: { workerThreadClients?: { workerThread?: { getHeapSnapshot(): Promise<Readable> } }[] } })
    .workflowCreator;
  return (creator?.workerThreadClients ?? []).flatMap((client) => (client.workerThread ? [client.workerThread] : []));
}

/** Writes heap snapshots of the main thread and of each workflow thread; resolves with their paths. */
export async function writeHeapSnapshots(worker: Worker, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stamp = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  const written = [v8.writeHeapSnapshot(path.join(dir, `worker-main-${stamp}.heapsnapshot`))];
  for (const [index, thread] of workflowThreads(worker).entries()) {
    const file = path.join(dir, `worker-workflows${index}-${stamp}.heapsnapshot`);
    await pipeline(await thread.getHeapSnapshot(), createWriteStream(file));
    written.push(file);
  }
  return written;
}

/** On SIGUSR2, writes the snapshots into `dir` and prints where (`worker heap snapshots ...`). */
export function heapSnapshotsOnSignal(worker: Worker, dir: string): void {
  let busy = false;
  process.on('SIGUSR2', () => {
    if (busy) return;
    busy = true;
    writeHeapSnapshots(worker, dir)
      .then(
        (files) => console.log(`worker heap snapshots ${JSON.stringify(files)}`),
        (error: unknown) => console.error('worker: heap snapshot failed', error),
      )
      .finally(() => (busy = false));
  });
}
