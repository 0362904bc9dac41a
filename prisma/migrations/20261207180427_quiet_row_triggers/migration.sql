-- This is an empty migration.

-- Hand-written below this line (not derived from schema.prisma) --

-- The two row triggers on the message path (issue 19) cost next to nothing when nothing listens:
-- each first asks, with one index or table probe, whether any row would be written, and returns
-- before building the data-modifying statement otherwise. Measured per inserted row inside one
-- transaction (PostgreSQL CPU, 20,000 rows): the fan-out added ~11 µs to an Event insert with no
-- endpoint, ~4-5 µs with the probe; the follow-up wake-up ~6 µs to a customer Message, ~4 µs.
-- A WHEN clause cannot read another table, and a statement-level trigger runs once per statement
-- anyway (the message store writes one message and one event per statement).

-- As in 20261207143806_webhook_lanes, with the probe first.
CREATE OR REPLACE FUNCTION seamless_webhook_fan_out() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM "WebhookEndpoint" e WHERE e.enabled AND NEW.type = ANY(e."logTypes")) THEN
    RETURN NULL;
  END IF;
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

-- As in 20261207143743_follow_ups, with the probe first (FollowUp_conversationId_status_idx).
CREATE OR REPLACE FUNCTION seamless_follow_up_customer_wrote() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM "FollowUp" f WHERE f."conversationId" = NEW."conversationId" AND f.status = 'active') THEN
    RETURN NULL;
  END IF;
  INSERT INTO "WorkflowOutbox" (kind, "workflowId", payload)
  SELECT 'follow_up_changed', 'follow-up-' || f.id, jsonb_build_object('followUpId', f.id)
  FROM "FollowUp" f WHERE f."conversationId" = NEW."conversationId" AND f.status = 'active';
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
