// One action on several conversations (POST /api/conversations/bulk, the inbox's bulk bar): each
// conversation is checked and changed exactly as its single route would (the same visibility
// check, the same workflow update or tag change), and each gets its own outcome, so one refused
// or unknown conversation never stops the others.
import type { BulkConversationBody } from '../../contract/requests/conversations.js';
import type { BulkConversationOutcome, ConversationView } from '../../contract/views.js';
import { StatusError } from '../../contract/errors.js';
import type { StaffViewer } from '../../domain/visibility.js';
import { isDatabaseUnavailable } from '../../infra/database-errors.js';
import { resolveUpdate, snoozeUpdate, transferUpdate } from '../../workflows/conversation.messages.js';
import type { ApiDeps } from '../deps.js';
import { changeTags, updateConversation, visibleConversation } from './conversation-service.js';

/** Conversations changed at the same time (each is its own workflow update). */
const concurrency = 4;

type UserViewer = Extract<StaffViewer, { kind: 'user' }>;

/** The one change a bulk action makes to one conversation the viewer may see. */
function applyOne(deps: ApiDeps, viewer: UserViewer, body: BulkConversationBody, conversationId: string): Promise<ConversationView> {
  const byUserId = viewer.userId;
  switch (body.action) {
    case 'resolve':
      return updateConversation(deps, conversationId, resolveUpdate, { byUserId });
    case 'snooze':
      return updateConversation(deps, conversationId, snoozeUpdate, { byUserId, until: body.until ?? null });
    case 'assign':
      return updateConversation(deps, conversationId, transferUpdate, {
        byUserId,
        ...(body.toAgentId ? { toAgentId: body.toAgentId } : { toTeamId: body.toTeamId! }),
      });
    case 'tag':
      return changeTags(deps, byUserId, conversationId, { add: body.add, remove: body.remove });
  }
}

/** Applies the action to each conversation in the order given; outcomes in the same order. */
export async function applyBulkAction(deps: ApiDeps, viewer: UserViewer, body: BulkConversationBody): Promise<BulkConversationOutcome[]> {
  const outcomes: BulkConversationOutcome[] = new Array(body.conversationIds.length);
  let next = 0;
  const worker = async () => {
    while (next < body.conversationIds.length) {
      const index = next++;
      const conversationId = body.conversationIds[index]!;
      try {
        const conversation = await visibleConversation(deps.db, viewer, conversationId);
        outcomes[index] = { conversationId, ok: true, conversation: await applyOne(deps, viewer, body, conversation.id) };
      } catch (error) {
        // The database away stops the whole request (503, as for any route): nothing else would get through either.
        if (isDatabaseUnavailable(error)) throw error;
        if (!(error instanceof StatusError)) {
          deps.log(`bulk ${body.action} of conversation ${conversationId} failed`, error);
          outcomes[index] = { conversationId, ok: false, status: 500, error: { code: 'internal_error', message: 'This conversation could not be changed.' } };
        } else {
          outcomes[index] = { conversationId, ok: false, status: error.status, error: { code: error.code, message: error.message } };
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, body.conversationIds.length) }, worker));
  return outcomes;
}
