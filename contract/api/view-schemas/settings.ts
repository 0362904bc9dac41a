// Settings (self-service, security, privacy, the bot's calibration), readiness, and the answers
// of a channel's checks (an IMAP test, the widget's identity secret).
import { z } from 'zod';
import { articleLocales } from '../../views.js';
import type { SelfServiceSettings } from '../../../domain/self-service.js';
import { named, tied, timestamp } from './support.js';

export const selfServiceSettingsSchema = tied<SelfServiceSettings>()(
  'SelfServiceSettings',
  z.strictObject({ enabled: z.boolean(), threshold: z.number().nullable(), idleMinutes: z.int(), emailAutoAnswersPerHour: z.int() }),
);

export const securitySettingsSchema = named('SecuritySettings', z.strictObject({ adminsRequireTwoFactor: z.boolean() }));

export const privacySettingsSchema = named(
  'PrivacySettings',
  z.strictObject({ visitorRetentionDays: z.int().nullable(), customerSeesCallRecordings: z.boolean() }),
);

/** The bot's confidence calibration per article locale: its current fit and what it would answer. */
export const calibrationSchema = named(
  'Calibration',
  z.strictObject({
    since: timestamp,
    locales: z.array(
      z.strictObject({
        locale: z.enum(articleLocales),
        version: z.int().nullable(),
        fittedAt: timestamp.nullable(),
        trigger: z.enum(['article_changed', 'feedback', 'manual']).nullable(),
        source: z.enum(['own', 'shipped']),
        samples: z.strictObject({ articles: z.int(), examples: z.int(), negatives: z.int(), feedback: z.int() }).nullable(),
        minimumExamples: z.int(),
        threshold: z.number().nullable(),
        estimatedPrecision: z.number().nullable(),
        estimatedNearMissAnswered: z.number().nullable(),
        firstMessages: z.int(),
        wouldAnswer: z.int(),
      }),
    ),
  }),
);

const databaseHealthSchema = z.union([
  z.strictObject({ ok: z.literal(true) }),
  z.strictObject({ ok: z.literal(false), problem: z.enum(['unreachable', 'timeout', 'insufficient_resources', 'error']) }),
]);

/** GET /api/health/ready: 200 when ready, 503 when not, with each dependency's state. */
export const readinessSchema = named(
  'Readiness',
  z.strictObject({
    ready: z.boolean(),
    database: databaseHealthSchema,
    temporal: z.strictObject({ ok: z.boolean() }),
    eventStream: z.strictObject({ ok: z.boolean() }).optional(),
    /** Only with a read replica configured (DATABASE_READ_URL); not required for ready. */
    readReplica: databaseHealthSchema.optional(),
  }),
);

/** POST /api/channels/:id/imap/test: the mailbox reached, or why not. */
export const imapTestResultSchema = named(
  'ImapTestResult',
  z.union([
    z.strictObject({ ok: z.literal(true), mailbox: z.strictObject({ path: z.string(), messages: z.int(), uidValidity: z.string() }) }),
    z.strictObject({
      ok: z.literal(false),
      code: z.enum(['auth_failed', 'host_not_allowed', 'host_not_found', 'connect_failed', 'tls_failed', 'timeout', 'mailbox_not_found', 'protocol_error']),
      message: z.string(),
    }),
  ]),
);
