-- CreateEnum
CREATE TYPE "ImapTls" AS ENUM ('tls', 'starttls', 'none');

-- CreateTable
CREATE TABLE "ImapMailbox" (
    "channelId" UUID NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "tls" "ImapTls" NOT NULL,
    "username" TEXT NOT NULL,
    "passwordSealed" BYTEA NOT NULL,
    "mailbox" TEXT NOT NULL DEFAULT 'INBOX',
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "pollIntervalSeconds" INTEGER NOT NULL DEFAULT 60,
    "lastPolledAt" TIMESTAMP(3),
    "lastErrorCode" TEXT,
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ImapMailbox_pkey" PRIMARY KEY ("channelId")
);

-- CreateTable
CREATE TABLE "ImapCheckpoint" (
    "channelId" UUID NOT NULL,
    "mailbox" TEXT NOT NULL,
    "uidValidity" TEXT NOT NULL,
    "lastUid" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ImapCheckpoint_pkey" PRIMARY KEY ("channelId","mailbox")
);

-- AddForeignKey
ALTER TABLE "ImapMailbox" ADD CONSTRAINT "ImapMailbox_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImapCheckpoint" ADD CONSTRAINT "ImapCheckpoint_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
