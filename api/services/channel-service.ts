// Channels as admins manage them: name, switched on or off, and the settings of their kind (the
// widget's allowed origins, the mailbox address). Channels are created with the deployment (the
// seed); the kind never changes. Every change is one transaction with its audit event. An email
// channel's view carries its IMAP settings and health (email/imap-settings.ts).
import type { EmailChannelChoice } from '../../contract/views.js';
import type { Db } from '../../infra/db.js';
import type { Channel, ImapMailbox, Prisma } from '../../prisma/generated/client.js';
import { channelSettings } from '../admin-fields.js';
import type { ApiDeps } from '../deps.js';
import { toImapSettingsView } from './email/imap-settings.js';
import { badRequest, conflict, HttpError } from '../http-error.js';
import { recordAudit } from './audit-service.js';
import { isUniqueViolation } from './prisma-errors.js';
import { lockRowOrNotFound } from './row-lock.js';
import { workflowGateway } from './workflow-gateway.js';

export function toChannelView(row: Channel & { imapMailbox: ImapMailbox | null }) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    enabled: row.enabled,
    settings: row.settings as Record<string, unknown>,
    createdAt: row.createdAt.toISOString(),
    imap: row.imapMailbox ? toImapSettingsView(row.imapMailbox) : null,
  };
}
export type ChannelView = ReturnType<typeof toChannelView>;

export async function listChannels(db: Db): Promise<ChannelView[]> {
  return (await db.channel.findMany({ orderBy: [{ kind: 'asc' }, { name: 'asc' }], include: { imapMailbox: true } })).map(toChannelView);
}

/** The enabled email channels, as "New email" offers them to agents and admins (nothing but name and address). */
export async function listEmailChannelChoices(db: Db): Promise<EmailChannelChoice[]> {
  const rows = await db.channel.findMany({
    where: { kind: 'email', enabled: true },
    orderBy: { name: 'asc' },
    select: { id: true, name: true, settings: true },
  });
  return rows.map((row) => {
    const address = (row.settings as { address?: unknown } | null)?.address;
    return { id: row.id, name: row.name, address: typeof address === 'string' ? address : '' };
  });
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
 * channels (the widget's allowed origins) after the commit. Switching an email channel on or off
 * tells its IMAP poller, when polling is set up (started again, or ending).
 */
export async function updateChannel(
  deps: Pick<ApiDeps, 'db' | 'temporal' | 'relay'>,
  adminId: string,
  id: string,
  changes: ChannelChanges,
): Promise<ChannelView> {
  const { db } = deps;
  const outbox = workflowGateway(deps).outbox();
  try {
    const view = await db.$transaction(async (tx) => {
      await lockRowOrNotFound(tx, 'Channel', id, 'Channel');
      const current = await tx.channel.findUniqueOrThrow({ where: { id }, include: { imapMailbox: true } });
      const settings = changes.settings === undefined ? undefined : parseChannelSettings(current.kind, changes.settings);
      if (changes.name !== undefined) {
        const taken = await tx.channel.findFirst({ where: { name: { equals: changes.name, mode: 'insensitive' }, id: { not: id } }, select: { id: true } });
        if (taken) throw nameTaken();
      }
      const updated = await tx.channel.update({
        where: { id },
        data: { name: changes.name, enabled: changes.enabled, settings: settings as Prisma.InputJsonValue | undefined },
        include: { imapMailbox: true },
      });
      if (current.imapMailbox?.enabled && updated.enabled !== current.enabled) {
        await outbox.write(tx, [{ kind: 'mailbox_changed', channelId: id, enabled: updated.enabled }]);
      }
      const before = toChannelView(current);
      const after = toChannelView(updated);
      await recordAudit(tx, { type: 'channel.updated', adminId, before, after, details: { changed: Object.keys(changes) } });
      return after;
    });
    await outbox.deliver();
    return view;
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}
