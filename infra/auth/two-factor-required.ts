// Whether an admin is held back until they set up two-factor sign-in: the organisation requires
// it of admins (Organization.settings.security.adminsRequireTwoFactor) and they have not. Read
// by the REST gate (api/security/two-factor-gate.ts) and the WebSocket upgrade
// (realtime/realtime-server.ts), so neither path serves such an admin anything else.
import type { Db } from '../db.js';

/** One query: it runs on every admin request and socket. */
export async function twoFactorSetupRequired(db: Db, userId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ required: boolean }[]>`
    SELECT (u.role = 'admin' AND u."twoFactorEnabledAt" IS NULL
            AND COALESCE((o.settings -> 'security' ->> 'adminsRequireTwoFactor')::boolean, false)) AS required
    FROM "User" u LEFT JOIN "Organization" o ON o.id = 1
    WHERE u.id = ${userId}::uuid`;
  return rows[0]?.required ?? false;
}
