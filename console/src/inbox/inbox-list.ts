// The inbox as a pure reducer. One state holds every conversation the agent can see (a REST
// snapshot, one request per status) and each realtime event is folded into it; the views
// (mine, unassigned, my team, …) and their counts are derived from that state, so a switch of
// view needs no request and every count moves with every event. Applying the same event twice
// gives the same state, so a replay after a reconnect is harmless even if the cursor let one through.
import { messagePreview } from '../../../contract/message-preview';
import { unreadCountCap, type MessagePreview } from '../../../contract/views';
import type { EventView } from '../../../domain/events';
import { eventTypes } from '../../../domain/events';
import type { ConversationStatus, UserRole } from '../../../domain/vocabulary';
import { canSee } from '../../../domain/visibility';
import type { Translate } from '../i18n/create-i18n';
import { isConversationView, isMessageView, type ConversationView, type MessageView } from '../shared/wire-types';
import { isAtRisk, metricsMetBy, metricsResetBy, slaEventOf, slaStatusOf, trackSlaEvent, withoutMetrics, type SlaTrack } from './sla';

export const inboxViews = ['mine', 'unassigned', 'team', 'all', 'snoozed', 'resolved', 'sla'] as const;
export type InboxView = (typeof inboxViews)[number];

export function isInboxView(value: unknown): value is InboxView {
  return typeof value === 'string' && (inboxViews as readonly string[]).includes(value);
}

/** Conversations being worked on: the bot's, the queue's and the agents'. */
const activeStatuses: readonly ConversationStatus[] = ['bot', 'queued', 'open'];

/**
 * The statuses the snapshot fetches, one GET /api/conversations?status= each (the API filters by
 * one status at a time and has no team or SLA filter). Closed conversations are in no view.
 */
export const snapshotStatuses = ['bot', 'queued', 'open', 'snoozed', 'resolved'] as const satisfies readonly ConversationStatus[];
export type SnapshotStatus = (typeof snapshotStatuses)[number];

/** Rows the console asks GET /api/conversations for at a time: the first screen, then each scroll's page. */
export const listPageSize = 50;

/** Which statuses each view is made of: where its next rows come from when it is scrolled down. */
const statusesOf: Record<InboxView, readonly SnapshotStatus[]> = {
  mine: ['bot', 'queued', 'open'],
  unassigned: ['bot', 'queued', 'open'],
  team: ['bot', 'queued', 'open'],
  all: ['bot', 'queued', 'open'],
  snoozed: ['snoozed'],
  resolved: ['resolved'],
  sla: ['bot', 'queued', 'open', 'snoozed'],
};

/** One page of GET /api/conversations: its rows and the cursor of the next (null: no more). */
export interface ConversationPageOf {
  conversations: readonly ConversationView[];
  nextCursor: string | null;
}

/** The signed-in agent: what "mine" and "my team" mean, and what they may see. */
export interface InboxViewer {
  userId: string;
  teamId: string | null;
  role: UserRole;
}

export interface InboxState {
  conversations: Readonly<Record<string, ConversationView>>;
  /** SLA warnings and breaches seen live, by conversation (see sla.ts). */
  sla: Readonly<Record<string, SlaTrack>>;
  /** The next page of each status that has more than the list holds (infinite scroll). */
  cursors: Readonly<Partial<Record<SnapshotStatus, string>>>;
}

export const emptyInbox: InboxState = { conversations: {}, sla: {}, cursors: {} };

/** The statuses of a view that have more pages to load, each with its cursor. */
export function morePagesOf(state: InboxState, view: InboxView): [SnapshotStatus, string][] {
  return statusesOf[view].flatMap((status) => {
    const cursor = state.cursors[status];
    return cursor ? [[status, cursor] as [SnapshotStatus, string]] : [];
  });
}

