// Webhook secrets of automation rules, write-only (issue 14, item 5): a call_webhook action
// stores `{ type, url, secretId }`; the secret itself is a RuleSecret row, sealed (secret-box.ts).
// The API writes them when an admin sets one, the activity that signs a webhook reads one, and
// nothing else ever sees the plaintext: not the rule views, versions, exports, events, nor the
// workflow histories (the id travels instead).
import { randomUUID } from 'node:crypto';
import { loadSecret } from '../auth/secret.js';
import type { Db, Tx } from '../db.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { createSecretBox, type SecretBox } from './secret-box.js';

/** The purpose the key is derived for: a key of its own, not the visitor-token signing key. */
const purpose = 'rule-webhook-secrets';

/** The box for webhook secrets, keyed by the server secret (the API's and the worker's alike). */
export const webhookSecretBox = (serverSecret: string): SecretBox => createSecretBox(serverSecret, purpose);

/**
 * The server secret for a process that is not the API (the worker): SEAMLESS_SECRET, else — not
 * in production, where its absence is refused like the API refuses it — the key kept under
 * DATA_DIR. The API and the worker may start at once and both find the file missing; the one
 * whose exclusive create fails reads the other's.
 */
export function loadServerSecret(configured: string | undefined, dataDir: string, options: { production?: boolean } = {}): string {
  try {
    return loadSecret(configured, dataDir, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return loadSecret(configured, dataDir, options);
  }
}

/** Seals and stores a new secret for the rule (the rule's row must exist); returns its id (what the action keeps). */
export async function storeWebhookSecret(tx: Tx | Db, box: SecretBox, ruleId: string, plaintext: string, id: string = randomUUID()): Promise<string> {
  await tx.ruleSecret.create({ data: { id, ruleId, sealed: box.seal(plaintext, id) } });
  return id;
}

/** The secret, or null when there is no such row (deleted with its rule or replaced since). */
export async function readWebhookSecret(db: Db | Tx, box: SecretBox, id: string): Promise<string | null> {
  const row = await db.ruleSecret.findUnique({ where: { id } });
  return row ? box.open(row.sealed, row.id) : null;
}

/** Removes the rule's secrets that none of `keep` names (a replaced or removed webhook's). */
export async function pruneWebhookSecrets(tx: Tx, ruleId: string, keep: readonly string[]): Promise<void> {
  await tx.ruleSecret.deleteMany({ where: { ruleId, id: { notIn: [...keep] } } });
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const hasPlaintextSecret = (action: unknown) => isRecord(action) && action.type === 'call_webhook' && typeof action.secret === 'string';

/**
 * Moves plaintext secrets left in rules stored before secrets were write-only into RuleSecret,
 * leaving `secretId` in the action; returns how many were moved. Run at every start of the API
 * and the worker (the migration 20261206171830_rule_secrets cannot: the key is not in the
 * database). Idempotent and safe to run from several processes at once: each rule is re-read
 * under a row lock and only actions still holding a `secret` are moved. The rule keeps its
 * version (its definition did not change) and no event is written (it would have to name what
 * changed: the secret).
 */
export async function moveLegacyWebhookSecrets(db: Db, box: SecretBox): Promise<number> {
  const candidates = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM "AutomationRule"
    WHERE jsonb_path_exists(actions, '$[*] ? (@.type == "call_webhook" && exists(@.secret))')`;
  let moved = 0;
  for (const { id } of candidates) {
    moved += await db.$transaction(async (tx) => {
      const [locked] = await tx.$queryRaw<{ actions: unknown }[]>`SELECT actions FROM "AutomationRule" WHERE id = ${id}::uuid FOR UPDATE`;
      if (!locked || !Array.isArray(locked.actions)) return 0;
      let count = 0;
      const actions: unknown[] = [];
      for (const action of locked.actions) {
        if (!hasPlaintextSecret(action)) {
          actions.push(action);
          continue;
        }
        const { secret, ...rest } = action as Record<string, unknown>;
        actions.push({ ...rest, secretId: await storeWebhookSecret(tx, box, id, secret as string) });
        count += 1;
      }
      if (count > 0) await tx.$executeRaw`UPDATE "AutomationRule" SET actions = ${JSON.stringify(actions)}::jsonb WHERE id = ${id}::uuid`;
      return count;
    });
  }
  return moved;
}

/** A call_webhook action as any reader may see it: the plaintext `secret` never, its id yes. */
export function withoutSecret<T>(action: T): T {
  if (!isRecord(action) || !('secret' in action)) return action;
  const { secret: _secret, ...rest } = action;
  return rest as T;
}

/** Every action of a stored list, secrets left out (legacy rows included). */
export function actionsWithoutSecrets(actions: Prisma.JsonValue | readonly unknown[]): unknown[] {
  return Array.isArray(actions) ? actions.map(withoutSecret) : [];
}
