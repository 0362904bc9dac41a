// What the workflow bundle is made of: one definition for the worker (create-worker.ts) and for
// every test that bundles the workflows, so tests run the bundle production runs.
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundlePathWithSourceMap } from '@temporalio/worker';
import { projectRoot } from '../infra/env.js';

export interface WorkflowBundleOptions {
  workflowsPath: string;
  /**
   * Every module of domain/ (tests excepted), evaluated once per workflow thread and shared by all
   * workflows, with the zod, luxon and re2js they import. Otherwise the SDK evaluates every module
   * a workflow imports once per cached workflow: ~1.7 MB each, nearly all of it zod's library and
   * the rule schemas that workflows never use, so the worker's memory climbed by that much with
   * every conversation the cache kept (issue 15, item 10; `npm run bench:workflow-footprint`).
   *
   * The SDK deep-freezes shared modules; they must keep no per-workflow state. domain/ is pure by
   * an enforced rule (eslint: no I/O, no Node built-ins, only zod, luxon and re2js), and its
   * caches (business-hours windows, compiled rule patterns) are pure functions of their keys.
   */
  preloadModules: string[];
  /** The workflow interceptors (workflows/interceptors.ts: the request id on to activities). */
  workflowInterceptorModules: string[];
}

export function workflowBundleOptions(): WorkflowBundleOptions {
  const domainDir = path.join(projectRoot, 'domain');
  const preloadModules = readdirSync(domainDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .sort()
    .map((file) => path.join(domainDir, file));
  return {
    workflowsPath: path.join(projectRoot, 'workflows', 'index.ts'),
    preloadModules,
    workflowInterceptorModules: [path.join(projectRoot, 'workflows', 'interceptors.ts')],
  };
}

/**
 * Bundles the workflows as the worker does and writes the bundle into `dir`, for workers started
 * with it (WORKER_WORKFLOW_BUNDLE, createWorker's tuning.workflowBundlePath): the test run bundles
 * once instead of once per worker it starts.
 */
export async function writeWorkflowBundle(dir: string): Promise<WorkflowBundlePathWithSourceMap> {
  const { code, sourceMap } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger('WARN') });
  const bundle = { codePath: path.join(dir, 'workflow-bundle.js'), sourceMapPath: path.join(dir, 'workflow-bundle.js.map') };
  await writeFile(bundle.codePath, code);
  await writeFile(bundle.sourceMapPath, sourceMap);
  return bundle;
}
