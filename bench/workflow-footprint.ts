// `npm run bench:workflow-footprint`: the memory one cached workflow costs the worker for the code
// it loads, with the domain modules shared (the worker's bundle, worker/workflow-bundle.ts) and
// without (the SDK's default: every module evaluated once per workflow). Bundles the workflows as
// the worker does, creates N conversation workflows in the SDK's reusable V8 context (what the
// worker's workflow thread runs; reached through SDK internals, so this is a measurement, not a
// contract; bench/support/workflow-sandbox.ts) and reads the heap after a full GC. Runs itself under --expose-gc. Needs no services.
// Prints one JSON line on stdout, then a table on stderr. See bench/README.md.
import { spawnSync } from 'node:child_process';
import v8 from 'node:v8';
import { projectRoot } from '../infra/env.js';
import { workflowBundleOptions } from '../worker/workflow-bundle.js';
import { workflowSandbox } from './support/workflow-sandbox.js';

const workflows = Number(process.env.BENCH_WORKFLOWS ?? 100);

interface Measured {
  shared: boolean;
  workflows: number;
  /** Heap of the context with no workflow (the bundle, and the shared modules when shared). */
  baseHeapMb: number;
  perWorkflowKb: number;
}

// One process per variant: both in one heap would share the V8 code of the first bundle.
if (!process.env.BENCH_FOOTPRINT_VARIANT) {
  const results: Measured[] = [];
  for (const variant of ['shared', 'per-workflow']) {
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/workflow-footprint.ts'], {
      cwd: projectRoot,
      env: { ...process.env, BENCH_FOOTPRINT_VARIANT: variant },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`${variant} run failed:\n${run.stderr}`);
    results.push(JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Measured);
  }
  const [shared, perWorkflow] = results as [Measured, Measured];
  const report = {
    bench: 'seamless-workflow-footprint',
    workflows,
    shared,
    perWorkflow,
    ratio: Math.round((perWorkflow.perWorkflowKb / shared.perWorkflowKb) * 10) / 10,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.stderr.write(
    [
      `memory per cached workflow for its code (${workflows} conversation workflows, heap after a full GC)`,
      `  domain modules shared (the worker's bundle): ${shared.perWorkflowKb} KB each, ${shared.baseHeapMb} MB once`,
      `  evaluated per workflow (SDK default):        ${perWorkflow.perWorkflowKb} KB each, ${perWorkflow.baseHeapMb} MB once`,
      `  ratio ${report.ratio}×`,
      '',
    ].join('\n'),
  );
  process.exit(0);
}

const shared = process.env.BENCH_FOOTPRINT_VARIANT === 'shared';
const bundleOptions = workflowBundleOptions();
const createWorkflow = await workflowSandbox({ ...bundleOptions, preloadModules: shared ? bundleOptions.preloadModules : [] });

const gc = (globalThis as unknown as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run bench:workflow-footprint does)');
const heapMb = () => {
  gc();
  gc();
  return v8.getHeapStatistics().used_heap_size / 1_048_576;
};
const base = heapMb();
const kept: unknown[] = [];
for (let index = 0; index < workflows; index += 1) kept.push(await createWorkflow());
const after = heapMb();
const result: Measured = {
  shared,
  workflows: kept.length,
  baseHeapMb: Math.round(base * 10) / 10,
  perWorkflowKb: Math.round(((after - base) * 1024) / workflows),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
