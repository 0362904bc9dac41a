// The environment the bench scripts that start their own stack give the API and the worker
// (bench/load.ts, bench/worker-soak.ts, bench/worker-restart.ts).
import { randomBytes } from 'node:crypto';
import type { Infrastructure } from './stack.js';

export function serviceEnv(infra: Infrastructure, apiUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: infra.databaseUrl,
    TEMPORAL_ADDRESS: infra.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: 'seamless',
    HOST: '127.0.0.1',
    PORT: new URL(apiUrl).port,
    DATA_DIR: infra.tempDir,
    SEAMLESS_SECRET: randomBytes(36).toString('base64url'), // 48 characters
    LOG_LEVEL: 'warn',
    // One client driving its own API on purpose: the per-IP and per-visitor limits that protect a
    // public deployment would measure themselves.
    RATE_LIMIT_WIDGET_VISITORS: '0',
    RATE_LIMIT_WIDGET_CONVERSATIONS: '0',
    RATE_LIMIT_WIDGET_MESSAGES: '0',
    RATE_LIMIT_WIDGET_MESSAGES_PER_IP: '0',
    RATE_LIMIT_LOGIN: '0',
    ...extra,
  };
  delete env.PUBLIC_URL;
  return env;
}
