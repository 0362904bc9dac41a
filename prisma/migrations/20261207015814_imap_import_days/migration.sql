-- AlterTable
ALTER TABLE "ImapMailbox" ADD COLUMN     "importDays" INTEGER NOT NULL DEFAULT 3;
