-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('pending', 'delivered', 'failed');

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "events" TEXT[],
    "logTypes" TEXT[],
    "ordered" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "sealedSecret" BYTEA NOT NULL,
    "failuresInARow" INTEGER NOT NULL DEFAULT 0,
    "disabledAt" TIMESTAMP(3),
    "disabledReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "endpointId" UUID NOT NULL,
    "eventId" BIGINT,
    "eventKey" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "lane" TEXT NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "lastLatencyMs" INTEGER,
    "nextRetryAt" TIMESTAMP(3),
    "redeliveryOf" UUID,
    "payload" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookEndpoint_enabled_idx" ON "WebhookEndpoint"("enabled");

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_lane_status_seq_idx" ON "WebhookDelivery"("endpointId", "lane", "status", "seq");

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_seq_idx" ON "WebhookDelivery"("endpointId", "seq");

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written below this line (not derived from schema.prisma) --

-- Fan-out (docs/WEBHOOKS.md, "Never dropped"): each event of a type an enabled endpoint subscribes
-- to becomes a delivery, and the wake-up of its lane's workflow an outbox row (kind webhook_lane,
-- api/services/workflow-intents.ts), in the transaction that appends the event: both commit with
-- it or not at all, whoever appends (the API or a workflow's activity). An ordered endpoint's lane
-- is the event's conversation (else its ticket, its customer, else one lane for the rest); an
-- unordered endpoint's deliveries each have a lane of their own and go out in parallel.
CREATE FUNCTION seamless_webhook_fan_out() RETURNS trigger AS $$
BEGIN
  WITH planned AS (
    SELECT gen_random_uuid() AS id, e.id AS "endpointId", e.ordered
    FROM "WebhookEndpoint" e WHERE e.enabled AND NEW.type = ANY(e."logTypes")
  ), written AS (
    INSERT INTO "WebhookDelivery" (id, "endpointId", "eventId", "eventKey", type, lane)
    SELECT p.id, p."endpointId", NEW.id, 'evt_' || NEW.id, NEW.type,
      CASE WHEN p.ordered
        THEN COALESCE('conversation-' || NEW."conversationId", 'ticket-' || NEW."ticketId", 'customer-' || NEW."customerId", 'all')
        ELSE p.id::text END
    FROM planned p
    RETURNING "endpointId", lane
  )
  INSERT INTO "WorkflowOutbox" (kind, "workflowId", payload)
  SELECT 'webhook_lane', 'webhook-' || w."endpointId" || '-' || w.lane, jsonb_build_object('endpointId', w."endpointId", 'lane', w.lane)
  FROM written w;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Event_webhook_fan_out" AFTER INSERT ON "Event" FOR EACH ROW EXECUTE FUNCTION seamless_webhook_fan_out();
