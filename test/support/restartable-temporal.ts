// A Temporal dev server of one test file's own, for fault tests that stop and start it: its SQLite
// file is kept in a temporary folder, so workflows survive the restart, and it always listens on
// the same port, so clients keep their address across restarts.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findTemporalCli, startDevServer, type RunningTemporal } from '../../infra/local/temporal.js';
import { freePort } from './free-port.js';

export interface RestartableTemporal {
  /** `host:port`, the same whether the server runs or not. */
  readonly address: string;
  /** The temporary folder holding the server's SQLite file (a test may keep its own files there). */
  readonly dataDir: string;
  readonly running: boolean;
  start(): Promise<void>;
  /** Stops the server if it runs; its workflows stay in the SQLite file. */
  stop(): Promise<void>;
  /** Stops the server and deletes its folder. */
  remove(): Promise<void>;
}

/** Starts the server; `label` names its temporary folder. */
export async function startRestartableTemporal(label: string): Promise<RestartableTemporal> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `seamless-${label}-`));
  const port = await freePort();
  let server: RunningTemporal | undefined;
  const temporal: RestartableTemporal = {
    address: `127.0.0.1:${port}`,
    dataDir,
    get running() {
      return server !== undefined;
    },
    async start() {
      server = await startDevServer({ port, dbFile: path.join(dataDir, 'temporal.sqlite'), cliPath: findTemporalCli(process.env.TEMPORAL_CLI) ?? undefined });
    },
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async remove() {
      await temporal.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  await temporal.start();
  return temporal;
}
