-- CreateEnum
CREATE TYPE "InboundEmailStatus" AS ENUM ('received', 'processed', 'refused');

-- AlterTable
ALTER TABLE "Channel" ADD COLUMN     "inboundSecretHash" TEXT;

-- CreateTable
CREATE TABLE "InboundEmail" (
    "id" UUID NOT NULL,
    "channelId" UUID NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "emailMessageId" TEXT,
    "raw" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "status" "InboundEmailStatus" NOT NULL DEFAULT 'received',
    "reason" TEXT,
    "automated" BOOLEAN NOT NULL DEFAULT false,
    "inReplyTo" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "references" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "subject" TEXT,
    "fromAddress" TEXT,
    "fromName" TEXT,
    "to" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "cc" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "conversationId" UUID,
    "messageId" UUID,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "InboundEmail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InboundEmail_messageId_key" ON "InboundEmail"("messageId");

-- CreateIndex
CREATE INDEX "InboundEmail_channelId_emailMessageId_idx" ON "InboundEmail"("channelId", "emailMessageId");

-- CreateIndex
CREATE INDEX "InboundEmail_conversationId_idx" ON "InboundEmail"("conversationId");

-- CreateIndex
CREATE UNIQUE INDEX "InboundEmail_channelId_dedupeKey_key" ON "InboundEmail"("channelId", "dedupeKey");

-- AddForeignKey
ALTER TABLE "InboundEmail" ADD CONSTRAINT "InboundEmail_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundEmail" ADD CONSTRAINT "InboundEmail_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundEmail" ADD CONSTRAINT "InboundEmail_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE SET NULL ON UPDATE CASCADE;
