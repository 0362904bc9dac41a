// The organisation-wide settings every new conversation's preparation reads — the enabled SLA
// policies with their hours, each tier's default hours, the organisation's settings and what the
// enabled conversation rules listen to — kept per worker process and read again only when one of
// their rows changed. A change is seen by one statement that fingerprints the rows of those tables
// by id and xmin (every insert, update or delete of a row changes it), read before the settings:
// whatever committed before the preparation began is in what it uses, never an older copy.
import type { RoutingTier } from '../domain/vocabulary.js';
import type { Db } from '../infra/db.js';
import type { BusinessHours, Organization, SlaPolicy } from '../prisma/generated/client.js';
import { defaultHours } from './sla-plans.js';
import { sqlOf } from './sql.js';

type Hours = Pick<BusinessHours, 'timeZone' | 'weekly' | 'holidays'>;

export interface PreparationSettings {
  /** Every enabled SLA policy, with its own hours. */
  policies: (SlaPolicy & { businessHours: BusinessHours | null })[];
  /** The hours a conversation without a team counts in, per tier (sla-plans.ts's defaultHours). */
  tierHours: Record<Extract<RoutingTier, 'junior' | 'expert'>, Hours | null>;
  organization: Organization | null;
  /** The triggers the enabled conversation rules listen to (what matchRules reports as `watching`). */
  triggers: string[];
}

/** The tables the settings are read from: a row changed in any of them reads them all again. */
const fingerprintSql = `SELECT md5(concat_ws('|', ${['SlaPolicy', 'BusinessHours', 'Team', 'AutomationRule', 'Organization']
  .map((table) => `(SELECT string_agg(id::text || ':' || xmin::text, ',' ORDER BY id) FROM "${table}")`)
  .join(', ')})) AS version`;

/** Returns `current()`: the settings as committed when it is called (cached while unchanged). */
export function preparationSettings(db: Db) {
  let cached: { version: string; settings: Promise<PreparationSettings> } | null = null;
  /** The fingerprint is read for every preparation: on the pg pool under Prisma (activities/sql.ts). */
  const sql = sqlOf(db);

  const read = async (): Promise<PreparationSettings> => {
    const [policies, junior, expert, organization, rules] = await Promise.all([
      db.slaPolicy.findMany({ where: { enabled: true }, include: { businessHours: true } }),
      defaultHours(db, null, 'junior'),
      defaultHours(db, null, 'expert'),
      db.organization.findUnique({ where: { id: 1 } }),
      db.automationRule.findMany({ where: { enabled: true, scope: { in: ['conversation', 'both'] } }, select: { trigger: true } }),
    ]);
    return { policies, tierHours: { junior, expert }, organization, triggers: [...new Set(rules.map((rule) => (rule.trigger as { on: string }).on))] };
  };

  return {
    async current(): Promise<PreparationSettings> {
      const [{ version }] = (await sql.query<{ version: string }>(fingerprintSql, [])) as [{ version: string }];
      if (cached?.version !== version) {
        const settings = read();
        cached = { version, settings };
        // A failed read is not kept: the next preparation reads again.
        settings.catch(() => {
          if (cached?.settings === settings) cached = null;
        });
      }
      return cached.settings;
    },
  };
}
