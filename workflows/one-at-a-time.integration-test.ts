// The writer lock of the workflows (one-at-a-time.ts) under parallel updates, on Temporal's
// time-skipping server: five updates that arrive together run one after the other.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../infra/env.js';
import { finishUpdate, mostAtOnceQuery, oneAtATimeProbe, writeUpdate } from '../test/support/one-at-a-time-workflow.js';
import { startTimeSkippingServer } from '../test/support/time-skipping.js';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTimeSkippingServer();
});
afterAll(async () => {
  await env?.teardown();
});

describe('one writer at a time', () => {
  it('runs parallel updates one after the other, each with its own result', async () => {
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: `${projectRoot}/test/support/one-at-a-time-workflow.ts`,
      logger: new DefaultLogger('WARN'),
    });
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'one-at-a-time', workflowBundle });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(oneAtATimeProbe, { taskQueue: 'one-at-a-time', workflowId: `one-at-a-time-${Date.now()}` });
      const results = await Promise.all([1, 2, 3, 4, 5].map((id) => handle.executeUpdate(writeUpdate, { args: [{ id }] })));
      expect(results.sort()).toEqual([1, 2, 3, 4, 5]);
      expect(await handle.query(mostAtOnceQuery)).toBe(1);
      await handle.executeUpdate(finishUpdate, { args: [{}] });
      await handle.result();
    });
  });
});
