// Channels as admins manage them: name, switched on or off, and the settings of their kind (the
// widget's allowed origins, the mailbox address). Channels are created with the deployment (the
// seed); the kind never changes. Every change is one transaction with its audit event.
import type { Db } from '../../infra/db.js';
import type { Channel, Prisma } from '../../prisma/generated/client.js';
import { channelSettings } from '../admin-fields.js';
import { badRequest, conflict, HttpError } from '../http-error.js';
import { recordAudit } from './audit-service.js';
import { isUniqueViolation } from './prisma-errors.js';
import { lockRowOrNotFound } from './row-lock.js';

export function toChannelView(row: Channel) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    enabled: row.enabled,
    settings: row.settings as Record<string, unknown>,
    createdAt: row.createdAt.toISOString(),
  };
}
export type ChannelView = ReturnType<typeof toChannelView>;

export async function listChannels(db: Db): Promise<ChannelView[]> {
  return (await db.channel.findMany({ orderBy: [{ kind: 'asc' }, { name: 'asc' }] })).map(toChannelView);
}

export interface ChannelChanges {
  name?: string;
  enabled?: boolean;
  /** Checked against the channel's kind (admin-fields.ts channelSettings). */
  settings?: unknown;
}

/** The settings for a channel of this kind, or 400 naming each problem under `settings.`. */
export function parseChannelSettings(kind: Channel['kind'], value: unknown): Record<string, unknown> {
  const result = channelSettings[kind].safeParse(value);
  if (result.success) return result.data;
  throw badRequest(
    'invalid_input',
    `The settings are not valid for a ${kind} channel.`,
    result.error.issues.map((issue) => ({ path: ['settings', ...issue.path].join('.'), message: issue.message })),
  );
}

const nameTaken = () => conflict('channel_name_taken', 'Another channel has this name.');

/**
 * Applies the change; settings are replaced as a whole. The caller refreshes what caches the
 * channels (the widget's allowed origins) after the commit.
 */
export async function updateChannel(db: Db, adminId: string, id: string, changes: ChannelChanges): Promise<ChannelView> {
  try {
    return await db.$transaction(async (tx) => {
      await lockRowOrNotFound(tx, 'Channel', id, 'Channel');
      const current = await tx.channel.findUniqueOrThrow({ where: { id } });
      const settings = changes.settings === undefined ? undefined : parseChannelSettings(current.kind, changes.settings);
      if (changes.name !== undefined) {
        const taken = await tx.channel.findFirst({ where: { name: { equals: changes.name, mode: 'insensitive' }, id: { not: id } }, select: { id: true } });
        if (taken) throw nameTaken();
      }
      const updated = await tx.channel.update({
        where: { id },
        data: { name: changes.name, enabled: changes.enabled, settings: settings as Prisma.InputJsonValue | undefined },
      });
      const before = toChannelView(current);
      const after = toChannelView(updated);
      await recordAudit(tx, { type: 'channel.updated', adminId, before, after, details: { changed: Object.keys(changes) } });
      return after;
    });
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}
