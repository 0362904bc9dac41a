// Decisions behind the conversation's action bar: which actions apply in which status, when a
// snooze ends, and who a conversation can be transferred to. Pure, so they are tested; the
// server decides for real (a refused action answers 409/400 and the bar shows the message).
import { canTake, conversationAllows, type ConversationAction } from '../../../domain/conversation-lifecycle';
import type { ConversationStatus } from '../../../domain/vocabulary';
import type { TeamView, UserView } from '../shared/wire-types';

export type { ConversationAction };

/** Whether the bar offers the action: the lifecycle the workflow's validators enforce (domain/). */
export function canDo(action: ConversationAction, status: ConversationStatus): boolean {
  return conversationAllows(action, status);
}

/** Whether the bar offers "Assign to me": a transfer to the signed-in agent (domain/conversation-lifecycle.ts). */
export function canAssignToMe(conversation: { status: ConversationStatus; assigneeId: string | null }, meId: string): boolean {
  return canTake(conversation.status, conversation.assigneeId, meId);
}

export const snoozeChoices = ['untilReply', 'oneHour', 'tomorrow', 'nextWeek', 'custom'] as const;
export type SnoozeChoice = (typeof snoozeChoices)[number];

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall-clock time of an instant in a time zone, with the weekday (0 = Sunday). */
export function localParts(instant: Date, timeZone: string): LocalTime & { weekday: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
  };
}

/**
 * The instant a wall-clock time in a time zone names. Found by correcting a UTC guess by the
 * zone's offset, twice, so times next to a daylight-saving change land right too.
 */
export function zonedInstant(local: LocalTime, timeZone: string): Date {
  const wanted = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const seen = localParts(new Date(guess), timeZone);
    guess += wanted - Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
  }
  return new Date(guess);
}

/** Reads the value of an `<input type="datetime-local">` ("2025-03-10T14:30"). */
export function parseLocalInput(value: string): LocalTime | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  return { year, month, day, hour, minute };
}

/**
 * The `until` of POST /snooze for a choice: null = until the customer writes; else an ISO
 * instant in the future, days counted in the agent's time zone. Undefined when a chosen time is
 * missing or already past.
 */
export function snoozeUntil(choice: SnoozeChoice, now: Date, timeZone: string, custom = ''): string | null | undefined {
  if (choice === 'untilReply') return null;
  if (choice === 'oneHour') return new Date(now.getTime() + 3_600_000).toISOString();
  let target: Date;
  if (choice === 'custom') {
    const local = parseLocalInput(custom);
    if (!local) return undefined;
    target = zonedInstant(local, timeZone);
  } else {
    const today = localParts(now, timeZone);
    // Tomorrow, or the coming Monday (a week on when today is Monday), at 9:00.
    const days = choice === 'tomorrow' ? 1 : (8 - today.weekday) % 7 || 7;
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
    target = zonedInstant({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: 9, minute: 0 }, timeZone);
  }
  return target.getTime() > now.getTime() ? target.toISOString() : undefined;
}

export interface TransferOption {
  /** `agent:<id>` or `team:<id>`, the value of the select. */
  value: string;
  label: string;
}

/**
 * Who can take the conversation: every other agent or admin by name (the current assignee left
 * out), and every team that has members, by the team's name (GET /api/teams).
 */
export function transferTargets(
  users: readonly UserView[],
  teams: readonly Pick<TeamView, 'id' | 'name' | 'memberCount'>[],
  assigneeId: string | null,
): { agents: TransferOption[]; teams: TransferOption[] } {
  const byName = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label);
  // Deactivated people keep their names in history but take no conversation.
  const agents = users.filter((user) => user.id !== assigneeId && user.active).map((user) => ({ value: `agent:${user.id}`, label: user.name }));
  return {
    agents: agents.sort(byName),
    teams: teams
      .filter((team) => team.memberCount > 0)
      .map((team) => ({ value: `team:${team.id}`, label: team.name }))
      .sort(byName),
  };
}

/** The body of POST /transfer for a select value, or null for none. */
export function transferBody(value: string): { toAgentId: string } | { toTeamId: string } | null {
  const [kind, id] = value.split(':');
  if (!id) return null;
  if (kind === 'agent') return { toAgentId: id };
  if (kind === 'team') return { toTeamId: id };
  return null;
}
