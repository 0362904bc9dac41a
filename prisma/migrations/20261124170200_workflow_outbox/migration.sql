-- CreateTable
CREATE TABLE "WorkflowOutbox" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "conversationId" UUID NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkflowOutbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WorkflowOutbox_conversationId_idx" ON "WorkflowOutbox"("conversationId");
