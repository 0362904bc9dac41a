// Structured logs (pino): one JSON object per line in production (NODE_ENV=production or
// LOG_FORMAT=json), readable lines in development (pino-pretty). Every line made while serving a
// request or running an activity carries its `requestId` (request-context.ts). Secrets never
// reach the output: known secret-bearing fields are redacted wherever they appear, and errors are
// logged with their message and stack, not the request or config objects they may hold.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { currentRequestId } from './request-context.js';

export type { Logger } from 'pino';

export type LogFormat = 'json' | 'pretty';

/** Field names whose values are never logged, at the top level or one object down. */
const secretFields = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'apiKey',
  'key',
  'authorization',
  'cookie',
];
export const redactedPaths = [
  ...secretFields,
  ...secretFields.map((field) => `*.${field}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
];

export function logFormatOf(env: { NODE_ENV?: string; LOG_FORMAT?: string }): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return env.NODE_ENV === 'production' ? 'json' : 'pretty';
}

export interface LoggerOptions {
  /** The process: `api`, `worker`, … (the `name` of every line). */
  name: string;
  level: string;
  format: LogFormat;
  /** Where lines go (default standard output); tests pass a stream to read them back. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const settings: pino.LoggerOptions = {
    name: options.name,
    level: options.level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    mixin() {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  if (options.destination) return pino(settings, options.destination);
  if (options.format === 'pretty') {
    // Synchronous pretty-printing in this thread: lines stay in order with the child processes' own output.
    return pino(settings, pretty({ colorize: process.stdout.isTTY, sync: true, singleLine: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' }));
  }
  return pino(settings);
}

/** The `(message, error?)` logging function the services take: an error makes it an error line. */
export function logFunction(logger: Logger): (message: string, error?: unknown) => void {
  return (message, error) => {
    if (error === undefined || error === '') logger.warn(message);
    else logger.error({ err: error }, message);
  };
}

/** A child that writes at `info` even when the process logs only warnings: the lines tools wait for. */
export function lifecycleLogger(logger: Logger): Logger {
  return logger.isLevelEnabled('info') ? logger : logger.child({}, { level: 'info' });
}
