// Every AI call is recorded (AiCall: operation, provider, model, tokens, latency, ok), whoever
// makes it — a workflow's activity or the API's agent assist. A failed call is recorded too,
// then rethrown for the caller's retry.
import type { Db } from '../db.js';
import type { AiOperation, AiProvider, AiUsage } from './ai-api.js';

export async function recordedAiCall<T extends { usage: AiUsage }>(
  db: Db,
  call: { operation: AiOperation; provider: AiProvider; conversationId: string },
  run: () => Promise<T>,
): Promise<T> {
  const { operation, conversationId } = call;
  const started = performance.now();
  try {
    const result = await run();
    await db.aiCall.create({ data: { operation, ...result.usage, ok: true, conversationId } });
    return result;
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    await db.aiCall.create({ data: { operation, provider: call.provider, model: 'unknown', latencyMs, ok: false, conversationId } });
    throw error;
  }
}
