// A hot standby of an embedded primary (infra/local/postgres.ts), for the read replica's test and
// bench (DATABASE_READ_URL, infra/read-replica.ts). The embedded package has no pg_basebackup, so
// the standby starts from a copy of the primary's data folder taken while the primary is cleanly
// stopped — a consistent base backup — with standby.signal and primary_conninfo: it then streams
// and replays the primary's WAL like any physical replica.
import { spawnSync } from 'node:child_process';
import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgresOptions, type EmbeddedRunningPostgres } from './postgres.js';

/**
 * Stops `primary` for the copy (a second or two), starts it again, then the standby in
 * `replica.dataDir` (which must not exist yet). Load the data first: what the primary holds then
 * is copied, not replayed.
 */
export async function startStreamingReplica(
  primary: EmbeddedRunningPostgres,
  primaryDataDir: string,
  replica: Omit<EmbeddedPostgresOptions, 'database'>,
): Promise<EmbeddedRunningPostgres> {
  const database = new URL(primary.url).pathname.slice(1);
  await primary.stop();
  // -a keeps the owner (PostgreSQL runs as `postgres` when started by root) and the modes.
  const copied = spawnSync('cp', ['-a', primaryDataDir, replica.dataDir], { encoding: 'utf8' });
  if (copied.status !== 0) throw new Error(`copying ${primaryDataDir} to ${replica.dataDir} failed: ${copied.stderr.trim()}`);
  await writeFile(path.join(replica.dataDir, 'standby.signal'), '');
  // initdb's pg_hba.conf lets the superuser replicate from 127.0.0.1 with its password.
  const server = new URL(primary.url);
  const conninfo = `host=${server.hostname} port=${server.port} user=${decodeURIComponent(server.username)} password=${decodeURIComponent(server.password)}`;
  await appendFile(path.join(replica.dataDir, 'postgresql.auto.conf'), `primary_conninfo = '${conninfo}'\n`);
  await primary.start();
  return startEmbeddedPostgres({ ...replica, database });
}
