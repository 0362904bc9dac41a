-- CreateEnum
CREATE TYPE "ReminderStatus" AS ENUM ('pending', 'due', 'cancelled');

-- CreateTable
CREATE TABLE "Reminder" (
    "id" UUID NOT NULL,
    "conversationId" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "note" TEXT,
    "status" "ReminderStatus" NOT NULL DEFAULT 'pending',
    "firedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reminder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Reminder_ownerId_status_idx" ON "Reminder"("ownerId", "status");

-- CreateIndex
CREATE INDEX "Reminder_conversationId_status_idx" ON "Reminder"("conversationId", "status");

-- AddForeignKey
ALTER TABLE "Reminder" ADD CONSTRAINT "Reminder_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
