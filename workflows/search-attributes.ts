// Typed search attribute keys (names in domain/search-attributes.ts) and the values a
// conversation publishes, so `temporal workflow list --query "SlaState='breached'"` works.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import { searchAttributeNames } from '../domain/search-attributes.js';
import type { ConversationState } from './conversation.messages.js';
import type { TicketState } from './ticket.messages.js';

const keyword = (name: string) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD);

export const searchAttributeKeys = {
  status: keyword(searchAttributeNames.status),
  priority: keyword(searchAttributeNames.priority),
  tier: keyword(searchAttributeNames.tier),
  assigneeId: keyword(searchAttributeNames.assigneeId),
  teamId: keyword(searchAttributeNames.teamId),
  slaState: keyword(searchAttributeNames.slaState),
};

/** The lifecycle fields both conversations and tickets publish. */
type Indexed = Pick<ConversationState, 'priority' | 'tier' | 'assigneeId' | 'teamId' | 'slaState'> & {
  status: ConversationState['status'] | TicketState['status'];
};

/**
 * The same keys for conversations and tickets, so one query finds breached ones of both. Empty
 * assignee or team is published as "none", so `SeamlessAssignee='none'` finds the unassigned.
 */
function searchAttributesOf(state: Indexed): SearchAttributeUpdatePair[] {
  return [
    { key: searchAttributeKeys.status, value: state.status },
    { key: searchAttributeKeys.priority, value: state.priority },
    { key: searchAttributeKeys.tier, value: state.tier },
    { key: searchAttributeKeys.assigneeId, value: state.assigneeId ?? 'none' },
    { key: searchAttributeKeys.teamId, value: state.teamId ?? 'none' },
    { key: searchAttributeKeys.slaState, value: state.slaState },
  ];
}

export const conversationSearchAttributes = (state: ConversationState) => searchAttributesOf(state);
export const ticketSearchAttributes = (state: TicketState) => searchAttributesOf(state);
