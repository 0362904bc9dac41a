-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "emailBounceReason" TEXT,
ADD COLUMN     "emailBouncedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "InboundEmail" ADD COLUMN     "autoAnswer" BOOLEAN;

-- CreateIndex
CREATE INDEX "InboundEmail_fromAddress_receivedAt_idx" ON "InboundEmail"("fromAddress", "receivedAt");
