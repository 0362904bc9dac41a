-- This is an empty migration.

-- Hand-written below this line (not derived from schema.prisma) --

-- A contact merge (api/services/customer-merge.ts) moves the merged contact's events to the
-- survivor, so one journey holds both: in a transaction that says so (`SET LOCAL
-- seamless.merging = 'on'`), only "customerId" may change — type, time, actor, subject, scope and
-- payload stay as written — and never a delete. The erasure's rule (customer_erasure) is kept as
-- it was: only the payload, in a transaction with `seamless.erasing` on.
CREATE OR REPLACE FUNCTION seamless_event_is_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.type = OLD.type AND NEW."occurredAt" = OLD."occurredAt"
     AND NEW."actorKind" = OLD."actorKind" AND NEW."actorId" IS NOT DISTINCT FROM OLD."actorId"
     AND NEW."conversationId" IS NOT DISTINCT FROM OLD."conversationId"
     AND NEW."ticketId" IS NOT DISTINCT FROM OLD."ticketId"
     AND NEW."teamId" IS NOT DISTINCT FROM OLD."teamId"
     AND NEW."assigneeId" IS NOT DISTINCT FROM OLD."assigneeId"
     AND NEW.internal = OLD.internal THEN
    IF current_setting('seamless.erasing', true) = 'on' AND NEW."customerId" IS NOT DISTINCT FROM OLD."customerId" THEN
      RETURN NEW;
    END IF;
    IF current_setting('seamless.merging', true) = 'on' AND NEW.payload = OLD.payload THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'Event rows are append-only';
END;
$$ LANGUAGE plpgsql;
