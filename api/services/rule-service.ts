// Automation rules as admins manage them: every write is one transaction with a new version row
// (for changes to the definition) and an internal audit event holding the rule before and after.
// Deciding what a rule does lives in domain/rules; running it is the workflows' job. The dry-run
// replays the event log through the matcher and writes nothing but its audit event.
//
// Webhook secrets are write-only (docs/WEBHOOKS.md): a call_webhook action's `secret` is sealed
// into RuleSecret when the rule is written and the action keeps its `secretId`; every view,
// version, export, audit payload and dry-run result leaves the plaintext out, for admins too.
import { randomUUID } from 'node:crypto';
import type { DryRunResultView } from '../../contract/views.js';
import { parseBusinessCalendar, type BusinessCalendar } from '../../domain/business-hours.js';
import type { EventType } from '../../domain/events.js';
import type { RuleFacts } from '../../domain/rules/matcher.js';
import { replayRule, type RecordedEvent } from '../../domain/rules/replay.js';
import { ruleDefinitionSchema, type Action, type RuleDefinition } from '../../domain/rules/rule-schema.js';
import type { Db, Tx } from '../../infra/db.js';
import { appendEventOfAnyType } from '../../infra/event-log.js';
import { outboundUrlProblem, type OutboundPolicy } from '../../infra/outbound/outbound-guard.js';
import type { SecretBox } from '../../infra/secrets/secret-box.js';
import { actionsWithoutSecrets, pruneWebhookSecrets, storeWebhookSecret, withoutSecret } from '../../infra/secrets/webhook-secrets.js';
import type { AutomationRule, AutomationRuleVersion, Prisma, RuleExecution } from '../../prisma/generated/client.js';
import { badRequest, notFound } from '../http-error.js';
import { lockRowOrNotFound } from './row-lock.js';

