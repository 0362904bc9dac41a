-- AlterTable
ALTER TABLE "WebhookEndpoint" ADD COLUMN     "failingSince" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "firstAttemptAt" TIMESTAMP(3);

-- Hand-written below this line (not derived from schema.prisma) --

-- The fan-out (docs/WEBHOOKS.md, "Never dropped") as in 20261207111518_webhook_endpoints, but an
-- unordered endpoint's deliveries share one lane, `unordered`, drained in batches by one workflow
-- (workflows/webhook-lane.ts) instead of one workflow each. Deliveries written before keep their
-- lane of one and its workflow.
CREATE OR REPLACE FUNCTION seamless_webhook_fan_out() RETURNS trigger AS $$
BEGIN
  WITH planned AS (
    SELECT gen_random_uuid() AS id, e.id AS "endpointId", e.ordered
    FROM "WebhookEndpoint" e WHERE e.enabled AND NEW.type = ANY(e."logTypes")
  ), written AS (
    INSERT INTO "WebhookDelivery" (id, "endpointId", "eventId", "eventKey", type, lane)
    SELECT p.id, p."endpointId", NEW.id, 'evt_' || NEW.id, NEW.type,
      CASE WHEN p.ordered
        THEN COALESCE('conversation-' || NEW."conversationId", 'ticket-' || NEW."ticketId", 'customer-' || NEW."customerId", 'all')
        ELSE 'unordered' END
    FROM planned p
    RETURNING "endpointId", lane
  )
  INSERT INTO "WorkflowOutbox" (kind, "workflowId", payload)
  SELECT 'webhook_lane', 'webhook-' || w."endpointId" || '-' || w.lane, jsonb_build_object('endpointId', w."endpointId", 'lane', w.lane)
  FROM written w;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