/** Whether a conversation belongs in a view. */
export function inView(conversation: ConversationView, view: InboxView, viewer: InboxViewer, sla: SlaTrack | undefined): boolean {
  const active = activeStatuses.includes(conversation.status);
  switch (view) {
    case 'mine':
      return active && conversation.assigneeId === viewer.userId;
    case 'unassigned':
      return active && conversation.assigneeId === null;
    case 'team':
      return active && viewer.teamId !== null && conversation.teamId === viewer.teamId;
    case 'all':
      return active;
    case 'snoozed':
      return conversation.status === 'snoozed';
    case 'resolved':
      return conversation.status === 'resolved';
    case 'sla':
      return (active || conversation.status === 'snoozed') && isAtRisk(slaStatusOf(conversation, sla));
  }
}

function activityAt(conversation: ConversationView): string {
  return conversation.lastMessageAt ?? conversation.createdAt;
}

/** Most recent activity first; ties broken by number so the order is stable. */
export function sortInbox(list: readonly ConversationView[]): ConversationView[] {
  return [...list].sort((a, b) => {
    const x = activityAt(a);
    const y = activityAt(b);
    if (x !== y) return x < y ? 1 : -1;
    return b.number - a.number;
  });
}

export function viewList(state: InboxState, view: InboxView, viewer: InboxViewer): ConversationView[] {
  return sortInbox(Object.values(state.conversations).filter((c) => inView(c, view, viewer, state.sla[c.id])));
}

export interface ViewCount {
  count: number;
  /** A status this view is made of has pages not loaded yet: show "50+". */
  more: boolean;
}

export function viewCounts(state: InboxState, viewer: InboxViewer): Record<InboxView, ViewCount> {
  const counts = Object.fromEntries(inboxViews.map((view) => [view, { count: 0, more: morePagesOf(state, view).length > 0 }])) as Record<InboxView, ViewCount>;
  for (const conversation of Object.values(state.conversations)) {
    for (const view of inboxViews) if (inView(conversation, view, viewer, state.sla[conversation.id])) counts[view].count += 1;
  }
  return counts;
}

/**
 * A fresh snapshot (the first page of each status) replaces the conversations; SLA tracks of
 * conversations still present are kept (the snapshot does not carry them).
 */
export function replaceSnapshot(state: InboxState, pages: Partial<Record<SnapshotStatus, ConversationPageOf>>): InboxState {
  const conversations: Record<string, ConversationView> = {};
  const cursors: Partial<Record<SnapshotStatus, string>> = {};
  for (const status of snapshotStatuses) {
    const page = pages[status];
    if (page?.nextCursor) cursors[status] = page.nextCursor;
    for (const conversation of page?.conversations ?? []) conversations[conversation.id] = conversation;
  }
  const sla = Object.fromEntries(Object.entries(state.sla).filter(([id]) => id in conversations));
  return { conversations, sla, cursors };
}

/**
 * A further page of one status, scrolled to: its rows join the list; a row the list has already
 * stays as it is (live events have kept it newer than the page).
 */
export function appendPage(state: InboxState, status: SnapshotStatus, page: ConversationPageOf): InboxState {
  const conversations = { ...state.conversations };
  for (const conversation of page.conversations) conversations[conversation.id] ??= conversation;
  const cursors = { ...state.cursors };
  if (page.nextCursor) cursors[status] = page.nextCursor;
  else delete cursors[status];
  return { ...state, conversations, cursors };
}

/** Inserts or replaces one conversation, or drops it once the agent may no longer see it. */
export function upsertConversation(state: InboxState, conversation: ConversationView, viewer: InboxViewer, eventType = ''): InboxState {
  const visible = canSee(
    { kind: 'user', userId: viewer.userId, role: viewer.role, teamId: viewer.teamId },
    {
      customerId: conversation.customerId,
      teamId: conversation.teamId,
      assigneeId: conversation.assigneeId,
      internal: false,
    },
  );
  const conversations = { ...state.conversations };
  // A conversation event's view has no preview, unread count or waiting time (only the list sends them): the row keeps its own.
  const known = state.conversations[conversation.id];
  if (visible) conversations[conversation.id] = known ? withListFields(conversation, known) : conversation;
  else delete conversations[conversation.id];
  const track = withoutMetrics(state.sla[conversation.id], metricsResetBy(eventType, conversation));
  return { ...state, conversations, sla: withTrack(state.sla, conversation.id, track) };
}

