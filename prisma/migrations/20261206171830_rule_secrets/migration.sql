-- CreateTable
CREATE TABLE "RuleSecret" (
    "id" UUID NOT NULL,
    "ruleId" UUID NOT NULL,
    "sealed" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RuleSecret_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RuleSecret_ruleId_idx" ON "RuleSecret"("ruleId");

-- AddForeignKey
ALTER TABLE "RuleSecret" ADD CONSTRAINT "RuleSecret_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AutomationRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written below this line (not derived from schema.prisma) --

-- Webhook secrets become write-only (issue 14): the plaintext `secret` of call_webhook actions
-- is stripped from every rule version and from the event log's rule audit payloads (rule.created,
-- .updated, .deleted, .imported). The rules' current secrets are not touched here: the
-- application moves them into "RuleSecret", encrypted, when it starts
-- (infra/secrets/webhook-secrets.ts, idempotent), because the key is derived from SEAMLESS_SECRET,
-- which the database never sees.
CREATE FUNCTION seamless_strip_webhook_secrets(value jsonb) RETURNS jsonb AS $$
DECLARE
  result jsonb;
BEGIN
  IF jsonb_typeof(value) = 'object' THEN
    SELECT coalesce(jsonb_object_agg(key, seamless_strip_webhook_secrets(child)), '{}'::jsonb) INTO result
    FROM jsonb_each(value) AS entry(key, child)
    WHERE NOT (key = 'secret' AND value->>'type' = 'call_webhook');
    RETURN result;
  ELSIF jsonb_typeof(value) = 'array' THEN
    SELECT coalesce(jsonb_agg(seamless_strip_webhook_secrets(child) ORDER BY position), '[]'::jsonb) INTO result
    FROM jsonb_array_elements(value) WITH ORDINALITY AS entry(child, position);
    RETURN result;
  END IF;
  RETURN value;
END;
$$ LANGUAGE plpgsql IMMUTABLE;

UPDATE "AutomationRuleVersion" SET actions = seamless_strip_webhook_secrets(actions) WHERE actions::text LIKE '%call_webhook%';

-- The one rewrite of the append-only log, in this migration's transaction.
ALTER TABLE "Event" DISABLE TRIGGER "Event_append_only";
UPDATE "Event" SET payload = seamless_strip_webhook_secrets(payload) WHERE type LIKE 'rule.%' AND payload::text LIKE '%call_webhook%';
ALTER TABLE "Event" ENABLE TRIGGER "Event_append_only";

DROP FUNCTION seamless_strip_webhook_secrets(jsonb);
