// `npm run bench:sdk-floor`: what the Temporal TypeScript SDK itself costs per workflow on this
// machine, the floor under the worker CPU per routed conversation that `npm run bench` prints
// (issue 19's target is ≤ 10 ms). A worker and a client in this process, on a dev server of its
// own, run each workflow type to completion N times (20 at a time) and measure this process's CPU:
// a workflow that returns at once (the baseline), and ones that run one and three local
// activities that do nothing (a conversation's first run runs three: prepare, SLA, route).
// Prints one JSON line, then a table with ratios to the baseline measured in the same run.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { findTemporalCli, startDevServer } from '../infra/local/temporal.js';
import { freePort } from './support/free-port.js';

const require = createRequire(import.meta.url);
const { values } = parseArgs({ options: { workflows: { type: 'string', default: '400' }, rounds: { type: 'string', default: '2' } } });
const count = Number(values.workflows);
const rounds = Number(values.rounds);
const concurrency = 20;
const types = ['floorBare', 'floorOneLocal', 'floorThreeLocal'] as const;

Runtime.install({ logger: new DefaultLogger('ERROR') });
const cli = findTemporalCli(process.env.TEMPORAL_CLI);
if (!cli) throw new Error('no Temporal CLI (npm start installs it into .venv)');
const server = await startDevServer({ port: await freePort(), cliPath: cli });
const connection = await NativeConnection.connect({ address: server.address });
const taskQueue = 'sdk-floor';
const worker = await Worker.create({
  connection,
  taskQueue,
  workflowsPath: require.resolve('./sdk-floor-workflows.ts'),
  activities: { nothing: async () => {} },
});
const running = worker.run();
const clientConnection = await Connection.connect({ address: server.address });
const client = new Client({ connection: clientConnection });

/** CPU ms of this process per workflow run to completion, `count` of `type`. */
async function cpuPerWorkflow(type: (typeof types)[number], round: number): Promise<number> {
  const before = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        await client.workflow.execute(type, { taskQueue, workflowId: `${type}-${round}-${index}` });
      }
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / count;
}

// A warm-up round first (bundle, JIT, connections), then the measured rounds; the lowest of each.
for (const type of types) await cpuPerWorkflow(type, -1);
const measured: Record<string, number[]> = {};
for (let round = 0; round < rounds; round++) for (const type of types) (measured[type] ??= []).push(await cpuPerWorkflow(type, round));
const best = Object.fromEntries(types.map((type) => [type, Math.min(...measured[type]!)])) as Record<(typeof types)[number], number>;
const round2 = (value: number) => Math.round(value * 100) / 100;
const report = {
  bench: 'sdk-floor',
  workflowsPerType: count,
  rounds,
  concurrency,
  cpuMsPerWorkflow: Object.fromEntries(types.map((type) => [type, round2(best[type])])),
  ratioToBare: Object.fromEntries(types.map((type) => [type, round2(best[type] / best.floorBare)])),
  cpuMsPerLocalActivity: round2((best.floorThreeLocal - best.floorBare) / 3),
  note: 'CPU of one process running both the client and the worker, lowest of the measured rounds; the Temporal dev server runs apart',
};
console.log(JSON.stringify(report));
console.log(
  [
    '',
    'workflow           CPU ms / workflow   × bare',
    ...types.map((type) => `${type.padEnd(18)} ${String(report.cpuMsPerWorkflow[type]).padStart(17)}   ${report.ratioToBare[type]}`),
    `per local activity ${String(report.cpuMsPerLocalActivity).padStart(16)}`,
  ].join('\n'),
);

worker.shutdown();
await running;
await clientConnection.close();
await connection.close();
await server.stop();
