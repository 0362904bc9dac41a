// Configuration, parsed once per process at start and passed down typed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const optionalString = z.string().trim().min(1).optional();

const envSchema = z.object({
  DATABASE_URL: optionalString,
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('seamless'),
  TEMPORAL_CLI: optionalString,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalString,
  /** Signs visitor tokens. Without it a random secret is kept under DATA_DIR. */
  SEAMLESS_SECRET: z.string().min(32).optional(),
  DATA_DIR: z.string().default(path.join(projectRoot, '.data')),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().default(54320),
  TEMPORAL_PORT: z.coerce.number().int().default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  VITE_PORT: z.coerce.number().int().default(5173),
  /** Meilisearch for knowledge search; without it PostgreSQL full-text search is used. */
  MEILI_URL: z.url().optional(),
  MEILI_MASTER_KEY: optionalString,
  /** An OpenAI-compatible endpoint (ending in /v1) for the AI layer; with it or AI_API_KEY the model path is used, else the local fallback. */
  AI_BASE_URL: z.url().optional(),
  /** The endpoint's API key (sent as a Bearer token); alone it means OpenAI's own endpoint. */
  AI_API_KEY: optionalString,
  /** The chat model every AI call uses. */
  AI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
  /** Timeout of one model call attempt, in milliseconds (the client retries transient failures twice). */
  AI_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  /** Outgoing mail server, e.g. smtp://user:pass@mail.example.com:587; without it no email is sent. */
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().default('Seamless <support@seamless.local>'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  return result.data;
}
