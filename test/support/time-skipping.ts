// Temporal's time-skipping test server for workflow tests, with the workflows bundled once.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { searchAttributeNames } from '../../domain/search-attributes.js';
import { findTimeSkippingServer } from '../../infra/local/temporal.js';
import { projectRoot } from '../../infra/env.js';

export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundleWithSourceMap;
}

/** `temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD`. */
const keywordType = 2;

export async function startTimeSkipping(): Promise<TimeSkipping> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const path = findTimeSkippingServer(process.env.TEMPORAL_TEST_SERVER);
  const env = await TestWorkflowEnvironment.createTimeSkipping(path ? { server: { executable: { type: 'existing-path', path } } } : {});
  // Unlike the dev server (infra/local/temporal.ts), this server starts without our search
  // attributes, and upserting an unknown one fails the workflow task.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(Object.values(searchAttributeNames).map((name) => [name, keywordType])),
  });
  const bundle = await bundleWorkflowCode({ workflowsPath: `${projectRoot}/workflows/index.ts`, logger: new DefaultLogger('WARN') });
  return { env, bundle };
}
