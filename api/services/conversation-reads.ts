// Where each agent last read a conversation (ConversationRead): the inbox row's unread count is
// the customer's messages after it (api/finders/conversation-finder.ts, readingStates).
import type { Db } from '../../infra/db.js';

/**
 * Marks the conversation read by the agent up to its newest message (the console sends it as the
 * agent opens the conversation, and again while it is open as messages arrive). The marker is the
 * newest message's own time, not the clock's, so a message stored in the same moment is never
 * counted read by accident; it never moves back (two tabs, a late request).
 */
export async function markConversationRead(db: Db, conversationId: string, userId: string): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "ConversationRead" ("conversationId", "userId", "readAt")
    SELECT c.id, ${userId}::uuid,
      COALESCE((SELECT m."createdAt" FROM "Message" m WHERE m."conversationId" = c.id ORDER BY m."createdAt" DESC LIMIT 1), c."createdAt")
    FROM "Conversation" c WHERE c.id = ${conversationId}::uuid
    ON CONFLICT ("conversationId", "userId") DO UPDATE SET "readAt" = GREATEST("ConversationRead"."readAt", EXCLUDED."readAt")`;
}
