// The knowledge calibration workflow on Temporal's time-skipping test server, with a scripted
// recalibration activity: several article changes in a row make one run once they are quiet for
// the debounce time; an admin's "recalibrate now" runs at once; a change during a run makes
// another run after it. Minutes pass in milliseconds.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalibrationActivities } from '../activities/calibration-activities.js';
import { startTimeSkipping } from '../test/support/time-skipping.js';
import { testWorkflowBundle } from '../test/support/workflow-bundle.js';
import {
  knowledgeCalibrationStateQuery,
  knowledgeCalibrationWorkflowName,
  knowledgeChangedSignal,
  type CalibrationTrigger,
  type KnowledgeCalibrationInput,
} from './knowledge-calibration.messages.js';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleOption;

beforeAll(async () => {
  ({ env, bundle } = await startTimeSkipping(testWorkflowBundle()));
});
afterAll(() => env?.teardown());

const debounceMs = 60_000;

/** A recalibration that records its calls (server time, trigger); `hold` keeps a call running until released. */
function scripted() {
  const calls: { at: number; trigger: CalibrationTrigger }[] = [];
  const listeners: (() => void)[] = [];
  let hold: Promise<void> | undefined;
  const activities: CalibrationActivities = {
    async recalibrateKnowledgeBase({ trigger }) {
      calls.push({ at: await env.currentTimeMs(), trigger });
      for (const listener of listeners.splice(0)) listener();
      await hold;
      return [{ locale: 'en', version: calls.length, fitted: true }];
    },
  };
  const called = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => (calls.length >= count ? resolve() : listeners.push(check));
      check();
    });
  const holdNext = () => {
    let release!: () => void;
    hold = new Promise<void>((resolve) => (release = resolve));
    return () => {
      hold = undefined;
      release();
    };
  };
  return { activities, calls, called, holdNext };
}

async function run<T>(activities: CalibrationActivities, work: (handle: Awaited<ReturnType<typeof env.client.workflow.start>>) => Promise<T>): Promise<T> {
  const taskQueue = `calibration-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start(knowledgeCalibrationWorkflowName, {
      taskQueue,
      workflowId: `knowledge-calibration-${randomUUID()}`,
      args: [{ organizationId: 1, debounceMs } satisfies KnowledgeCalibrationInput],
    });
    try {
      return await work(handle);
    } finally {
      await handle.terminate();
    }
  });
}

describe('knowledgeCalibrationWorkflow', () => {
  it('runs once for several article changes in a row, after they have been quiet for the debounce time', async () => {
    const fake = scripted();
    await run(fake.activities, async (handle) => {
      const firstAt = await env.currentTimeMs();
      for (let edit = 0; edit < 4; edit++) await handle.signal(knowledgeChangedSignal, { trigger: 'article_changed' });
      // Time passes only while the test sleeps on the server's clock: ten debounce periods, one run.
      await env.sleep(10 * debounceMs);
      await fake.called(1);
      expect(fake.calls.map((call) => call.trigger)).toEqual(['article_changed']);
      expect(fake.calls[0]!.at - firstAt).toBeGreaterThanOrEqual(debounceMs);
      expect(await handle.query(knowledgeCalibrationStateQuery)).toMatchObject({ runs: 1, pending: null, running: false });
    });
  });

  it("runs an admin's request at once, and a change made during a run in a run after it", async () => {
    const fake = scripted();
    await run(fake.activities, async (handle) => {
      const release = fake.holdNext();
      const askedAt = await env.currentTimeMs();
      await handle.signal(knowledgeChangedSignal, { trigger: 'manual' });
      await fake.called(1);
      expect(fake.calls[0]!.trigger).toBe('manual');
      expect(fake.calls[0]!.at - askedAt).toBeLessThan(debounceMs);
      // An article changes while the manual run is still going: calibrated by the next run.
      await handle.signal(knowledgeChangedSignal, { trigger: 'article_changed' });
      expect(await handle.query(knowledgeCalibrationStateQuery)).toMatchObject({ running: true, pending: 'article_changed' });
      release();
      await env.sleep(2 * debounceMs); // that change is debounced like any
      await fake.called(2);
      expect(fake.calls.map((call) => call.trigger)).toEqual(['manual', 'article_changed']);
      expect(await handle.query(knowledgeCalibrationStateQuery)).toMatchObject({ pending: null });
    });
  });
});
