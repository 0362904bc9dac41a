// Which call rings this agent anywhere in the console (issue 24): the shell's alert
// (IncomingCallAlert.vue) follows the call.* events. A customer's request rings every agent who
// receives it (the events reach only those who may take the conversation); a transfer rings the
// colleague it names; an agent's own call rings the customer, not the agents. Anything that
// settles the ringing call — answered, declined, missed, ended, transferred to someone else —
// stops it. Accepting from the alert opens the conversation, whose call bar answers
// (`answerOnOpen`), so the media is negotiated where the call is shown.
import { ref } from 'vue';
import type { CallView } from '../../../contract/calls';
import type { EventView } from '../../../domain/events';

/** The call the alert's Accept asked the conversation's call bar to answer once it opens. */
export const answerOnOpen = ref<string | null>(null);

/** The conversation whose call bar is to call its customer once it opens: a due call-back's "Call now" (CallbackPrompt.vue). */
export const callOnOpen = ref<string | null>(null);

/** The conversation a call-back of mine that came due asks me to call (call.callback_due, issue 24), else null. */
export function callbackDueFor(event: EventView, me: string): string | null {
  if (event.type !== 'call.callback_due' || !event.conversationId) return null;
  const reminder = event.payload.reminder as { ownerId?: unknown } | undefined;
  return reminder?.ownerId === me ? event.conversationId : null;
}

/** The call that rings me after this event: the new ringing call, null when it stopped ringing, or `ringing` unchanged. */
export function ringingAfter(event: EventView, me: string, ringing: CallView | null): CallView | null {
  if (!event.type.startsWith('call.')) return ringing;
  const call = event.payload.call as CallView | undefined;
  if (!call || typeof call.id !== 'string') return ringing;
  const ringsMe =
    call.status === 'ringing' &&
    ((event.type === 'call.requested' && call.requestedBy === 'customer' && call.agentId === null) ||
      (event.type === 'call.transferred' && call.agentId === me));
  if (ringsMe) return call;
  return ringing?.id === call.id ? null : ringing;
}
