// GET /api/widget/availability (issue 21): whether a team is at work now, from every team's
// business hours (domain/support-availability.ts), for the widget's "we usually reply …" line;
// whether anyone is online; and whether it may offer its offline form.
import { parseBusinessCalendar } from '../../domain/business-hours.js';
import { supportAvailability } from '../../domain/support-availability.js';
import type { Db } from '../../infra/db.js';
import { firstEmailChannelId } from './email/first-email-channel.js';
import { widgetChannel } from './widget-identity.js';

export interface SupportAvailabilityView {
  open: boolean;
  /** Closed: when the first team opens again (ISO instant); null when open or when no hours ever open. */
  backAt: string | null;
  /** Whether anyone is online to take a chat now (presence "online", an active account). */
  agentsOnline: boolean;
  /** Whether the widget may offer its offline form (an email channel is on to answer from; api/services/offline-message.ts). */
  offlineForm: boolean;
}

/** The answer for the widget of `channelId` (the first enabled web chat channel when none): 404/503 as GET /api/widget/config. */
export async function widgetAvailability(db: Db, channelId: string | undefined, now = new Date()): Promise<SupportAvailabilityView> {
  await widgetChannel(db, channelId);
  const teams = await db.team.findMany({ select: { businessHours: { select: { timeZone: true, weekly: true, holidays: true } } } });
  const calendars = teams.map(({ businessHours: hours }) =>
    hours ? parseBusinessCalendar({ timeZone: hours.timeZone, weekly: hours.weekly, holidays: hours.holidays }) : null,
  );
  const availability = supportAvailability(now, calendars);
  const online = await db.user.count({ where: { presence: 'online', deactivatedAt: null, deletedAt: null } });
  const offlineForm = (await firstEmailChannelId(db)) !== null;
  return { open: availability.open, backAt: availability.backAt?.toISOString() ?? null, agentsOnline: online > 0, offlineForm };
}
