// The JSON shapes the API sends (REST bodies and event payloads), as the console and the widget
// receive them: dates as ISO 8601 strings, absent values as null. The server's mappers
// (infra/views.ts, the services' `to…View`) are typed against these, so a field added or
// renamed on one side and not the other fails typecheck instead of drifting.
import type { OpeningInterval } from '../domain/business-hours.js';
import type { ReplayMatch } from '../domain/rules/replay.js';
import type { Condition, RuleScope, Trigger, Action } from '../domain/rules/rule-schema.js';
import type { EscalationStep } from '../domain/sla-plan.js';
import type {
  AgentTier,
  AuthorKind,
  ChannelKind,
  ConversationStatus,
  Presence,
  Priority,
  RoutingTier,
  SlaState,
  TicketStatus,
  UserRole,
  WaitingOn,
} from '../domain/vocabulary.js';

/** The customer a conversation or ticket names. */
export interface CustomerSummary {
  id: string;
  name: string | null;
  email: string | null;
  /**
   * Only while the address bounces: when mail to it last failed for good, and the report's status
   * code (e.g. "5.1.1"). Cleared when the customer writes in from it again (api/services/email/bounce.ts).
   */
  emailBounce?: { at: string; reason: string };
}

/** Whose a conversation or ticket is and who has it: the same fields on both views. */
export interface PeopleFields {
  assigneeId: string | null;
  assigneeName: string | null;
  teamId: string | null;
  customerId: string;
  customer: CustomerSummary;
}

export interface ConversationView extends PeopleFields {
  id: string;
  number: number;
  status: ConversationStatus;
  waitingOn: WaitingOn | null;
  priority: Priority;
  tier: RoutingTier;
  subject: string | null;
  /** The channel it came in by (web chat, email, API): the console's header names it. */
  channelKind: ChannelKind;
  lastMessageAt: string;
  resolvedAt: string | null;
  snoozedUntil: string | null;
  tags: string[];
  /** Written by the workflow as its clocks move: what the agent's SLA countdown shows. */
  slaState: SlaState;
  firstResponseDueAt: string | null;
  nextResponseDueAt: string | null;
  resolutionDueAt: string | null;
  createdAt: string;
  /** The last message as an inbox row previews it: only GET /api/conversations sends it (null before any message). */
  lastMessage?: MessagePreview | null;
  /**
   * GET /api/conversations, for a signed-in agent: the customer's messages since that agent last
   * read it (POST /api/conversations/:id/read), up to unreadCountCap.
   */
  unreadCount?: number;
  /** GET /api/conversations: when the customer's oldest message no agent has answered (publicly) was sent; null when none waits. */
  waitingSince?: string | null;
}

/**
 * POST /api/conversations/bulk answers `{ results }`, one per conversation in the order sent: the
 * conversation as the action left it, or why it was not changed (the status and error its single
 * route would have answered: 404 not_found for one the caller may not see, 409 invalid_transition…).
 */
export type BulkConversationOutcome =
  | { conversationId: string; ok: true; conversation: ConversationView }
  | { conversationId: string; ok: false; status: number; error: { code: string; message: string } };

/** The most unread messages a row counts ("99+" past it). */
export const unreadCountCap = 100;

/** A conversation's last message on one line (contract/message-preview.ts builds it). */
export interface MessagePreview {
  authorKind: AuthorKind;
  /** An agents' note. */
  private: boolean;
  /** Its words on one line, cut to 140 characters; '' for a message of files only. */
  text: string;
  /** How many files it carries, and the first one's name. */
  files: number;
  fileName: string | null;
  /** A mail's subject (a message that came by email). */
  emailSubject: string | null;
  createdAt: string;
}

/** An article a bot answer cites. */
export interface Citation {
  id: string;
  title: string;
  slug: string;
  locale: string;
}

/** One article a clarifying bot question offers, with the answer the bot gives when the customer chooses it. */
export type BotChoice = { id: string; title: string; slug: string; locale: string; answer: string };

/**
 * The mail a customer message came from (api/services/email/ingest-email.ts): its headers as
 * received; the sanitised original is GET /api/messages/:id/email (EmailOriginalView).
 */
export interface EmailMessageMetadata {
  inboundEmailId: string;
  subject: string;
  from: string;
  to: string[];
  cc: string[];
  /** An auto-reply, bounce or list mail: nothing answers it automatically. */
  automated: boolean;
  automatedReasons?: string[];
  /** Not automated, but its sender already had the hour's automatic answers: people answer it (api/services/email/auto-answer.ts). */
  autoAnswerWithheld?: 'sender_limit';
}

