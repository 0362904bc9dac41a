// What GET /api/conversations/:id/explanations returns: each decision about the conversation
// that recorded why (routing, the SLA ladder, the bot, automation rules), as this reader may see
// it, with the plain words in both languages (domain/explanation.ts describeExplanation). The
// console shows `text` in the agent's language; integrations read `explanation`.
import type { Explanation, ExplanationLanguage } from '../domain/explanation.js';

export type { Explanation, ExplanationLanguage } from '../domain/explanation.js';

export interface ExplanationView {
  /** The event that carries the decision (the journey's entry with this id). */
  eventId: string;
  type: string;
  occurredAt: string;
  explanation: Explanation;
  /** The agents the explanation mentions, by id, with their names now. */
  names: Record<string, string>;
  text: Record<ExplanationLanguage, string>;
}

export interface ExplanationsResponse {
  explanations: ExplanationView[];
}
