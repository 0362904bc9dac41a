// Every AI call is recorded (AiCall: operation, provider, model, tokens, latency, cost, ok), whoever
// makes it — a workflow's activity or the API's agent assist. A failed call is recorded too,
// then rethrown for the caller's retry.
import type { Db } from '../db.js';
import { aiCallDuration, aiCost, aiTokens } from '../metrics/metrics.js';
import type { AiOperation, AiProvider, AiUsage } from './ai-api.js';

export async function recordedAiCall<T extends { usage: AiUsage }>(
  db: Db,
  call: { operation: AiOperation; provider: AiProvider; conversationId: string | null },
  run: () => Promise<T>,
): Promise<T> {
  const { operation, conversationId } = call;
  const started = performance.now();
  try {
    const result = await run();
    const { usage } = result;
    aiCallDuration.observe({ operation, provider: usage.provider, outcome: 'ok' }, usage.latencyMs / 1000);
    aiTokens.inc({ operation, provider: usage.provider, kind: 'prompt' }, usage.promptTokens);
    aiTokens.inc({ operation, provider: usage.provider, kind: 'completion' }, usage.completionTokens);
    if (usage.cost != null) aiCost.inc({ operation, provider: usage.provider, model: usage.model }, usage.cost);
    await db.aiCall.create({ data: { operation, ...usage, cost: usage.cost ?? null, ok: true, conversationId } });
    return result;
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    aiCallDuration.observe({ operation, provider: call.provider, outcome: 'failed' }, latencyMs / 1000);
    await db.aiCall.create({ data: { operation, provider: call.provider, model: 'unknown', latencyMs, ok: false, conversationId } });
    throw error;
  }
}
