// Workflow interceptors: the request id (domain/request-id.ts) that woke a workflow — on its
// start, a signal or an update, as a Temporal header — goes on, as a header, to the activities it
// schedules next, so their log lines name the request that caused them. Headers are not part of
// what replay compares: recorded histories replay unchanged with or without them.
import { defaultPayloadConverter, type Payload, type WorkflowInterceptors } from '@temporalio/workflow';
import { requestIdHeader } from '../domain/request-id.js';

export const interceptors = (): WorkflowInterceptors => {
  // Per workflow run (the factory runs once per run): the id of the last call that carried one (a
  // signal from a timer-driven activity or another workflow may carry none: the id stays).
  let requestId: Payload | undefined;
  const remember = (headers: Record<string, Payload>) => {
    requestId = headers[requestIdHeader] ?? requestId;
  };
  const withRequestId = <Input extends { headers: Record<string, Payload> }>(input: Input): Input =>
    requestId ? { ...input, headers: { ...input.headers, [requestIdHeader]: requestId } } : input;
  return {
    inbound: [
      {
        execute(input, next) {
          remember(input.headers);
          return next(input);
        },
        handleSignal(input, next) {
          remember(input.headers);
          return next(input);
        },
        handleUpdate(input, next) {
          remember(input.headers);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next(withRequestId(input)),
        scheduleLocalActivity: (input, next) => next(withRequestId(input)),
        getLogAttributes(input, next) {
          const id = requestId ? defaultPayloadConverter.fromPayload<unknown>(requestId) : undefined;
          return next(typeof id === 'string' ? { ...input, requestId: id } : input);
        },
      },
    ],
  };
};