export function toRuleView(row: AutomationRule) {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    position: row.position,
    scope: row.scope,
    trigger: row.trigger,
    conditions: row.conditions,
    actions: actionsWithoutSecrets(row.actions),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type RuleView = ReturnType<typeof toRuleView>;

export function toRuleVersionView(row: AutomationRuleVersion) {
  return {
    version: row.version,
    name: row.name,
    enabled: row.enabled,
    scope: row.scope,
    trigger: row.trigger,
    conditions: row.conditions,
    actions: actionsWithoutSecrets(row.actions),
    editorId: row.editorId,
    createdAt: row.createdAt.toISOString(),
  };
}

/** What people call the subject of an execution: its number (null when deleted since). */
interface SubjectNumbers {
  conversationNumber: number | null;
  ticketNumber: number | null;
}

function toExecutionView(row: RuleExecution, numbers: SubjectNumbers) {
  return {
    id: row.id,
    ruleId: row.ruleId,
    version: row.version,
    trigger: row.trigger,
    conversationId: row.conversationId,
    conversationNumber: numbers.conversationNumber,
    ticketId: row.ticketId,
    ticketNumber: numbers.ticketNumber,
    matched: row.matched,
    actions: row.actions,
    depth: row.depth,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The rule's definition as stored (webhooks name their secret by `secretId`): what a change is merged over. */
function storedDefinition(row: AutomationRule) {
  return {
    name: row.name,
    enabled: row.enabled,
    scope: row.scope,
    trigger: row.trigger,
    conditions: row.conditions,
    actions: actionsWithoutSecrets(row.actions),
  };
}

/**
 * The portable part of a rule: what export writes and import reads. A webhook leaves with its URL
 * only: no secret and no `secretId` (an id means nothing elsewhere), so an import must be given
 * the secret again (docs/WEBHOOKS.md).
 */
export function toDefinition(row: AutomationRule) {
  const actions = actionsWithoutSecrets(row.actions).map((action) => {
    if (typeof action !== 'object' || action === null || !('secretId' in action)) return action;
    const { secretId: _secretId, ...portable } = action as Record<string, unknown>;
    return portable;
  });
  return { ...storedDefinition(row), actions };
}

/** Rules in evaluation order: position, then age (positions may tie after concurrent creates). */
export const ruleOrder = [{ position: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }] satisfies Prisma.AutomationRuleOrderByWithRelationInput[];

/**
 * Serialises writes to the rule list (create, import, reorder, delete), so new rules get distinct
 * positions and a reorder sees the whole list. Any constant shared by those writes would do.
 */
const ruleListLock = 74_420_001;
const lockRuleList = (tx: Tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(${ruleListLock})`;

const json = (value: unknown) => value as Prisma.InputJsonValue;

const definitionData = (definition: RuleDefinition) => ({
  name: definition.name,
  enabled: definition.enabled,
  scope: definition.scope,
  trigger: json(definition.trigger),
  conditions: json(definition.conditions),
  actions: json(definition.actions),
});

async function nextPosition(tx: Tx): Promise<number> {
  const last = await tx.automationRule.aggregate({ _max: { position: true } });
  return (last._max.position ?? -1) + 1;
}

/** What writing a rule needs besides the database: the key secrets are sealed with, the hosts webhooks may call. */
export interface RuleWebhookOptions {
  box: SecretBox;
  outbound: OutboundPolicy;
}

interface PlannedActions {
  /** The actions as stored: each webhook names its secret by `secretId`. */
  actions: Action[];
  /** Writes the new secrets; call it once the rule's row exists. */
  seal(tx: Tx): Promise<void>;
}

/**
 * Turns the actions as sent into the actions as stored: a webhook's new `secret` gets an id (sealed
 * by `seal`), a kept `secretId` must be one of this rule's own secrets, and a webhook URL (when
 * `checkUrls`: the actions were sent) must pass the outbound guard's static check. Every problem
 * is reported at its path (prefixed with `path`, e.g. `rules.2.`), all at once.
 */
async function planActions(
  tx: Tx,
  ruleId: string,
  actions: readonly Action[],
  webhooks: RuleWebhookOptions,
  options: { checkUrls: boolean; path?: string },
): Promise<PlannedActions> {
  const path = options.path ?? '';
  const kept = actions.flatMap((action) => (action.type === 'call_webhook' && action.secret === undefined && action.secretId ? [action.secretId] : []));
  const owned = new Set(
    kept.length === 0 ? [] : (await tx.ruleSecret.findMany({ where: { ruleId, id: { in: kept } }, select: { id: true } })).map((row) => row.id),
  );
  const problems: { path: string; message: string }[] = [];
  const newSecrets: { id: string; plaintext: string }[] = [];
  const stored = actions.map((action, index): Action => {
    if (action.type !== 'call_webhook') return action;
    if (options.checkUrls) {
      const problem = outboundUrlProblem(action.url, webhooks.outbound);
      if (problem) problems.push({ path: `${path}actions.${index}.url`, message: problem });
    }
    if (action.secret !== undefined) {
      const secretId = randomUUID();
      newSecrets.push({ id: secretId, plaintext: action.secret });
      return { type: 'call_webhook', url: action.url, secretId };
    }
    if (!action.secretId || !owned.has(action.secretId)) {
      problems.push({
        path: `${path}actions.${index}.secret`,
        message: 'is required: secretId names no secret of this rule (secrets are never exported: enter it again)',
      });
    }
    return { type: 'call_webhook', url: action.url, secretId: action.secretId };
  });
  if (problems.length > 0) throw badRequest('invalid_input', 'The rule cannot be saved as it is.', problems);
  return {
    actions: stored,
    async seal(writer) {
      for (const { id, plaintext } of newSecrets) await storeWebhookSecret(writer, webhooks.box, ruleId, plaintext, id);
    },
  };
}

/** The secret ids a stored action list names (the rule's secrets to keep). */
const secretIdsOf = (actions: readonly Action[]) => actions.flatMap((action) => (action.type === 'call_webhook' && action.secretId ? [action.secretId] : []));

async function insertRule(
  tx: Tx,
  editorId: string,
  definition: RuleDefinition,
  position: number,
  webhooks: RuleWebhookOptions,
  path?: string,
): Promise<AutomationRule> {
  const id = randomUUID();
  const planned = await planActions(tx, id, definition.actions, webhooks, { checkUrls: true, path });
  const stored = { ...definition, actions: planned.actions };
  const row = await tx.automationRule.create({
    data: { id, ...definitionData(stored), position, version: 1, versions: { create: { version: 1, ...definitionData(stored), editorId } } },
  });
  await planned.seal(tx);
  return row;
}

const audit = (tx: Tx, type: EventType, adminId: string, payload: Record<string, unknown>) =>
  appendEventOfAnyType(tx, { type, actorKind: 'agent', actorId: adminId, internal: true, payload });

export async function listRules(db: Db): Promise<RuleView[]> {
  return (await db.automationRule.findMany({ orderBy: ruleOrder })).map(toRuleView);
}

export async function readRule(db: Db, id: string) {
  const row = await db.automationRule.findUnique({ where: { id }, include: { versions: { orderBy: { version: 'desc' } } } });
  if (!row) throw notFound('Rule');
  const { versions, ...rule } = row;
  return { rule: toRuleView(rule), versions: versions.map(toRuleVersionView) };
}

/** A new rule at the end of the list, version 1. */
export async function createRule(db: Db, adminId: string, definition: RuleDefinition, webhooks: RuleWebhookOptions): Promise<RuleView> {
  return db.$transaction(async (tx) => {
    await lockRuleList(tx);
    const rule = toRuleView(await insertRule(tx, adminId, definition, await nextPosition(tx), webhooks));
    await audit(tx, 'rule.created', adminId, { before: null, after: rule });
    return rule;
  });
}

export type RulePatch = Partial<RuleDefinition>;

/**
 * Applies the change as a new version (switching a rule on or off is a change too). The merged
 * rule is checked as a whole, so a patch cannot make a stored rule inconsistent (a message
 * trigger on a ticket-only rule). Webhooks keep their secret by `secretId` (what the views show);
 * a webhook sent with a `secret` gets a new one, and secrets no action names any more are deleted.
 * Webhook URLs are checked against the outbound guard only when the patch sends actions, so a
 * rule can always be switched off.
 */
export async function updateRule(db: Db, adminId: string, id: string, patch: RulePatch, webhooks: RuleWebhookOptions): Promise<RuleView> {
  return db.$transaction(async (tx) => {
    // Lock the row: two admins editing at once get consecutive versions, each merged over the other.
    await lockRowOrNotFound(tx, 'AutomationRule', id, 'Rule');
    const current = await tx.automationRule.findUniqueOrThrow({ where: { id } });
    const merged = ruleDefinitionSchema.safeParse({ ...storedDefinition(current), ...patch });
    if (!merged.success) {
      throw badRequest(
        'invalid_input',
        'The rule would not be valid with this change.',
        merged.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      );
    }
    const planned = await planActions(tx, id, merged.data.actions, webhooks, { checkUrls: patch.actions !== undefined });
    const stored = { ...merged.data, actions: planned.actions };
    const row = await tx.automationRule.update({ where: { id }, data: { ...definitionData(stored), version: { increment: 1 } } });
    await tx.automationRuleVersion.create({ data: { ruleId: id, version: row.version, ...definitionData(stored), editorId: adminId } });
    await planned.seal(tx);
    await pruneWebhookSecrets(tx, id, secretIdsOf(planned.actions));
    const before = toRuleView(current);
    const after = toRuleView(row);
    await audit(tx, 'rule.updated', adminId, { before, after, changed: Object.keys(patch) });
    return after;
  });
}

/** Deletes the rule with its versions, executions and secrets; the audit event keeps what it was (without secrets). */
export async function deleteRule(db: Db, adminId: string, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await lockRuleList(tx);
    const current = await tx.automationRule.findUnique({ where: { id } });
    if (!current) throw notFound('Rule');
    await tx.automationRule.delete({ where: { id } });
    await audit(tx, 'rule.deleted', adminId, { before: toRuleView(current), after: null });
  });
}

/** Gives the rules the order of `ids`, which must name every rule exactly once. */
export async function reorderRules(db: Db, adminId: string, ids: readonly string[]): Promise<RuleView[]> {
  return db.$transaction(async (tx) => {
    await lockRuleList(tx);
    const rows = await tx.automationRule.findMany({ orderBy: ruleOrder, select: { id: true, position: true } });
    const known = new Set(rows.map((row) => row.id));
    const given = new Set(ids);
    const missing = rows.filter((row) => !given.has(row.id)).map((row) => row.id);
    const unknown = ids.filter((id) => !known.has(id));
    if (missing.length > 0 || unknown.length > 0) {
      throw badRequest('reorder_mismatch', 'Send every rule id exactly once, in the new order.', { missing, unknown });
    }
    const positionOf = new Map(rows.map((row) => [row.id, row.position]));
    for (const [position, id] of ids.entries()) {
      if (positionOf.get(id) !== position) await tx.automationRule.update({ where: { id }, data: { position } });
    }
    await audit(tx, 'rule.reordered', adminId, { before: rows.map((row) => row.id), after: [...ids] });
    return (await tx.automationRule.findMany({ orderBy: ruleOrder })).map(toRuleView);
  });
}

/**
 * Every rule's definition, in evaluation order (webhooks without their secrets). A bulk read of
 * the automation set up: recorded as `rule.exported` `{ count, ruleIds }` in the audit log.
 */
export async function exportRules(db: Db, adminId: string) {
  return db.$transaction(async (tx) => {
    const rows = await tx.automationRule.findMany({ orderBy: ruleOrder });
    await audit(tx, 'rule.exported', adminId, { before: null, after: null, count: rows.length, ruleIds: rows.map((row) => row.id) });
    return rows.map(toDefinition);
  });
}

/**
 * Adds the rules after the existing ones, in the given order; all of them or none. Each webhook
 * needs its `secret` (an export never carries one); paths like `rules.1.actions.0.secret`.
 */
export async function importRules(db: Db, adminId: string, definitions: readonly RuleDefinition[], webhooks: RuleWebhookOptions): Promise<RuleView[]> {
  return db.$transaction(async (tx) => {
    await lockRuleList(tx);
    const start = await nextPosition(tx);
    const rules: RuleView[] = [];
    for (const [index, definition] of definitions.entries())
      rules.push(toRuleView(await insertRule(tx, adminId, definition, start + index, webhooks, `rules.${index}.`)));
    await audit(tx, 'rule.imported', adminId, { before: null, after: rules });
    return rules;
  });
}

export async function listExecutions(db: Db, ruleId: string, limit: number) {
  const rule = await db.automationRule.findUnique({ where: { id: ruleId }, select: { id: true } });
  if (!rule) throw notFound('Rule');
  const rows = await db.ruleExecution.findMany({ where: { ruleId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
  const idsOf = (key: 'conversationId' | 'ticketId') => [...new Set(rows.map((row) => row[key]).filter((id) => id !== null))];
  const [conversations, tickets] = await Promise.all([
    db.conversation.findMany({ where: { id: { in: idsOf('conversationId') } }, select: { id: true, number: true } }),
    db.ticket.findMany({ where: { id: { in: idsOf('ticketId') } }, select: { id: true, number: true } }),
  ]);
  const conversationNumbers = new Map(conversations.map((row) => [row.id, row.number]));
  const ticketNumbers = new Map(tickets.map((row) => [row.id, row.number]));
  return rows.map((row) =>
    toExecutionView(row, {
      conversationNumber: conversationNumbers.get(row.conversationId ?? '') ?? null,
      ticketNumber: ticketNumbers.get(row.ticketId ?? '') ?? null,
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Dry-run

/** Subjects of each kind replayed at most (the most recently active). */
export const dryRunSubjectLimit = 1000;
/** Matches returned at most; the counts still cover all of them. */
export const dryRunMatchLimit = 1000;
/** Subjects whose events are read in one query. */
const dryRunBatch = 100;

type DryRunSubjectResult = DryRunResultView['results'][number];

const attributesOf = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

const recorded = (row: { id: bigint; type: string; occurredAt: Date; payload: unknown }): RecordedEvent => ({
  id: String(row.id),
  type: row.type,
  occurredAt: row.occurredAt.toISOString(),
  payload: attributesOf(row.payload),
});

/** Team calendars by team id; hours that no longer parse count as none (24/7), as for SLAs. */
async function teamCalendars(db: Db): Promise<Record<string, BusinessCalendar | null>> {
  const teams = await db.team.findMany({ include: { businessHours: true } });
  const calendars: Record<string, BusinessCalendar | null> = {};
  for (const team of teams) {
    const hours = team.businessHours;
    try {
      calendars[team.id] = hours ? parseBusinessCalendar({ timeZone: hours.timeZone, weekly: hours.weekly, holidays: hours.holidays }) : null;
    } catch {
      calendars[team.id] = null;
    }
  }
  return calendars;
}

type Customer = { vip: boolean; locale: string | null; attributes: unknown };
const customerFacts = (customer: Customer, language: string | null): RuleFacts['customer'] => ({
  vip: customer.vip,
  language: language ?? customer.locale,
  attributes: attributesOf(customer.attributes),
});

/** Rows grouped by a key, each group in the rows' order. */
function groupBy<T>(rows: readonly T[], key: (row: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const value = key(row);
    if (value === null) continue;
    const group = groups.get(value);
    if (group) group.push(row);
    else groups.set(value, [row]);
  }
  return groups;
}

const chunks = <T>(items: readonly T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));

/**
 * Which conversations and tickets the rule would have matched over the last `days` days, at
 * which event, with which actions: the recorded events are replayed through the matcher
 * (domain/rules/replay.ts). It reads every team's history, so it is audited as `rule.dry_run`
 * `{ days, rule: { name, scope, trigger }, scanned, matched }` once it has run; the actions it
 * lists leave webhook secrets out.
 */
export async function dryRunRule(db: Db, adminId: string, definition: RuleDefinition, days: number, now = new Date()): Promise<DryRunResultView> {
  const result = await replayOverHistory(db, definition, days, now);
  await db.$transaction((tx) =>
    audit(tx, 'rule.dry_run', adminId, {
      before: null,
      after: null,
      days,
      rule: { name: definition.name, scope: definition.scope, trigger: definition.trigger },
      scanned: result.scanned,
      matched: result.matched,
    }),
  );
  return result;
}

async function replayOverHistory(db: Db, definition: RuleDefinition, days: number, now: Date): Promise<DryRunResultView> {
  const to = now;
  const from = new Date(now.getTime() - days * 86_400_000);
  const rule = { id: 'dry-run', version: 0, position: 0, ...definition, actions: definition.actions.map(withoutSecret) };
  const calendars = await teamCalendars(db);
  const results: DryRunSubjectResult[] = [];
  const scanned = { conversations: 0, tickets: 0, events: 0 };
  let truncated = false;

  const activeIds = async (key: 'conversationId' | 'ticketId') => {
    const where: Prisma.EventWhereInput = {
      occurredAt: { gte: from, lte: to },
      ...(key === 'conversationId' ? { conversationId: { not: null }, ticketId: null } : { ticketId: { not: null } }),
    };
    const groups = await db.event.groupBy({ by: [key], where, _max: { id: true }, orderBy: { _max: { id: 'desc' } }, take: dryRunSubjectLimit + 1 });
    if (groups.length > dryRunSubjectLimit) truncated = true;
    return groups
      .slice(0, dryRunSubjectLimit)
      .map((group) => group[key])
      .filter((id): id is string => id !== null);
  };

  if (definition.scope !== 'ticket') {
    for (const ids of chunks(await activeIds('conversationId'), dryRunBatch)) {
      const [conversations, events] = await Promise.all([
        db.conversation.findMany({
          where: { id: { in: ids } },
          include: { channel: { select: { kind: true } }, customer: { select: { vip: true, locale: true, attributes: true } } },
        }),
        db.event.findMany({
          where: { conversationId: { in: ids }, ticketId: null, occurredAt: { lte: to } },
          orderBy: { id: 'asc' },
          select: { id: true, type: true, occurredAt: true, payload: true, conversationId: true },
        }),
      ]);
      scanned.conversations += conversations.length;
      scanned.events += events.length;
      const eventsOf = groupBy(events, (event) => event.conversationId);
      for (const conversation of conversations) {
        const matches = replayRule(
          rule,
          {
            subject: 'conversation',
            id: conversation.id,
            channel: conversation.channel.kind,
            tags: conversation.tags,
            customer: customerFacts(conversation.customer, conversation.language),
            calendars,
            events: (eventsOf.get(conversation.id) ?? []).map(recorded),
          },
          { from, to },
        );
        if (matches.length > 0) results.push({ subject: 'conversation', id: conversation.id, number: conversation.number, matches });
      }
    }
  }

  if (definition.scope !== 'conversation') {
    for (const ids of chunks(await activeIds('ticketId'), dryRunBatch)) {
      const [tickets, events] = await Promise.all([
        db.ticket.findMany({
          where: { id: { in: ids } },
          include: {
            customer: { select: { vip: true, locale: true, attributes: true } },
            conversations: {
              orderBy: { createdAt: 'asc' },
              take: 1,
              select: { conversation: { select: { language: true, channel: { select: { kind: true } } } } },
            },
          },
        }),
        db.event.findMany({
          where: { ticketId: { in: ids }, occurredAt: { lte: to } },
          orderBy: { id: 'asc' },
          select: { id: true, type: true, occurredAt: true, payload: true, ticketId: true },
        }),
      ]);
      scanned.tickets += tickets.length;
      scanned.events += events.length;
      const eventsOf = groupBy(events, (event) => event.ticketId);
      for (const ticket of tickets) {
        const linked = ticket.conversations[0]?.conversation ?? null;
        const matches = replayRule(
          rule,
          {
            subject: 'ticket',
            id: ticket.id,
            channel: linked?.channel.kind ?? null,
            tags: ticket.tags,
            customer: customerFacts(ticket.customer, linked?.language ?? null),
            calendars,
            events: (eventsOf.get(ticket.id) ?? []).map(recorded),
          },
          { from, to },
        );
        if (matches.length > 0) results.push({ subject: 'ticket', id: ticket.id, number: ticket.number, matches });
      }
    }
  }

  results.sort((a, b) => a.matches[0]!.at.localeCompare(b.matches[0]!.at) || a.id.localeCompare(b.id));
  const matchCount = results.reduce((sum, result) => sum + result.matches.length, 0);
  let budget = dryRunMatchLimit;
  const returned: DryRunSubjectResult[] = [];
  for (const result of results) {
    if (budget <= 0) break;
    returned.push(result.matches.length > budget ? { ...result, matches: result.matches.slice(0, budget) } : result);
    budget -= result.matches.length;
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    scanned,
    matched: {
      conversations: results.filter((result) => result.subject === 'conversation').length,
      tickets: results.filter((result) => result.subject === 'ticket').length,
      matches: matchCount,
    },
    truncated: truncated || matchCount > dryRunMatchLimit,
    results: returned,
  };
}
