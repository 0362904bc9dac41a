// What an erasure leaves of a JSON value that held a contact's data (an event's payload, a
// message's metadata, a rule execution's outcomes): the same shape — so readers such as the
// console's journey still find the fields they switch on — with every string emptied except the
// few that cannot be personal. Fail closed: a string is kept only when its key names a structural
// field (an id, a time, a state) AND its value looks like one (a UUID, an ISO time, a short
// lowercase token); anything else, under any key old or new, becomes "". Numbers, booleans and
// nulls are kept (counts, confidences, flags).

/** Keys whose values are states and kinds (enum-like tokens), kept when they look like tokens. */
const tokenKeys = new Set([
  'type',
  'kind',
  'status',
  'priority',
  'tier',
  'authorKind',
  'actorKind',
  'uploaderKind',
  'waitingOn',
  'slaState',
  'metric',
  'action',
  'scope',
  'provider',
  'trigger',
  'language',
  'locale',
  'sentiment',
  'intent',
  'outcome',
  'via',
  'channelKind',
  'from',
  'to',
]);

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const workflowId = /^[a-z][a-z-]*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isoTime = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** A state or kind: lowercase letters, digits and `_`, `-`, `.` — no space, no `@`, no capital. */
const token = /^[a-z][a-z0-9_.-]{0,39}$/;

/** Whether the key names an id (`id`, `customerId`, `ruleIds`, `operation`…) or a time (`createdAt`, `until`, `dueAt`). */
const idKey = (key: string) => key === 'id' || /Ids?$/.test(key) || key === 'operation';
const timeKey = (key: string) => /At$/.test(key) || key === 'at' || key === 'until' || key === 'pendingSince';

function keepString(key: string | null, value: string): boolean {
  if (key === null) return false;
  // A database id, or a workflow id made of one (`conversation-<uuid>`).
  if (idKey(key)) return uuid.test(value) || workflowId.test(value);
  if (timeKey(key)) return isoTime.test(value);
  if (tokenKeys.has(key)) return token.test(value);
  return false;
}

/**
 * The value with its personal strings emptied (see the file's comment). `key` is the field the
 * value sits under (array items inherit their array's key: `ruleIds: [...]` keeps ids).
 */
export function redactJson(value: unknown, key: string | null = null): unknown {
  if (typeof value === 'string') return keepString(key, value) ? value : '';
  if (Array.isArray(value)) return value.map((item) => redactJson(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, child]) => [name, redactJson(child, name)]));
  }
  return value;
}
