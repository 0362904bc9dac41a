// Chooses the AI backend once per process: the OpenAI-compatible model when an endpoint or key is
// configured (with the local fallback as its floor for invalid output), else the local fallback
// alone, with the calibration shipped in calibration.json (fitted by `npm run eval`).
import { readFileSync } from 'node:fs';
import type { Env } from '../env.js';
import type { AiApi } from './ai-api.js';
import type { CalibrationModel } from './confidence.js';
import { createEmbedder } from './embeddings.js';
import { createLocalFallback } from './local-fallback.js';
import { createOpenAiApi } from './openai-ai.js';

// Read with fs rather than a JSON import: the file is data the eval rewrites, not code, and this
// works the same under tsx, vitest and Node without import attributes.
/** The calibration shipped with the product, per locale (a knowledge base's own replaces it once fitted). */
export const shippedCalibrations = JSON.parse(readFileSync(new URL('./calibration.json', import.meta.url), 'utf8')) as Record<'en' | 'zh-CN', CalibrationModel>;

export type AiEnv = Partial<Pick<Env, 'AI_BASE_URL' | 'AI_API_KEY' | 'AI_MODEL' | 'AI_TIMEOUT_MS' | 'AI_PRICES' | 'AI_VERIFY_BELOW' | 'AI_EMBEDDING_MODEL'>>;

export interface CreateAiOptions {
  /** The local fallback's answer threshold instead of the calibrated one (tests, evaluations). */
  threshold?: number;
}

/** The AI layer for this process's configuration. */
export function createAi(env: AiEnv = {}, options: CreateAiOptions = {}): AiApi {
  const local = createLocalFallback({ calibrations: shippedCalibrations, threshold: options.threshold });
  if (!env.AI_BASE_URL && !env.AI_API_KEY) return local;
  const embeddings = env.AI_EMBEDDING_MODEL
    ? createEmbedder({ baseURL: env.AI_BASE_URL, apiKey: env.AI_API_KEY, model: env.AI_EMBEDDING_MODEL, timeoutMs: env.AI_TIMEOUT_MS, prices: env.AI_PRICES })
    : undefined;
  const model = createOpenAiApi({
    baseURL: env.AI_BASE_URL,
    apiKey: env.AI_API_KEY,
    model: env.AI_MODEL ?? 'gpt-4o-mini',
    timeoutMs: env.AI_TIMEOUT_MS,
    prices: env.AI_PRICES,
    verifyBelow: env.AI_VERIFY_BELOW,
    fallback: local,
  });
  return embeddings ? { ...model, embeddings } : model;
}
