// Follow-up sequences in the console (issue 22): the calls (api/routes/follow-up-routes.ts). The
// steps are written as text, a step a line, as in the rule editor (rules/follow-up-steps.ts).
import type { FollowUpStep, FollowUpView } from '../../../contract/follow-ups';
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';

export type { FollowUpView };

/** The steps text the panel starts with: two days after the customer's last message, the composer's text. */
export const initialStepsText = (body: string) => `2d ${body.trim()}`.trimEnd();

/** The follow-up still running in a conversation, if any. */
export const activeFollowUp = (list: readonly FollowUpView[]) => list.find((entry) => entry.status === 'active') ?? null;

export interface FollowUpsApi {
  list(conversationId: string): Promise<{ followUps: FollowUpView[] }>;
  start(conversationId: string, steps: FollowUpStep[]): Promise<{ followUp: FollowUpView }>;
  cancel(id: string): Promise<{ followUp: FollowUpView }>;
}

export function createFollowUpsApi(request: HttpClient): FollowUpsApi {
  const id = encodeURIComponent;
  return {
    list: (conversationId) => request('GET', `/api/conversations/${id(conversationId)}/follow-ups`),
    start: (conversationId, steps) => request('POST', `/api/conversations/${id(conversationId)}/follow-ups`, { body: { steps } }),
    cancel: (followUpId) => request('POST', `/api/follow-ups/${id(followUpId)}/cancel`, { body: {} }),
  };
}

export const followUpsApi = createFollowUpsApi(sessionRequest);
