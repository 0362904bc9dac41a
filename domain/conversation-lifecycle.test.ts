import { describe, expect, it } from 'vitest';
import {
  activeConversationStatuses,
  agentReplyTakes,
  canTake,
  conversationActions,
  conversationAllows,
  endsOnCustomerReply,
  holdsSeat,
  statusAfterAssignment,
} from './conversation-lifecycle.js';
import { messageWakesWorkflow } from './conversation-flow.js';
import { conversationStatuses, type ConversationStatus } from './vocabulary.js';

const allowedIn = (action: (typeof conversationActions)[number]) => conversationStatuses.filter((status) => conversationAllows(action, status));

describe('taking a conversation', () => {
  it("lets an agent take a conversation being worked on that is not theirs yet, the queue's or a teammate's", () => {
    expect(conversationStatuses.filter((status) => canTake(status, null, 'me'))).toEqual(['bot', 'queued', 'open', 'snoozed']);
    expect(canTake('open', 'someone-else', 'me')).toBe(true);
    expect(canTake('open', 'me', 'me')).toBe(false);
    expect(canTake('resolved', null, 'me')).toBe(false);
  });

  it('takes only a queued conversation by replying to it (the bot keeps its own)', () => {
    expect(conversationStatuses.filter(agentReplyTakes)).toEqual(['queued']);
  });
});

describe('conversation actions', () => {
  it('resolves and transfers a conversation while it is being worked on, bot included', () => {
    expect(allowedIn('resolve')).toEqual(['bot', 'queued', 'open', 'snoozed']);
    expect(allowedIn('transfer')).toEqual(['bot', 'queued', 'open', 'snoozed']);
  });

  it('reopens only a resolved conversation and snoozes only an open one', () => {
    expect(allowedIn('reopen')).toEqual(['resolved']);
    expect(allowedIn('snooze')).toEqual(['open']);
  });

  it('still changes the priority of, or merges, a resolved conversation', () => {
    expect(allowedIn('priority')).toEqual(['bot', 'queued', 'open', 'snoozed', 'resolved']);
    expect(allowedIn('merge')).toEqual(['bot', 'queued', 'open', 'snoozed', 'resolved']);
  });

  it('takes the customer’s verdict on the bot only while the bot serves', () => {
    expect(allowedIn('botFeedback')).toEqual(['bot']);
  });

  it('allows nothing once a conversation is closed', () => {
    for (const action of conversationActions) expect(conversationAllows(action, 'closed')).toBe(false);
  });

  it('counts as active exactly the statuses a conversation can be resolved from', () => {
    expect([...activeConversationStatuses]).toEqual(allowedIn('resolve'));
  });
});

describe('seats and customer replies', () => {
  it('holds an agent’s seat while open or snoozed only', () => {
    expect(conversationStatuses.filter(holdsSeat)).toEqual(['open', 'snoozed']);
  });

  it('lets a customer’s reply end a snooze or a resolution, and wakes the workflow for it', () => {
    expect(conversationStatuses.filter(endsOnCustomerReply)).toEqual(['snoozed', 'resolved']);
    for (const status of conversationStatuses) {
      // The customer already waited on the agent, so only the status can make the message matter.
      const wakes = messageWakesWorkflow({ status, waitingOn: 'agent', firstResponseAt: new Date() }, { authorKind: 'customer', private: false });
      expect(wakes).toBe(endsOnCustomerReply(status));
    }
  });

  it('keeps a snoozed conversation snoozed when it is assigned, and opens any other', () => {
    const after = Object.fromEntries(conversationStatuses.map((status: ConversationStatus) => [status, statusAfterAssignment(status)]));
    expect(after).toEqual({ bot: 'open', queued: 'open', open: 'open', snoozed: 'snoozed', resolved: 'open', closed: 'open' });
  });
});
