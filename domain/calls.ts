// Voice and video calls (issue 24): who may do what to a call, in one place for the API's
// services and the console. A call rings one side: the customer when an agent calls them, the
// agents who may take the conversation when the customer asks (agentId null), or one colleague
// after a transfer. The side it rings accepts or declines; either party hangs up.

import { canSee, type Scope } from './visibility.js';

export type CallStatusName = 'ringing' | 'active' | 'ended' | 'missed' | 'declined';

export interface CallFacts {
  status: CallStatusName;
  /** 'customer' or 'agent' (stored as an author kind). */
  requestedBy: string;
  agentId: string | null;
  answeredAt: Date | string | null;
}

/** Each side's recording consent (null: not given, or withdrawn). */
export interface CallConsent {
  status: CallStatusName;
  customerConsentAt: Date | string | null;
  agentConsentAt: Date | string | null;
}

/** Who acts: the conversation's customer, or an agent who may see the conversation. */
export type CallParty = { kind: 'customer' } | { kind: 'agent'; userId: string };

export type CallAction = 'accept' | 'decline' | 'hangup' | 'transfer' | 'signal' | 'consent';

/** An agent as availability for a call sees them. */
export interface CallAgent {
  userId: string;
  role: 'admin' | 'agent';
  teamId: string | null;
  presence: string;
  deactivated: boolean;
}

/**
 * Whether someone can answer the customer's call in this conversation now: an online, active agent
 * who may take it — of the conversation's team (any agent when it has no team), its assignee, or
 * an admin (domain/visibility.ts: the agents the call rings). Agents of other teams do not count.
 */
export function agentAvailableForCall(conversation: Omit<Scope, 'internal'>, agents: readonly CallAgent[]): boolean {
  return agents.some(
    (agent) =>
      agent.presence === 'online' &&
      !agent.deactivated &&
      canSee({ kind: 'user', userId: agent.userId, role: agent.role, teamId: agent.teamId }, { ...conversation, internal: false }),
  );
}

/** Whether the call is over (nothing more may happen to it). */
export const callIsOver = (status: CallStatusName) => status === 'ended' || status === 'missed' || status === 'declined';

/** Whether the call rings the customer now (an agent's call not answered yet); else, while ringing, it rings agents. */
export const ringsCustomer = (call: CallFacts) => call.status === 'ringing' && call.requestedBy === 'agent' && call.answeredAt === null;

/** Whether this agent takes part in the call: the one it rings or who is in it (a customer's ringing request: any agent who may see it). */
function agentIsParty(call: CallFacts, userId: string): boolean {
  return call.agentId === null ? call.status === 'ringing' : call.agentId === userId;
}

/**
 * Whether `party` may do `action` to the call now; null when they may, else why not:
 * `not_party` (answered 404 by the API: the call is not theirs to know) or `wrong_state` (409).
 */
export function callActionRefusal(call: CallFacts, party: CallParty, action: CallAction): 'not_party' | 'wrong_state' | null {
  const customer = party.kind === 'customer';
  if (!customer && !agentIsParty(call, party.userId)) {
    // A ringing call of a colleague's (an agent's own call, a transfer) is not this agent's.
    return 'not_party';
  }
  if (callIsOver(call.status)) return 'wrong_state';
  switch (action) {
    case 'accept':
    case 'decline':
      // The side it rings answers it.
      return call.status === 'ringing' && ringsCustomer(call) === customer ? null : 'wrong_state';
    case 'hangup':
      return null;
    case 'transfer':
      return !customer && call.status === 'active' ? null : 'wrong_state';
    case 'consent':
      // Either party asks to record, agrees, or withdraws, while they talk.
      return call.status === 'active' && (customer || call.agentId !== null) ? null : 'wrong_state';
    case 'signal':
      // Negotiation between the two parties once it is answered; an agent ringing after a transfer negotiates once they accept.
      return call.status === 'active' && (customer || call.agentId !== null) ? null : 'wrong_state';
  }
}

/** Whether the call records now: both sides consented and it is under way. */
export const callIsRecording = (call: CallConsent) => call.status === 'active' && call.customerConsentAt !== null && call.agentConsentAt !== null;

/**
 * What a side's consent change does to the recording, as the event it is in the journey:
 * `requested` (the first side asks), `started` (the second agrees), `stopped` (a side withdraws;
 * recording or only asked), or null when nothing changes (consent given twice, withdrawn twice).
 */
export function recordingChange(call: CallConsent, side: 'customer' | 'agent', consent: boolean): 'requested' | 'started' | 'stopped' | null {
  const mine = side === 'customer' ? call.customerConsentAt : call.agentConsentAt;
  const theirs = side === 'customer' ? call.agentConsentAt : call.customerConsentAt;
  if (consent === (mine !== null)) return null;
  if (!consent) return 'stopped';
  return theirs === null ? 'requested' : 'started';
}

/** Whole seconds between two instants (null when either is missing). */
export function secondsBetween(from: Date | null, to: Date | null): number | null {
  if (!from || !to) return null;
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
}

/** The ring timeout when a channel sets none. */
export const defaultCallRingSeconds = 45;