/**
 * Who wrote a mail that is not from the conversation's customer — a colleague they CC'd answering
 * in the thread: the message is stored as theirs (a customer record of their own, found or created
 * by address) and the console names them instead of the customer. Absent on the customer's own mail.
 */
export interface EmailSender {
  name: string | null;
  /** Lower-cased. */
  address: string;
}

/** A bounce of our mail (a delivery-status report), noted on the conversation of the message that bounced: a private note of the system. */
export interface EmailBounceMetadata {
  /** The addresses the report names as failed (lower-cased). */
  failedRecipients: string[];
  /** A 5.x.x failure (the address is marked as bouncing); false for a temporary one. */
  permanent: boolean;
  /** The report's status code, e.g. "5.1.1". */
  status: string | null;
  /** Our Message-ID that bounced, when the report quotes it. */
  originalMessageId: string | null;
}

/** What the product attaches to a message it writes; null for people's messages (an email's headers on a customer's). */
export type MessageMetadata =
  | {
      kind: 'bot_answer';
      confidence?: number;
      citations?: Citation[];
      /** The answer quotes part of a longer text: read more in the article. */ partial?: boolean;
      /** A clarifying question ("Do you mean A or B?"): the articles the customer may mean, each with its answer, shown when chosen. */
      choices?: BotChoice[];
    }
  | { kind: 'handoff_summary'; reason?: string; classification?: { tier?: string | null; language?: string | null; priority?: string | null } }
  | { kind?: undefined; email: EmailMessageMetadata; sender?: EmailSender }
  | { kind: 'email_bounce'; email: EmailMessageMetadata; bounce: EmailBounceMetadata };

/**
 * Where a message that leaves as mail stands (an agent's or the bot's public message in an email
 * conversation; workflows/email-delivery.ts): queued until the SMTP server takes it, then sent —
 * or failed ("not delivered") with the reason.
 */
export interface MessageDelivery {
  status: 'queued' | 'sent' | 'failed';
  /** Failed: why it was not delivered. Queued: the last transient failure while it is retried. */
  error?: string;
}

/**
 * A file sent with a message (api/services/attachments.ts): download it from
 * GET /api/attachments/:id (agents) or GET /api/widget/attachments/:id (the visitor).
 */
export interface MessageAttachmentView {
  id: string;
  /** The sender's file name, cleaned for display; never a path. */
  fileName: string;
  /** Sniffed from the bytes. */
  contentType: string;
  size: number;
  /** An email's inline image (referenced from its HTML by Content-ID). */
  inline: boolean;
}

export interface MessageView {
  id: string;
  conversationId: string;
  authorKind: AuthorKind;
  authorUserId: string | null;
  /** The agent's or the customer's name; null for the bot, the system and a nameless visitor. */
  authorName: string | null;
  body: string;
  private: boolean;
  metadata: MessageMetadata | null;
  createdAt: string;
  /** Only on messages with files, in the order they were added. */
  attachments?: MessageAttachmentView[];
  /** Only on messages that leave as mail. */
  delivery?: MessageDelivery;
}

/**
 * GET /api/conversations: one keyset page, newest activity first. `nextCursor` asks for the next
 * page (null: no more). A search by 1-2 characters scans a bounded stretch of the inbox per page,
 * so one of its pages may hold few rows, or none, and still have a next one.
 */
export interface ConversationPage {
  conversations: ConversationView[];
  nextCursor: string | null;
}

/** GET /api/conversations/:id/messages: the newest page first, each page oldest first; `nextCursor` asks for older ones. */
export interface MessagePage {
  messages: MessageView[];
  nextCursor: string | null;
}

/** A mail address as written in a header: the display name ('' when none) and the address. */
export interface EmailAddressView {
  name: string;
  address: string;
}

/**
 * GET /api/messages/:id/email: the original of a message that came by email, re-read from the
 * stored raw MIME. `html` is sanitised on the server (infra/email/inbound/email-html.ts): no
 * script, handler or javascript: link survives, and remote images carry `data-remote-src`
 * instead of `src` until the reader asks for them.
 */
export interface EmailOriginalView {
  messageId: string;
  conversationId: string;
  inboundEmailId: string;
  subject: string;
  from: EmailAddressView | null;
  to: EmailAddressView[];
  cc: EmailAddressView[];
  /** The Date header; null when missing or unreadable. */
  date: string | null;
  receivedAt: string;
  /** The whole sanitised HTML body; null when the mail had no HTML part. */
  html: string | null;
  /** The same without quoted history and signature; null when none was recognised (then show `html`). */
  htmlWithoutQuote: string | null;
  /** The plain text (the text part, else derived from the HTML). */
  text: string;
  /** The text without quoted history and signature; null when none was recognised. */
  textWithoutQuote: string | null;
  /** Remote images withheld in `html`. */
  remoteImages: number;
  /** The HTML was too long to sanitise whole: `html` is its beginning (the raw mail keeps all). */
  htmlTruncated: boolean;
  automated: boolean;
}

