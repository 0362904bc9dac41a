// The live operations dashboard (leads and admins): what the floor looks like right now — who is
// waiting and for how long, who is online or away with how many conversations, which SLA targets
// are at risk, and what the bot did today. The API reads a snapshot (api/finders/
// live-operations-finder.ts); the console reads it again when a /ws event says it moved.
// Definitions:
// - waiting: conversations queued for a person (status queued, nobody assigned); each waits since
//   it was last queued (its latest conversation.queued / conversation.requeued event), else since
//   it was created.
// - agents: active people (not deactivated) in scope, with their presence and load = the
//   conversations assigned to them that are open or snoozed, against their capacity.
// - slaAtRisk: conversations not yet resolved whose SLA state is warning (a target is close);
//   breached ones are counted apart.
// - botToday: since local midnight in the organisation's time zone, the bot's answers and its
//   resolutions (bot.helpful + bot.assumed_resolved), deflection = resolutions / answers.
// Scope: an admin sees everything; a team lead the teams they lead (and conversations of no team,
// which every agent sees); the bot figures are the organisation's.
import { DateTime } from 'luxon';

export interface LiveAgent {
  id: string;
  name: string;
  presence: 'online' | 'away' | 'offline';
  load: number;
  capacity: number;
}

export interface LiveConversation {
  id: string;
  number: number;
  /** Waiting: since when; at risk: the nearest SLA due time. */
  since: string | null;
}

export interface LiveOperations {
  /** When the snapshot was read. */
  at: string;
  scope: { kind: 'all' } | { kind: 'teams'; teams: { id: string; name: string }[] };
  waiting: { count: number; longestSince: string | null; oldest: LiveConversation[] };
  agents: LiveAgent[];
  sla: { atRisk: number; breached: number; atRiskConversations: LiveConversation[] };
  botToday: { since: string; timeZone: string; answered: number; resolved: number; handedOff: number; deflectionRate: number | null };
}

/** How many of the oldest waiting / most urgent conversations the snapshot lists. */
export const liveListLimit = 5;

/** Local midnight of `now` in `timeZone` (UTC for an unknown zone). */
export function startOfToday(now: Date, timeZone: string): Date {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  return (local.isValid ? local : DateTime.fromJSDate(now, { zone: 'UTC' })).startOf('day').toJSDate();
}

export const deflection = (resolved: number, answered: number) => (answered === 0 ? null : resolved / answered);

/** Event types after which the dashboard's figures may have moved (the console reads it again). */
export function movesLiveOperations(type: string): boolean {
  return (
    type === 'agent.presence_changed' ||
    type.startsWith('sla.') ||
    type.startsWith('bot.') ||
    (type.startsWith('conversation.') &&
      !['conversation.tag_added', 'conversation.tag_removed', 'conversation.mentioned', 'conversation.classified'].includes(type))
  );
}
