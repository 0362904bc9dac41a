// The records admins manage: people, teams, channels, canned responses, API keys, business hours,
// SLA policies, webhook endpoints and their deliveries, and the audit log they leave.
import { z } from 'zod';
import { agentTiers, channelKinds, presences, priorities, userRoles } from '../../../domain/vocabulary.js';
import type {
  ApiKeyView,
  AuditEventView,
  BusinessHoursView,
  CannedResponseView,
  ChannelView,
  EmailChannelChoice,
  SlaPolicyView,
  TeamView,
  UserView,
} from '../../views.js';
import type { WebhookDeliveryView, WebhookEndpointView } from '../../webhooks.js';
import { eventFields, tied, timestamp, id } from './support.js';

export const userViewSchema = tied<UserView>()(
  'User',
  z.strictObject({
    id,
    email: z.string(),
    name: z.string(),
    role: z.enum(userRoles),
    tier: z.enum(agentTiers),
    skills: z.array(z.string()),
    teamId: id.nullable(),
    capacity: z.int(),
    presence: z.enum(presences),
    locale: z.string(),
    timeZone: z.string(),
    active: z.boolean(),
  }),
);

export const teamViewSchema = tied<TeamView>()(
  'Team',
  z.strictObject({
    id,
    name: z.string(),
    tier: z.enum(agentTiers),
    leadId: id.nullable(),
    lead: z.strictObject({ id, name: z.string(), email: z.string() }).nullable(),
    businessHoursId: id.nullable(),
    businessHours: z.strictObject({ id, name: z.string(), timeZone: z.string() }).nullable(),
    timeZone: z.string().nullable(),
    memberCount: z.int(),
    createdAt: timestamp,
  }),
);

export const channelViewSchema = tied<ChannelView>()(
  'Channel',
  z.strictObject({
    id,
    kind: z.enum(channelKinds),
    name: z.string(),
    enabled: z.boolean(),
    settings: z.record(z.string(), z.unknown()),
    createdAt: timestamp,
    imap: z
      .strictObject({
        host: z.string(),
        port: z.int(),
        tls: z.enum(['tls', 'starttls', 'none']),
        username: z.string(),
        passwordSet: z.literal(true),
        mailbox: z.string(),
        enabled: z.boolean(),
        pollIntervalSeconds: z.int(),
        importDays: z.int(),
        health: z.strictObject({
          status: z.enum(['off', 'pending', 'ok', 'failing']),
          lastPolledAt: timestamp.nullable(),
          lastErrorCode: z.string().nullable(),
          lastError: z.string().nullable(),
          lastErrorAt: timestamp.nullable(),
        }),
        updatedAt: timestamp,
      })
      .nullable(),
  }),
);

export const imapSettingsViewSchema = channelViewSchema.shape.imap;

export const emailChannelChoiceSchema = tied<EmailChannelChoice>()('EmailChannelChoice', z.strictObject({ id, name: z.string(), address: z.string() }));

export const cannedResponseViewSchema = tied<CannedResponseView>()(
  'CannedResponse',
  z.strictObject({
    id,
    shortcut: z.string(),
    title: z.string(),
    body: z.string(),
    locale: z.string(),
    teamId: id.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
);

export const apiKeyViewSchema = tied<ApiKeyView>()(
  'ApiKey',
  z.strictObject({
    id,
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    createdById: id.nullable(),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  }),
);

export const businessHoursViewSchema = tied<BusinessHoursView>()(
  'BusinessHours',
  z.strictObject({
    id,
    name: z.string(),
    timeZone: z.string(),
    /** Opening intervals by weekday (0 = Sunday), local HH:MM. */
    weekly: z.array(z.strictObject({ day: z.int(), open: z.string(), close: z.string() })),
    /** Closed local dates, YYYY-MM-DD. */
    holidays: z.array(z.string()),
    createdAt: timestamp,
    usage: z.strictObject({ teams: z.int(), slaPolicies: z.int() }).optional(),
  }),
);

export const slaPolicyViewSchema = tied<SlaPolicyView>()(
  'SlaPolicy',
  z.strictObject({
    id,
    name: z.string(),
    priority: z.enum(priorities),
    channelKind: z.enum(channelKinds).nullable(),
    teamId: id.nullable(),
    businessHoursId: id.nullable(),
    firstResponseMinutes: z.int(),
    nextResponseMinutes: z.int(),
    resolutionMinutes: z.int(),
    warningPercent: z.int(),
    escalation: z.array(
      z.union([
        z.strictObject({ action: z.literal('notify') }),
        z.strictObject({ action: z.literal('raise_priority') }),
        z.strictObject({ action: z.literal('move_to_expert') }),
        z.strictObject({ action: z.literal('reassign_to_lead') }),
      ]),
    ),
    enabled: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
);

export const webhookEndpointViewSchema = tied<WebhookEndpointView>()(
  'WebhookEndpoint',
  z.strictObject({
    id,
    url: z.string(),
    description: z.string(),
    events: z.array(z.string()),
    ordered: z.boolean(),
    enabled: z.boolean(),
    disabledAt: timestamp.nullable(),
    disabledReason: z.string().nullable(),
    failuresInARow: z.int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
);

export const webhookDeliveryViewSchema = tied<WebhookDeliveryView>()(
  'WebhookDelivery',
  z.strictObject({
    id,
    eventId: z.string(),
    type: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.int(),
    lastStatus: z.int().nullable(),
    lastError: z.string().nullable(),
    lastLatencyMs: z.number().nullable(),
    nextRetryAt: timestamp.nullable(),
    redeliveryOf: id.nullable(),
    createdAt: timestamp,
    finishedAt: timestamp.nullable(),
  }),
);

/** One entry of the audit log; `payload` is the event's own (its shape depends on `type`: contract/events.ts). */
export const auditEventViewSchema = tied<AuditEventView>()(
  'AuditEvent',
  z.strictObject({
    ...eventFields,
    actor: z.strictObject({ id, name: z.string(), email: z.string() }).nullable(),
    payload: z.unknown(),
  }),
);
