// The live operations dashboard's pure parts: the headline figures from a snapshot and the
// clock, and when to read the snapshot again (an event that moved it; debounced, so a burst of
// events is one read; a slow fallback poll in case the socket misses something).
import type { LiveOperations } from '../../../domain/live-operations';

/** Fallback: read the snapshot again this often even without events (never faster than 30 s). */
export const livePollMs = 60_000;
/** Events within this long of each other cause one read. */
export const liveDebounceMs = 500;

export interface LiveSummary {
  waiting: number;
  /** Minutes the longest-waiting conversation has waited; null when nobody waits. */
  longestWaitMinutes: number | null;
  online: number;
  away: number;
  offline: number;
  /** Open and snoozed conversations held by online agents, and their seats. */
  load: number;
  capacity: number;
  atRisk: number;
  breached: number;
}

export const minutesSince = (iso: string | null, now: Date) => (iso === null ? null : Math.max(0, (now.getTime() - Date.parse(iso)) / 60_000));

export function liveSummary(snapshot: LiveOperations, now: Date): LiveSummary {
  const count = (presence: string) => snapshot.agents.filter((agent) => agent.presence === presence).length;
  const online = snapshot.agents.filter((agent) => agent.presence === 'online');
  return {
    waiting: snapshot.waiting.count,
    longestWaitMinutes: minutesSince(snapshot.waiting.longestSince, now),
    online: online.length,
    away: count('away'),
    offline: count('offline'),
    load: online.reduce((sum, agent) => sum + agent.load, 0),
    capacity: online.reduce((sum, agent) => sum + agent.capacity, 0),
    atRisk: snapshot.sla.atRisk,
    breached: snapshot.sla.breached,
  };
}

/** Online first, then away, then offline; the busiest first within each. */
export function agentsByPresence(agents: LiveOperations['agents']): LiveOperations['agents'] {
  const order = { online: 0, away: 1, offline: 2 } as const;
  return [...agents].sort((a, b) => order[a.presence] - order[b.presence] || b.load - a.load || a.name.localeCompare(b.name));
}

/**
 * Calls `read` once after a burst of `poke()`s (`debounceMs` after the last), and every `pollMs`
 * when nothing poked; `stop()` cancels both.
 */
export function refreshScheduler(read: () => void, options: { debounceMs?: number; pollMs?: number } = {}) {
  const { debounceMs = liveDebounceMs, pollMs = livePollMs } = options;
  let debounce: ReturnType<typeof setTimeout> | null = null;
  let poll: ReturnType<typeof setTimeout> | null = null;
  const armPoll = () => {
    if (poll) clearTimeout(poll);
    poll = setTimeout(() => {
      poll = null;
      read();
      armPoll();
    }, pollMs);
  };
  armPoll();
  return {
    poke() {
      if (debounce) clearTimeout(debounce);
      debounce = setTimeout(() => {
        debounce = null;
        read();
        armPoll();
      }, debounceMs);
    },
    stop() {
      if (debounce) clearTimeout(debounce);
      if (poll) clearTimeout(poll);
      debounce = poll = null;
    },
  };
}
