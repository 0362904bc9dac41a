// @mentions in private notes: an agent names colleagues (by id, picked in the console), each one
// is told through an internal `conversation.mentioned` event carrying their id, and the note
// itself links back. Only people who may see the conversation can be mentioned — a mention
// grants no access.
import { canSee, type Viewer } from '../../domain/visibility.js';
import type { Db } from '../../infra/db.js';
import { appendEvent, visibleEvents } from '../../infra/event-log.js';
import { badRequest } from '../http-error.js';

export const mentionEventType = 'conversation.mentioned';

interface MentionContext {
  conversation: { id: string; number: number; customerId: string; teamId: string | null; assigneeId: string | null };
  message: { id: string; body: string };
  by: { userId: string | null; name: string | null };
}

/** The colleagues a note may mention: agents and admins who see the conversation; 400 names any other. */
export async function checkMentions(db: Db, conversation: MentionContext['conversation'], userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  const users = await db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, role: true, teamId: true } });
  const refused = userIds
    .map((id, index) => ({ id, index, user: users.find((user) => user.id === id) }))
    .filter(({ user }) => !user || !canSee({ kind: 'user', userId: user.id, role: user.role, teamId: user.teamId }, { ...conversation, internal: true }));
  if (refused.length > 0) {
    throw badRequest(
      'invalid_mention',
      'Only colleagues who can see this conversation can be mentioned.',
      refused.map(({ index }) => ({ path: `mentions.${index}`, message: 'is not an agent who can see this conversation' })),
    );
  }
}

/** One internal event per mentioned colleague: it reaches them (assigneeId) and their console. */
export async function announceMentions(db: Db, context: MentionContext, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  const excerpt = context.message.body.length > 140 ? `${context.message.body.slice(0, 139)}…` : context.message.body;
  await db.$transaction(async (tx) => {
    for (const mentionedUserId of new Set(userIds)) {
      await appendEvent(tx, {
        type: mentionEventType,
        actorKind: 'agent',
        actorId: context.by.userId,
        conversationId: context.conversation.id,
        customerId: context.conversation.customerId,
        // Addressed to the mentioned colleague: visible to them wherever the conversation's team is.
        teamId: context.conversation.teamId,
        assigneeId: mentionedUserId,
        internal: true,
        payload: { mentionedUserId, messageId: context.message.id, by: context.by, excerpt, conversationNumber: context.conversation.number },
      });
    }
  });
}

/** The signed-in colleague's latest mentions, newest first: in conversations they may still see. */
export async function mentionsOf(db: Db, viewer: Extract<Viewer, { kind: 'user' }>, limit = 50) {
  const rows = await db.event.findMany({
    where: { type: mentionEventType, assigneeId: viewer.userId },
    orderBy: { id: 'desc' },
    take: limit,
  });
  return (await visibleEvents(db, viewer, rows)).map((row) => ({
    id: String(row.id),
    conversationId: row.conversationId,
    occurredAt: row.occurredAt.toISOString(),
    ...(row.payload as Record<string, unknown>),
  }));
}
