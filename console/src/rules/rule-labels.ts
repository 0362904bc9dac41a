// The words the rule screens show for the format's values: fields, operators, triggers, actions
// and their options. The keys are built from the values, so rule-labels.test.ts checks that every
// value of every menu has its string in both tables.
import type { MessageKey } from '../i18n/messages-en';
import type { Translate } from '../i18n/create-i18n';
import type { ParamSpec } from './rule-draft';
import { intents, type OutcomeStatus } from './rule-types';

const key = (text: string) => text as MessageKey;

export const fieldLabel = (t: Translate, field: string) => t(key(`rules.field.${field.replace(/\./g, '_')}`));
export const opLabel = (t: Translate, op: string) => t(key(`rules.op.${op}`));
export const triggerLabel = (t: Translate, on: string) => t(key(`rules.trigger.kinds.${on}`));
export const anchorLabel = (t: Translate, anchor: string) => t(key(`rules.anchor.${anchor}`));
/** A time unit in the form for the amount beside it ("1 hour", "2 hours"); plural without one. */
export const unitLabel = (t: Translate, unit: string, amount?: number) => t(key(`rules.unit.${unit}`), {}, amount === 1 ? 1 : 2);
export const actionLabel = (t: Translate, type: string) => t(key(`rules.action.types.${type}`));
export const paramLabel = (t: Translate, name: string) => t(key(`rules.action.params.${name}`));
export const outcomeLabel = (t: Translate, status: OutcomeStatus) => t(key(`rules.executions.outcome.${status}`));

/** How far back a dry-run may replay, in days. */
export const dryRunDayChoices = [1, 7, 30, 90] as const;
/** "1 day", "7 days": the count picks the message's plural form. */
export const dryRunDaysLabel = (t: Translate, days: number) => t('rules.dryRun.daysOption', { days }, days);

/** Where an enum field's option is named. */
const valueTables: Record<string, string> = {
  channel: 'rules.value.channel',
  status: 'rules.value.status',
  priority: 'priority',
  tier: 'tier',
  'message.sentiment': 'rules.value.sentiment',
  'message.intent': 'topic',
};

/**
 * A classifier topic ('billing') or an agent skill in words; a skill that is no topic (any text
 * an admin typed) as it is.
 */
export const topicLabel = (t: Translate, name: string) => ((intents as readonly string[]).includes(name) ? t(key(`topic.${name}`)) : name);

export const valueLabel = (t: Translate, field: string, value: string) => (valueTables[field] ? t(key(`${valueTables[field]}.${value}`)) : value);

/** Where an action parameter's option is named. */
const paramTables: Record<string, string> = {
  priority: 'priority',
  tier: 'tier',
  status: 'rules.action.setStatus',
  to: 'rules.action.emailTo',
};

export const paramOptionLabel = (t: Translate, param: Pick<ParamSpec, 'name'>, value: string) =>
  paramTables[param.name] ? t(key(`${paramTables[param.name]}.${value}`)) : value;
