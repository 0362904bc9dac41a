// The records admins manage: people, teams, channels, canned responses, API keys.
import { z } from 'zod';
import { agentTiers, channelKinds, presences, userRoles } from '../../../domain/vocabulary.js';
import { type ApiKeyView, type CannedResponseView, type ChannelView, type EmailChannelChoice, type TeamView, type UserView } from '../../views.js';
import { tied, timestamp, id } from './support.js';

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
