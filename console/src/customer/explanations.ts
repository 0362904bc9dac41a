// The journey's "Why…?" buttons (issue 22): which entries have a decision to explain, the
// question each asks, and the call that reads the explanations (GET
// /api/conversations/:id/explanations). The words themselves come from the server, in both
// languages, as domain/explanation.ts writes them; the console shows the one of its language.
import type { ExplanationsResponse, ExplanationView } from '../../../contract/explanations';
import type { EventView } from '../../../contract/events';
import { sessionRequest } from '../auth/session';
import type { MessageKey } from '../i18n/messages-en';
import { serverLanguage, type Locale } from '../i18n/locale';
import { traditional } from '../i18n/messages-zh-tw';
import type { HttpClient } from '../shared/http';

/** The question a journey entry's button asks, or null when the entry has no decision to explain. */
export function whyQuestion(event: Pick<EventView, 'type' | 'actorId' | 'payload' | 'conversationId'>, userId: string | null): MessageKey | null {
  if (!event.conversationId) return null;
  switch (event.type) {
    case 'conversation.assigned': {
      // A person's transfer is not routing's decision: nothing to explain.
      if (event.actorId) return null;
      const conversation = event.payload.conversation as { assigneeId?: unknown } | undefined;
      return userId !== null && conversation?.assigneeId === userId ? 'journey.why.assignedToMe' : 'journey.why.assigned';
    }
    case 'routing.queued':
      return 'journey.why.queued';
    case 'bot.answered':
      return 'journey.why.botAnswered';
    case 'bot.declined':
      return 'journey.why.botDeclined';
    case 'sla.escalated':
      return 'journey.why.escalated';
    case 'rule.matched':
      return 'journey.why.rule';
    default:
      return null;
  }
}

/** The text of the explanation for one journey entry in the reader's language; null when none was recorded. */
export function explanationText(explanations: readonly ExplanationView[], eventId: string, locale: Locale): string | null {
  const text = explanations.find((entry) => entry.eventId === eventId)?.text[serverLanguage(locale)] ?? null;
  return text !== null && locale === 'zh-TW' ? traditional(text) : text;
}

export interface ExplanationApi {
  conversationExplanations(conversationId: string): Promise<ExplanationsResponse>;
}

export function createExplanationApi(request: HttpClient): ExplanationApi {
  return {
    conversationExplanations: (conversationId) => request('GET', `/api/conversations/${encodeURIComponent(conversationId)}/explanations`),
  };
}

/** Bound to the session; a 401 is checked through the session's own client, which signs out. */
export const explanationApi = createExplanationApi(sessionRequest);
