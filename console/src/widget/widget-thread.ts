// Decisions the widget makes about which conversation it is in. Pure, so they are unit-tested.
import type { EventType, EventView } from '../../../domain/events';
import { eventTypes } from '../../../domain/events';
import { asksForPerson } from '../../../domain/person-request';
import {
  botAnswerOf,
  isConversationView,
  isCustomerMessageView,
  isFinished,
  type CustomerConversationView,
  type CustomerMessageView,
} from '../shared/wire-types';

/** The conversation to continue on open: the newest one not yet resolved, or none (start a new one). */
export function conversationToContinue(conversations: readonly CustomerConversationView[]): CustomerConversationView | null {
  let best: CustomerConversationView | null = null;
  for (const conversation of conversations) {
    if (isFinished(conversation.status)) continue;
    if (!best || conversation.createdAt > best.createdAt) best = conversation;
  }
  return best;
}

/** What a realtime event means for the conversation the widget shows, if anything. */
export type ThreadUpdate = { kind: 'message'; message: CustomerMessageView } | { kind: 'conversation'; conversation: CustomerConversationView } | null;

export function threadUpdate(event: EventView, conversationId: string | null): ThreadUpdate {
  if (conversationId === null) return null;
  if (event.type === eventTypes.messageCreated) {
    const message = event.payload.message;
    // The server never sends a customer private notes; the check guards against a server bug
    // leaking one anyway, since the cost of showing one is high.
    return isCustomerMessageView(message) && message.conversationId === conversationId && !message.private ? { kind: 'message', message } : null;
  }
  // Every conversation event the customer sees (resolved, reopened, bot.helpful, …) carries the
  // conversation as it is after the change.
  const conversation = event.payload.conversation;
  return isConversationView(conversation) && conversation.id === conversationId ? { kind: 'conversation', conversation } : null;
}

/**
 * The bot answer that asks "did this help?": the newest one, while the bot still holds the
 * conversation. Once the customer chose, wrote again or a person took over, none does.
 */
export function feedbackTarget(messages: readonly CustomerMessageView[], conversation: CustomerConversationView | null): string | null {
  if (conversation?.status !== 'bot') return null;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.conversationId !== conversation.id) continue;
    if (botAnswerOf(message)) return message.id;
    // The customer wrote after the answer: the bot hands over, the question is moot.
    if (message.authorKind === 'customer') return null;
  }
  return null;
}

/** The feedback the widget sends (POST …/bot-feedback), and the line shown once it is sent. */
export const feedbackOutcomes = ['helpful', 'wants_human'] as const;
export type FeedbackOutcome = (typeof feedbackOutcomes)[number];
export const feedbackStatusKey = { helpful: 'widget.thanks', wants_human: 'widget.connecting' } as const satisfies Record<FeedbackOutcome, string>;

/**
 * Whether the widget asks the customer to rate the conversation it shows: once it is resolved
 * (or closed) and until they rated it here. Reloading shows a new conversation instead
 * (`conversationToContinue`), so the question is asked right after the resolution only.
 */
export function asksForRating(conversation: CustomerConversationView | null, rated: ReadonlySet<string>): boolean {
  return conversation !== null && isFinished(conversation.status) && !rated.has(conversation.id);
}

/** A person does not hold the conversation yet: the bot does, or it waits in the queue. */
const withoutPerson = (conversation: CustomerConversationView | null) =>
  conversation === null || conversation.status === 'bot' || conversation.status === 'queued';

/**
 * Whether the message the customer just sent asks for a person ("talk to a human", "转人工") while
 * none has the conversation: the widget then says it is connecting them, as after the "Talk to a
 * person" button (the server hands over the same way: domain/person-request.ts).
 */
export function typedPersonRequest(text: string, conversation: CustomerConversationView | null): boolean {
  return withoutPerson(conversation) && asksForPerson(text);
}

/**
 * Whether the customer who asked for a person in conversation `requestedIn` (the button or typed),
 * or whom the bot handed over, still waits for one: the notice and their place in the queue show
 * until a person takes it or it ends. Until the hand-off arrives the widget still sees status `bot`.
 */
export function waitsForPerson(conversation: CustomerConversationView | null, requestedIn: string | null): boolean {
  return conversation !== null && requestedIn === conversation.id && withoutPerson(conversation);
}

/**
 * Whether the event is the bot handing the conversation the widget shows to a person (the
 * customer asked, wrote again, or an action failed): the customer waits for one from now on. The
 * customer receives it cut down to the conversation, which it carries as queued.
 */
export function handedToPerson(event: EventView, conversationId: string | null): boolean {
  return conversationId !== null && event.type === ('bot.handed_off' satisfies EventType) && event.conversationId === conversationId;
}

/** How often the widget asks again where a waiting conversation stands in the queue. */
export const queueRefreshMs = 15_000;

/** Where the customer asked for a person: the conversation, and the message when typed (null: the button, or the bot handed over on its own). */
export interface PersonRequest {
  conversationId: string;
  messageId: string | null;
}

/** A PersonRequest as the widget stored it for the tab (sessionStorage), or null for anything else. */
export function parsePersonRequest(stored: string | null): PersonRequest | null {
  if (!stored) return null;
  try {
    const value = JSON.parse(stored) as Partial<PersonRequest> | null;
    if (typeof value?.conversationId !== 'string' || (value.messageId !== null && typeof value.messageId !== 'string')) return null;
    return { conversationId: value.conversationId, messageId: value.messageId };
  } catch {
    return null;
  }
}
