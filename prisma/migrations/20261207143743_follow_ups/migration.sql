-- CreateEnum
CREATE TYPE "FollowUpStatus" AS ENUM ('active', 'completed', 'cancelled', 'failed');

-- CreateTable
CREATE TABLE "FollowUp" (
    "id" UUID NOT NULL,
    "conversationId" UUID NOT NULL,
    "authorId" UUID,
    "ruleId" UUID,
    "steps" JSONB NOT NULL,
    "status" "FollowUpStatus" NOT NULL DEFAULT 'active',
    "sentSteps" INTEGER NOT NULL DEFAULT 0,
    "startedAfter" TIMESTAMP(3) NOT NULL,
    "waitFrom" TIMESTAMP(3) NOT NULL,
    "endReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FollowUp_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FollowUp_conversationId_status_idx" ON "FollowUp"("conversationId", "status");

-- AddForeignKey
ALTER TABLE "FollowUp" ADD CONSTRAINT "FollowUp_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written below this line (not derived from schema.prisma) --

-- A customer's message wakes the conversation's active follow-ups (workflows/follow-up.ts): an
-- outbox row (kind follow_up_changed, api/services/workflow-intents.ts) written in the message's
-- own transaction, whichever path stores it (widget, email, API). The workflow then cancels the
-- rest under the conversation's row lock; the id is domain/workflow-ids.ts followUpWorkflowId:
-- change both or neither.
CREATE FUNCTION seamless_follow_up_customer_wrote() RETURNS trigger AS $$
BEGIN
  INSERT INTO "WorkflowOutbox" (kind, "workflowId", payload)
  SELECT 'follow_up_changed', 'follow-up-' || f.id, jsonb_build_object('followUpId', f.id)
  FROM "FollowUp" f WHERE f."conversationId" = NEW."conversationId" AND f.status = 'active';
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Message_follow_up_customer_wrote" AFTER INSERT ON "Message" FOR EACH ROW
  WHEN (NEW."authorKind" = 'customer' AND NOT NEW.private) EXECUTE FUNCTION seamless_follow_up_customer_wrote();