export interface TicketView extends PeopleFields {
  id: string;
  number: number;
  subject: string;
  description: string;
  status: TicketStatus;
  priority: Priority;
  tier: RoutingTier;
  slaState: SlaState;
  resolutionDueAt: string | null;
  solvedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A member of staff (GET /api/users, GET /api/auth/me): the routing profile included. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  tier: AgentTier;
  skills: string[];
  teamId: string | null;
  capacity: number;
  presence: Presence;
  locale: string;
  timeZone: string;
  /** False for a deactivated or deleted account: still named in history, never offered as a transfer, assignee or @mention. */
  active: boolean;
}

export interface TeamView {
  id: string;
  name: string;
  tier: AgentTier;
  leadId: string | null;
  lead: { id: string; name: string; email: string } | null;
  businessHoursId: string | null;
  businessHours: { id: string; name: string; timeZone: string } | null;
  /** The business hours' zone; null when the team keeps no hours. */
  timeZone: string | null;
  memberCount: number;
  createdAt: string;
}

export interface BusinessHoursView {
  id: string;
  name: string;
  timeZone: string;
  weekly: OpeningInterval[];
  holidays: string[];
  createdAt: string;
  /** Who uses the calendar; sent where the admin list asks for it. */
  usage?: { teams: number; slaPolicies: number };
}

export interface ChannelView {
  id: string;
  kind: ChannelKind;
  name: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  createdAt: string;
  /** An email channel's IMAP polling (PUT /api/channels/:id/imap), null until set. */
  imap: ImapSettingsView | null;
}

/** An enabled email channel an agent can write a first email from (GET /api/email-channels): no settings beyond its address. */
export interface EmailChannelChoice {
  id: string;
  name: string;
  /** The channel's address ('' when it has none: the mail then leaves from MAIL_FROM). */
  address: string;
}

/** An email channel's IMAP settings and health as admins see them: never the password. */
export interface ImapSettingsView {
  host: string;
  port: number;
  tls: 'tls' | 'starttls' | 'none';
  username: string;
  /** A password is stored (sealed); it is never sent back. Leave it out of a PUT to keep it. */
  passwordSet: true;
  mailbox: string;
  enabled: boolean;
  pollIntervalSeconds: number;
  /** The first import reads mail of the last this many days (0: only new mail). */
  importDays: number;
  health: ImapHealthView;
  updatedAt: string;
}

