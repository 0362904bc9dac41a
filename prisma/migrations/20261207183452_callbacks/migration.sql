-- CreateEnum
CREATE TYPE "ReminderKind" AS ENUM ('reminder', 'callback');

-- AlterTable
ALTER TABLE "Reminder" ADD COLUMN     "callId" UUID,
ADD COLUMN     "kind" "ReminderKind" NOT NULL DEFAULT 'reminder';
