-- This is an empty migration.

-- Hand-written below this line (not derived from schema.prisma) --

-- Search across conversations and tickets (api/finders/search-finder.ts): a substring of a
-- conversation's subject, or of a ticket's subject or description, case-insensitively, in English
-- or Chinese, as the inbox search's trigram indexes do for messages and customers
-- (20261207050437_inbox_paging). Prisma does not know these indexes.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Conversation_subject_trgm_idx" ON "Conversation" USING GIN ("subject" gin_trgm_ops) WITH (gin_pending_list_limit = 256);
CREATE INDEX "Ticket_subject_trgm_idx" ON "Ticket" USING GIN ("subject" gin_trgm_ops) WITH (gin_pending_list_limit = 256);
CREATE INDEX "Ticket_description_trgm_idx" ON "Ticket" USING GIN ("description" gin_trgm_ops) WITH (gin_pending_list_limit = 256);
