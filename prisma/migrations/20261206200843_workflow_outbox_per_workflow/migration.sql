-- The outbox serves every workflow, not only conversations: rows and leases are keyed by the
-- Temporal workflow id. Rows waiting now belong to conversations: they keep their order (ids are
-- unchanged) under conversation-<id>, and a waiting start carries its conversation in its payload,
-- as new ones do. Written by hand so that no waiting row is lost (the schema diff drops the column).

-- DropIndex
DROP INDEX "WorkflowOutbox_conversationId_id_idx";

-- AlterTable
ALTER TABLE "WorkflowOutbox" ADD COLUMN "workflowId" TEXT;
UPDATE "WorkflowOutbox" SET "workflowId" = 'conversation-' || "conversationId"::text;
UPDATE "WorkflowOutbox" SET payload = jsonb_build_object('conversationId', "conversationId"::text)
  WHERE kind = 'start_conversation';
ALTER TABLE "WorkflowOutbox" ALTER COLUMN "workflowId" SET NOT NULL,
DROP COLUMN "conversationId";

-- AlterTable
ALTER TABLE "WorkflowOutboxLease" ADD COLUMN "workflowId" TEXT;
UPDATE "WorkflowOutboxLease" SET "workflowId" = 'conversation-' || "conversationId"::text;
ALTER TABLE "WorkflowOutboxLease" DROP CONSTRAINT "WorkflowOutboxLease_pkey",
DROP COLUMN "conversationId",
ALTER COLUMN "workflowId" SET NOT NULL,
ADD CONSTRAINT "WorkflowOutboxLease_pkey" PRIMARY KEY ("workflowId");

-- CreateIndex
CREATE INDEX "WorkflowOutbox_workflowId_id_idx" ON "WorkflowOutbox"("workflowId", "id");
