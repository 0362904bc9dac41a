-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "erasedAt" TIMESTAMP(3);

-- Hand-written below this line (not derived from schema.prisma) --

-- A contact's erasure (api/services/data-rights/customer-erasure.ts) redacts the payloads of their
-- events: the one rewrite the append-only log allows, only in a transaction that says so
-- (`SET LOCAL seamless.erasing = 'on'`), only of the payload — type, time, actor and subject stay —
-- and never a delete.
CREATE OR REPLACE FUNCTION seamless_event_is_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('seamless.erasing', true) = 'on'
     AND NEW.id = OLD.id AND NEW.type = OLD.type AND NEW."occurredAt" = OLD."occurredAt"
     AND NEW."actorKind" = OLD."actorKind" AND NEW."actorId" IS NOT DISTINCT FROM OLD."actorId"
     AND NEW."customerId" IS NOT DISTINCT FROM OLD."customerId"
     AND NEW."conversationId" IS NOT DISTINCT FROM OLD."conversationId"
     AND NEW."ticketId" IS NOT DISTINCT FROM OLD."ticketId"
     AND NEW."teamId" IS NOT DISTINCT FROM OLD."teamId"
     AND NEW."assigneeId" IS NOT DISTINCT FROM OLD."assigneeId"
     AND NEW.internal = OLD.internal THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'Event rows are append-only';
END;
$$ LANGUAGE plpgsql;

-- Nothing new starts for an erased contact: a conversation or ticket inserted for them is refused.
-- FOR KEY SHARE waits for an erasure holding the row (it locks it FOR UPDATE) and then reads the
-- committed row, so one that commits meanwhile is seen.
-- (The row is locked by id and its erasedAt read after: a lock condition in the WHERE would be
-- checked against the statement's snapshot and skip the row without waiting.)
CREATE FUNCTION seamless_refuse_erased_customer() RETURNS trigger AS $$
DECLARE
  erased timestamp(3);
BEGIN
  SELECT "erasedAt" INTO erased FROM "Customer" WHERE id = NEW."customerId" FOR KEY SHARE;
  IF erased IS NOT NULL THEN
    RAISE EXCEPTION 'customer % was erased', NEW."customerId" USING ERRCODE = 'P0001', HINT = 'customer_erased';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Conversation_refuse_erased_customer" BEFORE INSERT ON "Conversation"
  FOR EACH ROW EXECUTE FUNCTION seamless_refuse_erased_customer();
CREATE TRIGGER "Ticket_refuse_erased_customer" BEFORE INSERT ON "Ticket"
  FOR EACH ROW EXECUTE FUNCTION seamless_refuse_erased_customer();
