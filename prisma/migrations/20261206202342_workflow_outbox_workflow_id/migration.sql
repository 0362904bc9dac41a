-- AlterTable
ALTER TABLE "WorkflowOutbox" ADD COLUMN     "workflowId" TEXT;

-- AlterTable
ALTER TABLE "WorkflowOutboxLease" ADD COLUMN     "workflowId" TEXT;

-- Hand-written below this line (not derived from schema.prisma) --
-- The outbox serves every workflow, not only conversations: rows and leases are keyed by the
-- Temporal workflow id from the next migration on. Rows waiting now belong to conversations: they
-- keep their ids (so their order) under conversation-<id>, and a waiting start carries its
-- conversation in its payload, as new ones do. Live leases move with them. The next migration
-- then drops conversationId and requires workflowId.
UPDATE "WorkflowOutbox" SET "workflowId" = 'conversation-' || "conversationId"::text;
UPDATE "WorkflowOutbox" SET payload = jsonb_build_object('conversationId', "conversationId"::text)
  WHERE kind = 'start_conversation';
UPDATE "WorkflowOutboxLease" SET "workflowId" = 'conversation-' || "conversationId"::text;
