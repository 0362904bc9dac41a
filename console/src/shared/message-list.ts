// The messages of one conversation as the screen shows them. Messages arrive from three places
// that overlap — the REST history, the POST response and the WebSocket echo of that same
// message — so merging is keyed by message id and never duplicates.
import type { MessageView } from './wire-types';

/** What merging reads of a message: the agent's full view and the customer's cut-down one both have it. */
type Mergeable = Pick<MessageView, 'id' | 'body' | 'private' | 'createdAt' | 'authorName'>;

function byTime(a: Mergeable, b: Mergeable): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Returns the list with the incoming messages added (a known id is replaced by its newer copy),
 * in time order. Returns the same array when nothing changed, so callers can skip a re-render.
 */
export function mergeMessages<Message extends Mergeable>(list: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return list as Message[];
  const byId = new Map(list.map((m) => [m.id, m]));
  let changed = false;
  for (const message of incoming) {
    const known = byId.get(message.id);
    if (known && sameMessage(known, message)) continue;
    byId.set(message.id, message);
    changed = true;
  }
  if (!changed) return list as Message[];
  // ISO timestamps from one server sort correctly as strings.
  return [...byId.values()].sort(byTime);
}

/** Where a message that leaves as mail stands (`delivery.status`): a newer copy may say sent or not delivered. */
const deliveryStatus = (message: object) => (message as { delivery?: { status?: unknown } }).delivery?.status;

function sameMessage(a: Mergeable, b: Mergeable): boolean {
  return (
    a.body === b.body && a.private === b.private && a.createdAt === b.createdAt && a.authorName === b.authorName && deliveryStatus(a) === deliveryStatus(b)
  );
}

interface MessagePageOf<Message> {
  messages: Message[];
  nextCursor: string | null;
}

/**
 * A thread reloaded after being away (a reconnect): from its newest page, the older pages up to
 * one that holds a message already shown, so that when more than a page arrived meanwhile no
 * message between the two is missing. Returns the messages of the pages it read after the first.
 */
export async function pagesBackToShown<Message extends Pick<MessageView, 'id'>>(
  newest: MessagePageOf<Message>,
  shown: ReadonlySet<string>,
  older: (cursor: string) => Promise<MessagePageOf<Message>>,
): Promise<Message[]> {
  const read: Message[] = [];
  let page = newest;
  while (shown.size > 0 && page.nextCursor && !page.messages.some((message) => shown.has(message.id))) {
    page = await older(page.nextCursor);
    read.push(...page.messages);
  }
  return read;
}
