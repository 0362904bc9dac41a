-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "txid" xid8 NOT NULL DEFAULT pg_current_xact_id();

-- CreateIndex
CREATE INDEX "Event_txid_idx" ON "Event"("txid");
