// The request id across Temporal (domain/request-id.ts): the client puts the current one
// (request-context.ts) on every workflow start, signal and update as a header; the workflow passes
// it to its activities (workflows/interceptors.ts); each activity runs with it as the current one,
// so its log lines, and any workflow it signals in turn, carry it.
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { requestIdHeader } from '../../domain/request-id.js';
import { currentRequestId, runWithRequestId } from './request-context.js';

function withCurrentRequestId<Input extends { headers: Record<string, Payload> }>(input: Input): Input {
  const requestId = currentRequestId();
  return requestId ? { ...input, headers: { ...input.headers, [requestIdHeader]: defaultPayloadConverter.toPayload(requestId) } } : input;
}

/** For `new Client({ interceptors: { workflow: [requestIdClientInterceptor] } })`. */
export const requestIdClientInterceptor: WorkflowClientInterceptor = {
  start: (input, next) => next(withCurrentRequestId(input)),
  signal: (input, next) => next(withCurrentRequestId(input)),
  signalWithStart: (input, next) => next(withCurrentRequestId(input)),
  startUpdate: (input, next) => next(withCurrentRequestId(input)),
};

/**
 * For the worker's `interceptors.activity`: the activity runs with its header's request id, and
 * its log lines carry it (the SDK's own "Activity completed" too, logged after it ran).
 */
export const requestIdActivityInterceptor: ActivityInterceptorsFactory = () => {
  let requestId: string | undefined;
  return {
    inbound: {
      execute(input, next) {
        const header = input.headers[requestIdHeader];
        const value = header ? defaultPayloadConverter.fromPayload<unknown>(header) : undefined;
        if (typeof value !== 'string') return next(input);
        requestId = value;
        return runWithRequestId(value, () => next(input));
      },
    },
    outbound: {
      getLogAttributes(input, next) {
        return next(requestId ? { ...input, requestId } : input);
      },
    },
  };
};
