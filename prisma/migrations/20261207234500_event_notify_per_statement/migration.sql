-- This is an empty migration.

-- Hand-written below this line (not derived from schema.prisma) --

-- Events are announced per statement, not per row (issue 19): the message writer stores a round
-- of messages in one statement (api/services/message-store.ts storeManyStatement), and the row
-- trigger made one plpgsql call and one pg_notify per event, so one notification (and one message
-- to every LISTEN connection, and one decode in every API process) per event. Now each statement
-- that appends events NOTIFYs `seamless_events` with a JSON array of them, in insertion order,
-- as few payloads as fit under 7,900 bytes (NOTIFY's limit is 8,000); an event too large for a
-- payload of its own is announced by id ({"id": …, "truncated": true}) and the listener reads it
-- back, as before. realtime/event-stream.ts also still reads the single-object payloads of the
-- row trigger, for API processes upgraded before this migration ran; an API process older than
-- this one takes an array for a broken payload and catches up from the log.
CREATE FUNCTION seamless_notify_events() RETURNS trigger AS $$
DECLARE
  event record;
  item text;
  batch text := '';
BEGIN
  FOR event IN SELECT e.id, row_to_json(e)::text AS json FROM new_events e LOOP
    item := event.json;
    IF octet_length(item) > 7898 THEN
      item := json_build_object('id', event.id, 'truncated', true)::text;
    END IF;
    -- '[' || batch || ',' || item || ']' must stay within 7,900 bytes.
    IF batch <> '' AND octet_length(batch) + octet_length(item) + 3 > 7900 THEN
      PERFORM pg_notify('seamless_events', '[' || batch || ']');
      batch := '';
    END IF;
    batch := CASE WHEN batch = '' THEN item ELSE batch || ',' || item END;
  END LOOP;
  IF batch <> '' THEN
    PERFORM pg_notify('seamless_events', '[' || batch || ']');
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER "Event_notify" ON "Event";
DROP FUNCTION seamless_notify_event();
CREATE TRIGGER "Event_notify" AFTER INSERT ON "Event" REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION seamless_notify_events();
