-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "visitorKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Customer_visitorKey_key" ON "Customer"("visitorKey");
