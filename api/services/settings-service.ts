// Organisation settings an admin changes at run time (no deploy). Each change is one transaction
// with an internal event holding the values before and after (the admin audit trail).
import { defaultSelfServiceSettings, selfServiceSettingsOf, type SelfServiceSettings } from '../../domain/self-service.js';
import type { Db } from '../../infra/db.js';
import { appendEvent } from '../../infra/event-log.js';
import { announceViewerChanged } from '../../infra/viewer-changes.js';

type StoredSettings = Record<string, unknown>;

/** `defaults`: the server's (selfServiceDefaults: EMAIL_AUTO_ANSWERS_PER_HOUR) for what no admin has set. */
export async function readSelfServiceSettings(db: Db, defaults: SelfServiceSettings = defaultSelfServiceSettings): Promise<SelfServiceSettings> {
  const organization = await db.organization.findUnique({ where: { id: 1 } });
  return selfServiceSettingsOf((organization?.settings as StoredSettings | null)?.selfService, defaults);
}

export async function changeSelfServiceSettings(
  db: Db,
  changes: Partial<SelfServiceSettings>,
  adminId: string,
  defaults: SelfServiceSettings = defaultSelfServiceSettings,
): Promise<SelfServiceSettings> {
  return db.$transaction(async (tx) => {
    // Lock the row: two admins saving at once must not lose one another's change.
    await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = 1 FOR UPDATE`;
    const organization = await tx.organization.findUniqueOrThrow({ where: { id: 1 } });
    const stored = (organization.settings ?? {}) as StoredSettings;
    const before = selfServiceSettingsOf(stored.selfService, defaults);
    const after = { ...before, ...changes };
    // Only what admins set is stored: the rest keeps following the server's defaults.
    const set = typeof stored.selfService === 'object' && stored.selfService !== null ? (stored.selfService as StoredSettings) : {};
    await tx.organization.update({ where: { id: 1 }, data: { settings: { ...stored, selfService: { ...set, ...changes } } } });
    await appendEvent(tx, {
      type: 'settings.changed',
      actorKind: 'agent',
      actorId: adminId,
      internal: true,
      payload: { section: 'selfService', before, after },
    });
    return after;
  });
}

/** The organisation's sign-in rules. `adminsRequireTwoFactor`: an admin must set up two-factor sign-in before doing anything else. */
export interface SecuritySettings {
  adminsRequireTwoFactor: boolean;
}

const securitySettingsOf = (stored: unknown): SecuritySettings => ({
  adminsRequireTwoFactor: (stored as Partial<SecuritySettings> | null | undefined)?.adminsRequireTwoFactor === true,
});

export async function readSecuritySettings(db: Db): Promise<SecuritySettings> {
  const organization = await db.organization.findUnique({ where: { id: 1 } });
  return securitySettingsOf((organization?.settings as StoredSettings | null)?.security);
}

export async function changeSecuritySettings(db: Db, changes: Partial<SecuritySettings>, adminId: string): Promise<SecuritySettings> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = 1 FOR UPDATE`;
    const organization = await tx.organization.findUniqueOrThrow({ where: { id: 1 } });
    const stored = (organization.settings ?? {}) as StoredSettings;
    const before = securitySettingsOf(stored.security);
    const after = { ...before, ...changes };
    await tx.organization.update({ where: { id: 1 }, data: { settings: { ...stored, security: { ...after } } } });
    if (after.adminsRequireTwoFactor && !before.adminsRequireTwoFactor) {
      // Admins without two-factor now held back: their open sockets are re-read, and closed.
      const heldBack = await tx.user.findMany({ where: { role: 'admin', twoFactorEnabledAt: null }, select: { id: true } });
      await announceViewerChanged(
        tx,
        heldBack.map((admin) => admin.id),
      );
    }
    await appendEvent(tx, {
      type: 'settings.changed',
      actorKind: 'agent',
      actorId: adminId,
      internal: true,
      payload: { section: 'security', before, after },
    });
    return after;
  });
}

/**
 * Privacy: how long a widget visitor who never wrote anything is kept once unseen
 * (api/services/visitor-retention.ts), and whether visitors may download their calls' recordings. `visitorRetentionDays` null: the deployment's default
 * (VISITOR_RETENTION_DAYS, 30 days unless set); 0 keeps them.
 */
export interface PrivacySettings {
  visitorRetentionDays: number | null;
  /** Whether a visitor may download the recordings of their calls (api/services/call-recording.ts); off unless an admin turns it on. */
  customerSeesCallRecordings: boolean;
}

const privacySettingsOf = (stored: unknown): PrivacySettings => {
  const set = stored as Partial<PrivacySettings> | null | undefined;
  const days = set?.visitorRetentionDays;
  return {
    visitorRetentionDays: typeof days === 'number' && Number.isInteger(days) && days >= 0 ? days : null,
    customerSeesCallRecordings: set?.customerSeesCallRecordings === true,
  };
};

export async function readPrivacySettings(db: Db): Promise<PrivacySettings> {
  const organization = await db.organization.findUnique({ where: { id: 1 } });
  return privacySettingsOf((organization?.settings as StoredSettings | null)?.privacy);
}

export async function changePrivacySettings(db: Db, changes: Partial<PrivacySettings>, adminId: string): Promise<PrivacySettings> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = 1 FOR UPDATE`;
    const organization = await tx.organization.findUniqueOrThrow({ where: { id: 1 } });
    const stored = (organization.settings ?? {}) as StoredSettings;
    const before = privacySettingsOf(stored.privacy);
    const after = { ...before, ...changes };
    await tx.organization.update({ where: { id: 1 }, data: { settings: { ...stored, privacy: { ...after } } } });
    await appendEvent(tx, {
      type: 'settings.changed',
      actorKind: 'agent',
      actorId: adminId,
      internal: true,
      payload: { section: 'privacy', before, after },
    });
    return after;
  });
}
