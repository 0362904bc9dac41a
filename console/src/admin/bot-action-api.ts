// The console's calls to the bot's HTTP actions (issue 20, item 6): admins only.
import type { BotActionTestResult, BotActionView } from '../../../contract/bot-actions';
import type { CreateBotActionInput, UpdateBotActionInput } from '../../../contract/requests/bot-actions';
import { sessionRequest } from '../auth/session';
import type { HttpClient } from '../shared/http';

export type { BotActionTestResult, BotActionView, CreateBotActionInput, UpdateBotActionInput };

export function createBotActionApi(request: HttpClient) {
  const id = (value: string) => encodeURIComponent(value);
  return {
    list: (signal?: AbortSignal) => request<{ actions: BotActionView[] }>('GET', '/api/bot-actions', { signal }),
    create: (input: CreateBotActionInput) => request<{ action: BotActionView }>('POST', '/api/bot-actions', { body: input }),
    update: (actionId: string, change: UpdateBotActionInput) =>
      request<{ action: BotActionView }>('PATCH', `/api/bot-actions/${id(actionId)}`, { body: change }),
    remove: (actionId: string) => request<void>('DELETE', `/api/bot-actions/${id(actionId)}`),
    /** Calls the action with sample inputs: what the bot would answer, never the raw response. */
    test: (actionId: string, inputs: Record<string, string>) =>
      request<{ result: BotActionTestResult }>('POST', `/api/bot-actions/${id(actionId)}/test`, { body: { inputs } }),
  };
}

export const botActionApi = createBotActionApi(sessionRequest);