/** The fields only GET /api/conversations sends, kept from the row the list has when a view lacks them. */
function withListFields(conversation: ConversationView, known: ConversationView): ConversationView {
  const merged = { ...conversation };
  if (merged.lastMessage === undefined) merged.lastMessage = known.lastMessage;
  if (merged.unreadCount === undefined && known.unreadCount !== undefined) merged.unreadCount = known.unreadCount;
  if (merged.waitingSince === undefined) merged.waitingSince = known.waitingSince;
  return merged;
}

/**
 * The agent has read the conversation (opened it, or it is open as a message comes): its row's
 * unread count is 0 (the console tells the server, POST /api/conversations/:id/read).
 */
export function markRead(state: InboxState, conversationId: string): InboxState {
  const row = state.conversations[conversationId];
  if (!row || row.unreadCount === 0) return state;
  return { ...state, conversations: { ...state.conversations, [conversationId]: { ...row, unreadCount: 0 } } };
}

/**
 * A new message's effect on its row's unread count and waiting time, as the server computes them
 * (api/finders/conversation-finder.ts, readingStates): a customer's message is one more unread and
 * starts the clock if none runs; an agent's public reply stops it. A message the row already
 * reflects (alreadyApplied) changes nothing, so the same event applied twice counts once.
 */
function readingAfter(row: ConversationView, message: MessageView, preview: MessagePreview): Pick<ConversationView, 'unreadCount' | 'waitingSince'> {
  if (alreadyApplied(row, preview)) return { unreadCount: row.unreadCount, waitingSince: row.waitingSince };
  if (message.authorKind === 'customer') {
    return { unreadCount: Math.min((row.unreadCount ?? 0) + 1, unreadCountCap), waitingSince: row.waitingSince ?? message.createdAt };
  }
  if (message.authorKind === 'agent' && !message.private) return { unreadCount: row.unreadCount, waitingSince: null };
  return { unreadCount: row.unreadCount, waitingSince: row.waitingSince };
}

/**
 * Whether the row already reflects this message: its preview is of this message (the same event
 * again, or a snapshot that included it) or of a later one. A row brought by a conversation event
 * has no preview, so the message that follows it counts even when it bears the conversation's own time.
 */
function alreadyApplied(row: ConversationView, preview: MessagePreview): boolean {
  const last = row.lastMessage;
  if (!last) return false;
  if (last.createdAt !== preview.createdAt) return last.createdAt > preview.createdAt;
  return last.authorKind === preview.authorKind && last.private === preview.private && last.text === preview.text && last.files === preview.files;
}

/** Every unread message of the conversations assigned to the agent (the tab title's count). */
export function unreadOfMine(state: InboxState, viewer: InboxViewer): number {
  let total = 0;
  for (const row of Object.values(state.conversations)) if (inView(row, 'mine', viewer, state.sla[row.id])) total += row.unreadCount ?? 0;
  return total;
}

function withTrack(sla: InboxState['sla'], id: string, track: SlaTrack | undefined): InboxState['sla'] {
  if (sla[id] === track) return sla;
  const next = { ...sla };
  if (track) next[id] = track;
  else delete next[id];
  return next;
}