export interface ImapHealthView {
  /** off: polling disabled; pending: no poll finished yet; ok: the last poll read the mailbox; failing: the last attempt failed (lastError says why). */
  status: 'off' | 'pending' | 'ok' | 'failing';
  /** The last poll that read the mailbox to the end. */
  lastPolledAt: string | null;
  /** auth_failed, host_not_allowed, host_not_found, connect_failed, tls_failed, timeout, mailbox_not_found, protocol_error, pipeline_failed, message_too_large (a message refused for its size: the poll went on). */
  lastErrorCode: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface SlaPolicyView {
  id: string;
  name: string;
  priority: Priority;
  channelKind: ChannelKind | null;
  teamId: string | null;
  businessHoursId: string | null;
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  resolutionMinutes: number;
  warningPercent: number;
  escalation: EscalationStep[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CannedResponseView {
  id: string;
  shortcut: string;
  title: string;
  body: string;
  locale: string;
  teamId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ApiKeyView {
  id: string;
  name: string;
  /** The key's first characters, to tell keys apart (the key itself is shown once, at creation). */
  prefix: string;
  scopes: string[];
  createdById: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** One entry of GET /api/audit-events. */
export interface AuditEventView {
  id: string;
  type: string;
  occurredAt: string;
  /** 'agent' for a person (admins too); 'system' with an API key's id for an integration's edit. */
  actorKind: string;
  actorId: string | null;
  /** The person's name and email; null for an integration or a user deleted since. */
  actor: { id: string; name: string; email: string } | null;
  payload: unknown;
}

/** Where a colleague @mentioned the signed-in user (GET /api/me/mentions; the `conversation.mentioned` payload). */
export interface MentionView extends MentionPayload {
  id: string;
  conversationId: string;
  occurredAt: string;
}

/** What a `conversation.mentioned` event carries. */
export interface MentionPayload {
  mentionedUserId: string;
  messageId: string;
  by: { userId: string | null; name: string | null };
  excerpt: string;
  conversationNumber: number;
}

/** The locales articles are written in. */
export const articleLocales = ['en', 'zh-CN'] as const;
export type ArticleLocale = (typeof articleLocales)[number];
export const articleStatuses = ['draft', 'published'] as const;
export type ArticleStatus = (typeof articleStatuses)[number];

/** GET /api/knowledge/articles: an article without its body (also the knowledge events' `article`). */
export interface ArticleSummary {
  id: string;
  groupId: string;
  locale: ArticleLocale;
  slug: string;
  title: string;
  category: string;
  tags: string[];
  /** Example questions: how customers ask for the article. Searched, never shown in the help center. */
  questions: string[];
  status: ArticleStatus;
  version: number;
  authorId: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface ArticleView extends ArticleSummary {
  body: string;
}

/** One saved version (every write keeps one), newest first in GET /api/knowledge/articles/:id. */
export interface ArticleVersionView {
  version: number;
  title: string;
  body: string;
  questions: string[];
  editorId: string | null;
  createdAt: string;
}

/** A customer's question the bot answered with the article and they marked helpful, for an admin to add or dismiss. */
export interface SuggestedQuestionView {
  id: string;
  text: string;
  createdAt: string;
}

/** A knowledge-search hit (suggested articles, the widget's search). */
export interface ArticleHit {
  articleId: string;
  groupId: string;
  locale: string;
  slug: string;
  title: string;
  /** A short plain-text excerpt of the body around the first matching word. */
  snippet: string;
  /** Higher is better; comparable between the hits of one query only. */
  score: number;
}

/** A rule as POST /api/rules, PATCH, import and dry-run take it (docs/RULES.md). */
export interface RuleDefinitionView {
  name: string;
  enabled?: boolean;
  scope: RuleScope;
  trigger: Trigger;
  conditions: Condition;
  actions: Action[];
}

/** `rule` of GET /api/rules. Webhook actions name their secret by id, never the secret. */
export interface RuleView extends Required<RuleDefinitionView> {
  id: string;
  position: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** One entry of GET /api/rules/:id `versions`, newest first. */
export interface RuleVersionView extends Required<RuleDefinitionView> {
  version: number;
  editorId: string | null;
  createdAt: string;
}

export type RuleOutcomeStatus = 'done' | 'failed' | 'skipped' | 'pending';

/** One evaluation of a rule (GET /api/rules/:id/executions), newest first. */
export interface RuleExecutionView {
  id: string;
  ruleId: string;
  version: number;
  trigger: string;
  conversationId: string | null;
  /** The conversation's "#42" (null when there is none, or it was deleted since). */
  conversationNumber: number | null;
  ticketId: string | null;
  ticketNumber: number | null;
  matched: boolean;
  /** Each action's outcome, in the rule's order; `note` says why it was skipped or failed. */
  actions: { type: string; status: RuleOutcomeStatus; note?: string }[];
  depth: number;
  createdAt: string;
}

/** One match of a dry run: the event it matched on (or the last before a time trigger was due), when, and what the rule would do. */
export type DryRunMatch = ReplayMatch;

/** POST /api/rules/dry-run: the rule replayed over recent history; nothing is written. */
export interface DryRunResultView {
  from: string;
  to: string;
  scanned: { conversations: number; tickets: number; events: number };
  matched: { conversations: number; tickets: number; matches: number };
  /** More subjects were active than were replayed, or more matches found than returned. */
  truncated: boolean;
  results: { subject: 'conversation' | 'ticket'; id: string; number: number; matches: DryRunMatch[] }[];
}

/**
 * What a customer receives of a conversation (the widget's REST answers and events): its identity
 * and status, none of its routing. domain/event-audience.ts cuts the view down to these fields.
 */
export type CustomerConversationView = Pick<
  ConversationView,
  'id' | 'number' | 'status' | 'subject' | 'customerId' | 'assigneeName' | 'lastMessageAt' | 'resolvedAt' | 'createdAt'
>;

/** What a customer receives of a message: a bot answer keeps its citations (the widget links them), not its confidence. */
export type CustomerMessageView = Pick<
  MessageView,
  'id' | 'conversationId' | 'authorKind' | 'authorName' | 'body' | 'private' | 'createdAt' | 'attachments'
> & {
  metadata: { kind: 'bot_answer'; citations: Citation[]; partial?: boolean; choices?: BotChoice[] } | null;
};

/**
 * Where a customer's conversation stands while it waits for a person (GET
 * /api/widget/conversations/:id/queue): its place among the conversations of its tier waiting
 * longer (1 = next), and the wait that place means at the rate people were taken from that queue
 * in the last hour (null when nobody was: no estimate is better than a wrong one).
 */
export interface QueuePlaceView {
  waiting: boolean;
  position: number | null;
  expectedWaitMinutes: number | null;
}
