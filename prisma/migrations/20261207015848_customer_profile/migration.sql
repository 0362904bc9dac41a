-- CreateEnum
CREATE TYPE "CustomerAttributeType" AS ENUM ('text', 'number', 'date', 'boolean', 'select');

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "company" TEXT,
ADD COLUMN     "notes" TEXT,
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "CustomerAttribute" (
    "key" TEXT NOT NULL,
    "labelEn" TEXT NOT NULL,
    "labelZh" TEXT NOT NULL,
    "type" "CustomerAttributeType" NOT NULL,
    "options" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerAttribute_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Customer_lastSeenAt_idx" ON "Customer"("lastSeenAt");

-- CreateIndex
CREATE INDEX "Message_customerId_idx" ON "Message"("customerId");
