-- DropIndex
DROP INDEX "WorkflowOutbox_conversationId_idx";

-- AlterTable
ALTER TABLE "WorkflowOutbox" ADD COLUMN     "nextAttemptAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "WorkflowOutboxLease" (
    "conversationId" UUID NOT NULL,
    "holder" TEXT NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WorkflowOutboxLease_pkey" PRIMARY KEY ("conversationId")
);

-- CreateIndex
CREATE INDEX "WorkflowOutbox_conversationId_id_idx" ON "WorkflowOutbox"("conversationId", "id");
