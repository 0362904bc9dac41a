-- DropIndex
DROP INDEX "WorkflowOutbox_conversationId_id_idx";

-- AlterTable
ALTER TABLE "WorkflowOutbox" DROP COLUMN "conversationId",
ALTER COLUMN "workflowId" SET NOT NULL;

-- AlterTable
ALTER TABLE "WorkflowOutboxLease" DROP CONSTRAINT "WorkflowOutboxLease_pkey",
DROP COLUMN "conversationId",
ALTER COLUMN "workflowId" SET NOT NULL,
ADD CONSTRAINT "WorkflowOutboxLease_pkey" PRIMARY KEY ("workflowId");

-- CreateIndex
CREATE INDEX "WorkflowOutbox_workflowId_id_idx" ON "WorkflowOutbox"("workflowId", "id");