/** Folds one realtime event into the inbox; returns the same state when the event does not touch it. */
export function applyEventToInbox(state: InboxState, event: EventView, viewer: InboxViewer): InboxState {
  if (event.type === eventTypes.messageCreated) {
    const message = event.payload.message;
    if (!isMessageView(message)) return state;
    const row = state.conversations[message.conversationId];
    if (!row) return state; // its conversation event brings the row
    let next = state;
    const track = withoutMetrics(state.sla[row.id], metricsMetBy(message));
    if (track !== state.sla[row.id]) next = { ...next, sla: withTrack(state.sla, row.id, track) };
    // Like the server (which counts notes too); a late, older message never moves the time back,
    // nor the preview (a message already previewed is not older than itself).
    if (row.lastMessageAt === null || row.lastMessageAt <= message.createdAt) {
      const lastMessage = messagePreview(message);
      const reading = readingAfter(row, message, lastMessage);
      next = { ...next, conversations: { ...next.conversations, [row.id]: { ...row, ...reading, lastMessageAt: message.createdAt, lastMessage } } };
    }
    return next;
  }

  if (event.type === 'customer.merged') return renameMergedCustomer(state, event.payload);

  let next = state;
  // Every conversation event (created, assigned, resolved, snoozed, sla.*, bot.*, …) carries the
  // conversation as it is after the change.
  const conversation = event.payload.conversation;
  if (isConversationView(conversation)) next = upsertConversation(next, conversation, viewer, event.type);

  const sla = slaEventOf(event);
  if (sla && sla.conversationId in next.conversations) {
    next = { ...next, sla: withTrack(next.sla, sla.conversationId, trackSlaEvent(next.sla[sla.conversationId], sla)) };
  }
  return next;
}

/**
 * A contact merged into another (`customer.merged`): the rows of either now name the survivor as
 * the merge left them (its conversations moved; an empty email may have been filled).
 */
function renameMergedCustomer(state: InboxState, payload: Record<string, unknown>): InboxState {
  const survivor = payload.survivor as { id?: unknown; name?: unknown; email?: unknown } | undefined;
  const merged = payload.merged as { id?: unknown } | undefined;
  if (!survivor || typeof survivor.id !== 'string' || typeof merged?.id !== 'string') return state;
  const ids = [merged.id, survivor.id];
  const customer = {
    id: survivor.id,
    name: typeof survivor.name === 'string' ? survivor.name : null,
    email: typeof survivor.email === 'string' ? survivor.email : null,
  };
  const renamed = Object.values(state.conversations).filter((row) => ids.includes(row.customerId));
  if (renamed.length === 0) return state;
  const conversations = { ...state.conversations };
  for (const row of renamed) conversations[row.id] = { ...row, customerId: survivor.id, customer: { ...row.customer, ...customer } };
  return { ...state, conversations };
}

/** The name to show for a conversation's customer; null when the visitor is anonymous. */
export function customerLabel(conversation: ConversationView): string | null {
  return conversation.customer?.name || conversation.customer?.email || null;
}

/** An anonymous visitor told apart by the start of their id ("Visitor 3f2a9c"). */
export const shortCustomerId = (customerId: string) => customerId.replace(/-/g, '').slice(0, 6);

/** An inbox row's one line about the last message: its words, else its file, else its mail's subject; null before any. */
export function previewLine(preview: MessagePreview | null | undefined, t: Translate): string | null {
  if (!preview) return null;
  const text =
    preview.text ||
    (preview.files > 1
      ? t('inbox.preview.files', { count: preview.files }, preview.files)
      : preview.fileName
        ? t('inbox.preview.file', { name: preview.fileName })
        : preview.emailSubject
          ? t('inbox.preview.email', { subject: preview.emailSubject })
          : '');
  if (!text) return null;
  if (preview.private) return t('inbox.preview.note', { text });
  return preview.authorKind === 'agent' || preview.authorKind === 'bot' ? t('inbox.preview.ours', { text }) : text;
}

/** Statuses in which a customer waits for a person: the row shows how long. */
const waitingStatuses: readonly ConversationStatus[] = ['queued', 'open'];

/** How long the customer has waited for an agent's answer (ms) at `now`; null when nobody waits (answered, bot, snoozed, resolved). */
export function waitingFor(conversation: ConversationView, now: Date): number | null {
  if (!conversation.waitingSince || !waitingStatuses.includes(conversation.status)) return null;
  return Math.max(0, now.getTime() - Date.parse(conversation.waitingSince));
}

/** The row's unread badge: the count, or "99+" at the server's cap; null when nothing is unread. */
export function unreadBadge(count: number | undefined): string | null {
  if (!count) return null;
  return count >= unreadCountCap ? `${unreadCountCap - 1}+` : String(count);
}
