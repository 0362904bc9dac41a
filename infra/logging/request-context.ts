// The request (or activity) a piece of work belongs to, carried across awaits by
// AsyncLocalStorage: log lines and Temporal calls made while serving it carry its id.
import { AsyncLocalStorage } from 'node:async_hooks';

const context = new AsyncLocalStorage<{ requestId: string }>();

export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return context.run({ requestId }, work);
}

export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}
