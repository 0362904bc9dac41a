// A stand-in for @temporalio/client's Client with only what the API calls: workflow.start,
// signalWithStart, getHandle(id).signal / executeUpdate / query / describe, withDeadline, and the
// connection's getSystemInfo (readiness). It records every call, so an in-process API test can
// assert which workflow was told what, and lets a test decide how an update answers (a workflow's
// refusal is an ApplicationFailure, as the real validators throw). Nothing runs a workflow: state
// changes an update would make in the database are the test's to make, when it needs them.
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';

/** One call the API made, by kind, workflow id and the durable name of the message. */
export interface TemporalCall {
  kind: 'start' | 'signalWithStart' | 'signal' | 'update' | 'query';
  workflowId: string;
  /** The workflow type for starts; the signal, update or query name otherwise. */
  name: string;
  args: unknown[];
}

type Named = string | { name: string };
const nameOf = (definition: Named) => (typeof definition === 'string' ? definition : definition.name);

/** Decides how an update (or query) answers; a thrown error reaches the API as the client's would. */
export type Answer = (workflowId: string, input: unknown) => unknown;

export interface FakeTemporal {
  client: Client;
  calls: TemporalCall[];
  /** The calls of one kind (and name), in order. */
  callsOf(kind: TemporalCall['kind'], name?: string): TemporalCall[];
  /** How the update (or query) of this name answers from now on; default: it succeeds with nothing. */
  answer(kind: 'update' | 'query', name: string, answer: Answer): void;
  /**
   * The first call matching, made already or from now on (the outbox relay may deliver after the
   * request has answered); rejects after `timeoutMs`.
   */
  waitForCall(match: (call: TemporalCall) => boolean, timeoutMs?: number): Promise<TemporalCall>;
  /** Workflows that do not exist (started ones exist): their handles answer WorkflowNotFoundError. */
  forget(workflowId: string): void;
  reset(): void;
}

export function createFakeTemporal(): FakeTemporal {
  const calls: TemporalCall[] = [];
  const answers = new Map<string, Answer>();
  const missing = new Set<string>();
  const waiting = new Set<(call: TemporalCall) => void>();
  const record = (call: TemporalCall) => {
    calls.push(call);
    for (const notify of waiting) notify(call);
    if (missing.has(call.workflowId) && call.kind !== 'start' && call.kind !== 'signalWithStart')
      throw new WorkflowNotFoundError('workflow not found', call.workflowId, undefined);
  };

  const getHandle = (workflowId: string) => ({
    workflowId,
    async signal(signal: Named, ...args: unknown[]) {
      record({ kind: 'signal', workflowId, name: nameOf(signal), args });
    },
    async executeUpdate(update: Named, options?: { args?: unknown[] }) {
      const args = options?.args ?? [];
      record({ kind: 'update', workflowId, name: nameOf(update), args });
      return answers.get(`update:${nameOf(update)}`)?.(workflowId, args[0]);
    },
    async query(query: Named, ...args: unknown[]) {
      record({ kind: 'query', workflowId, name: nameOf(query), args });
      return answers.get(`query:${nameOf(query)}`)?.(workflowId, args[0]);
    },
    async describe() {
      if (missing.has(workflowId)) throw new WorkflowNotFoundError('workflow not found', workflowId, undefined);
      return { workflowId, status: { name: 'RUNNING' } };
    },
  });

  const fake = {
    workflow: {
      async start(workflow: Named, options: { workflowId: string; args?: unknown[] }) {
        record({ kind: 'start', workflowId: options.workflowId, name: nameOf(workflow), args: options.args ?? [] });
        missing.delete(options.workflowId);
        return getHandle(options.workflowId);
      },
      async signalWithStart(workflow: Named, options: { workflowId: string; signal: Named; signalArgs?: unknown[]; args?: unknown[] }) {
        record({
          kind: 'signalWithStart',
          workflowId: options.workflowId,
          name: nameOf(workflow),
          args: [nameOf(options.signal), ...(options.signalArgs ?? [])],
        });
        missing.delete(options.workflowId);
        return getHandle(options.workflowId);
      },
      getHandle,
    },
    withDeadline: <T>(_deadline: number | Date, fn: () => Promise<T>) => fn(),
    connection: {
      withDeadline: <T>(_deadline: number | Date, fn: () => Promise<T>) => fn(),
      workflowService: { getSystemInfo: async () => ({}) },
    },
  };

  return {
    // Only the members above exist; the API uses no others (a test calling another fails loudly).
    client: fake as unknown as Client,
    calls,
    callsOf: (kind, name) => calls.filter((call) => call.kind === kind && (name === undefined || call.name === name)),
    answer: (kind, name, answer) => void answers.set(`${kind}:${name}`, answer),
    waitForCall(match, timeoutMs = 5_000) {
      const made = calls.find(match);
      if (made) return Promise.resolve(made);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(notify);
          reject(new Error(`no matching Temporal call within ${timeoutMs} ms`));
        }, timeoutMs);
        const notify = (call: TemporalCall) => {
          if (!match(call)) return;
          clearTimeout(timer);
          waiting.delete(notify);
          resolve(call);
        };
        waiting.add(notify);
      });
    },
    forget: (workflowId) => void missing.add(workflowId),
    reset() {
      calls.length = 0;
      answers.clear();
      missing.clear();
    },
  };
}
