-- CreateIndex
CREATE INDEX "Conversation_lastMessageAt_id_idx" ON "Conversation"("lastMessageAt" DESC, "id" DESC);

-- Hand-written below this line (not derived from schema.prisma) --

-- The inbox search (api/finders/conversation-finder.ts): a substring of any message, or of the
-- customer's name or email, case-insensitively, in English or Chinese. pg_trgm GIN indexes serve
-- ILIKE '%…%' for queries of 3 characters or more (Chinese characters make trigrams too in the
-- C.UTF-8 locale the database is created with); shorter queries hold no trigram, so the finder
-- searches them by a bounded walk down the inbox instead. The extension is there already
-- (20261124140610_knowledge_search); Prisma does not know these indexes.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- A small pending list, as for the knowledge indexes (20261124170000_knowledge_search_speed):
-- every search scans it in full, and messages are written all day.
CREATE INDEX "Message_body_trgm_idx" ON "Message" USING GIN ("body" gin_trgm_ops) WITH (gin_pending_list_limit = 256);
CREATE INDEX "Customer_name_trgm_idx" ON "Customer" USING GIN ("name" gin_trgm_ops) WITH (gin_pending_list_limit = 256);
CREATE INDEX "Customer_email_trgm_idx" ON "Customer" USING GIN ("email" gin_trgm_ops) WITH (gin_pending_list_limit = 256);
