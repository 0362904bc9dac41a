// The request id that follows one request from the API into the workflows and activities it
// wakes: an `X-Request-Id` header on HTTP, a Temporal header of this name on workflow starts,
// signals and updates, and on the activities a workflow schedules (infra/logging/, workflows/interceptors.ts).
export const requestIdHeader = 'seamless-request-id';

/** What a caller's own X-Request-Id may be (anything else is replaced by one of ours). */
export const requestIdPattern = /^[\w.:-]{1,100}$/;
