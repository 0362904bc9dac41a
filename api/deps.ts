// What the API needs from the outside world, built by main.ts (or a test) and passed down.
import type { Client } from '@temporalio/client';
import type { Authenticate } from '../infra/auth/principal.js';
import type { Db } from '../infra/db.js';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** Signs visitor tokens. */
  secret: string;
  authenticate: Authenticate;
  log: (message: string, error?: unknown) => void;
  /** Built console (console/dist) to serve, if any. */
  consoleDir?: string;
}
