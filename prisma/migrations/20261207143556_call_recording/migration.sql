-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN     "callId" UUID;

-- AlterTable
ALTER TABLE "Call" ADD COLUMN     "agentConsentAt" TIMESTAMP(3),
ADD COLUMN     "customerConsentAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Attachment_callId_idx" ON "Attachment"("callId");

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call"("id") ON DELETE SET NULL ON UPDATE CASCADE;
