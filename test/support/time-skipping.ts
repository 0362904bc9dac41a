// Temporal's time-skipping test server for workflow tests, with the workflows bundled once.
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import type { BusinessCalendar } from '../../domain/business-hours.js';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { searchAttributeNames } from '../../domain/search-attributes.js';
import { findTimeSkippingServer } from '../../infra/local/temporal.js';
import { workflowBundleOptions } from '../../worker/workflow-bundle.js';

export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundleOption;
}

/** `temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD`. */
const keywordType = 2;

/** A fresh time-skipping server with our search attributes registered. */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const path = findTimeSkippingServer(process.env.TEMPORAL_TEST_SERVER);
  const env = await TestWorkflowEnvironment.createTimeSkipping(path ? { server: { executable: { type: 'existing-path', path } } } : {});
  // Unlike the dev server (infra/local/temporal.ts), this server starts without our search
  // attributes, and upserting an unknown one fails the workflow task.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(Object.values(searchAttributeNames).map((name) => [name, keywordType])),
  });
  return env;
}

/** The workflow code, bundled once per test file, as the worker bundles it (shared domain modules included). */
export const bundleWorkflows = () => bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger('WARN') });

/** The server, and `bundle` or the workflows bundled now (tests pass the run's, test/support/workflow-bundle.ts; scripts bundle). */
export async function startTimeSkipping(bundle?: WorkflowBundleOption): Promise<TimeSkipping> {
  return { env: await startTimeSkippingServer(), bundle: bundle ?? (await bundleWorkflows()) };
}

/** A worker on the `record` task queue with scripted activities: the scripts that record replay histories (scripts/record-*-history.ts). */
export const recordingWorker = ({ env, bundle }: TimeSkipping, activities: object) =>
  Worker.create({ connection: env.nativeConnection, taskQueue: 'record', workflowBundle: bundle, activities });

/**
 * Starts a workflow (its one input) on a worker of its own task queue with `activities`, for the
 * timer workflows' tests (scheduled message, reminder). `sticky: false`: a worker that is shut
 * down leaves no cached run whose next task would wait for it (the tests that kill a worker).
 */
export async function startOnOwnWorker(
  { env, bundle }: TimeSkipping,
  workflow: { type: string; id: string; input: unknown },
  activities: object,
  options: { sticky?: false } = {},
) {
  const taskQueue = `wf-test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities,
    ...(options.sticky === false ? { maxCachedWorkflows: 0 } : {}),
  });
  const handle = await env.client.workflow.start(workflow.type, { taskQueue, workflowId: workflow.id, args: [workflow.input] });
  return { handle, taskQueue, worker };
}

/**
 * Whether the test server ignores the scheduleToClose timeout of an activity scheduled at
 * `scheduledTimestampMs` (server time, the activity's `info.scheduledTimestampMs`) once it is
 * retried. The server (TestServiceRetryState.getBackoffIntervalInSeconds) checks a retry against
 * the deadline only when `expirationTime.getNanos() != 0`, meant as "a deadline is set": a deadline
 * on a whole second (its clock has milliseconds: 1 activity in 1,000) is ignored, and the timer of
 * that timeout belongs to the first try only, so the activity is retried forever. The deadline is
 * read a moment before the scheduled time, hence a few milliseconds of slack.
 */
export const testServerIgnoresDeadline = (scheduledTimestampMs: number, scheduleToCloseMs: number) => (scheduledTimestampMs + scheduleToCloseMs) % 1000 < 10;

/** Weekdays 09:00-18:00 in London, no holidays: the calendar the workflow tests reason in. */
export const londonOffice: BusinessCalendar = {
  timeZone: 'Europe/London',
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' })),
  holidays: [],
};

/** The test server's current (skipped) time. */
export const serverNow = async (env: TestWorkflowEnvironment) => new Date(await env.currentTimeMs());

/** Skips server time forward to the next given local weekday and time (1 = Monday). */
export async function skipTo(env: TestWorkflowEnvironment, weekday: number, time: string, zone = 'Europe/London'): Promise<Date> {
  const [hour, minute] = time.split(':').map(Number);
  let target = DateTime.fromJSDate(await serverNow(env), { zone }).set({ hour, minute, second: 0, millisecond: 0 });
  while (target.weekday !== weekday || target.toMillis() <= (await env.currentTimeMs())) target = target.plus({ days: 1 });
  await env.sleep(target.toMillis() - (await env.currentTimeMs()));
  return target.toJSDate();
}

/** An instant as "Mon 09:36" in the zone, for readable expectations. */
export const localWeekdayTime = (iso: string, zone = 'Europe/London') => DateTime.fromISO(iso, { zone }).toFormat('ccc HH:mm');
