-- AlterTable
ALTER TABLE "WorkflowOutboxLease" ADD COLUMN     "rang" BOOLEAN NOT NULL DEFAULT false;
