// The workflow bundle the test run made once (test/global-setup.ts), for every worker a test
// starts: bundling takes ~3.5 s of CPU, and some 90 files start at least one worker.
import type { WorkflowBundlePathWithSourceMap } from '@temporalio/worker';
import { inject } from 'vitest';

export function testWorkflowBundle(): WorkflowBundlePathWithSourceMap {
  const codePath = inject('workflowBundlePath');
  return { codePath, sourceMapPath: `${codePath}.map` };
}
