// The contract lists `agent.presence_changed` without a payload shape. This reads the two
// shapes the API is likely to send — `{ user }` like PUT /api/me/presence, or
// `{ userId, presence }` — so the header follows a presence change made elsewhere (another
// tab, or the server setting an idle agent away). Anything else is ignored.
import type { EventView } from '../../../domain/events';
import { eventTypes } from '../../../domain/events';
import { presences, type Presence } from '../../../domain/vocabulary';

const isPresence = (value: unknown): value is Presence => (presences as readonly unknown[]).includes(value);

/** The new presence of `userId` if the event announces one, else null. */
export function presenceFromEvent(event: EventView, userId: string): Presence | null {
  if (event.type !== eventTypes.agentPresenceChanged) return null;
  const payload = event.payload as { user?: { id?: unknown; presence?: unknown }; userId?: unknown; presence?: unknown };
  if (payload.user && payload.user.id === userId && isPresence(payload.user.presence)) return payload.user.presence;
  if (payload.userId === userId && isPresence(payload.presence)) return payload.presence;
  return null;
}
