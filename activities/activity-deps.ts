// What the activity factory receives: the real dependencies in the worker, fakes in tests. Its
// own file, so every activity module can name it without importing another (no import cycles).
import type { Client } from '@temporalio/client';
import type { AiApi } from '../infra/ai/ai-api.js';
import type { AttachmentStore } from '../infra/attachments/attachment-store.js';
import type { Db, Tx } from '../infra/db.js';
import type { Mailer } from '../infra/email/mailer.js';
import type { KnowledgeSearch } from '../infra/search/knowledge-search.js';
import type { SecretBox } from '../infra/secrets/secret-box.js';
import type { MailboxDeps } from './mailbox-activities.js';
import type { OutboundEmailOptions } from './email-activities.js';
import type { WebhookDeliveryOptions } from './webhook-activities.js';
import type { AgentReplyPort } from '../domain/scheduled-messages.js';

export interface ActivityDeps {
  db: Db;
  /** For signalling other workflows (offering the queue, requeueing an absent agent's work). */
  temporal: Client;
  /** The AI layer: an OpenAI-compatible model or the local fallback (infra/ai/create-ai.ts). */
  ai: AiApi;
  /** Knowledge search (infra/search/create-search.ts). */
  search: KnowledgeSearch;
  /** Outgoing email (infra/email/mailer.ts). */
  mailer: Mailer;
  /** Opens rules' webhook secrets (infra/secrets/webhook-secrets.ts: webhookSecretBox of the server secret). */
  webhookSecrets: SecretBox;
  /** Internal hosts webhooks may call (OUTBOUND_ALLOWED_HOSTS); none when absent. */
  outboundAllowedHosts?: readonly string[];
  /** Agents' replies by email (activities/email-activities.ts); without it each is recorded "not delivered", saying why. */
  outboundEmail?: OutboundEmailOptions;
  /** The attachment store (infra/attachments/): the files a reply sends by mail are read from it. */
  attachments?: AttachmentStore;
  /** IMAP polling of email channels (activities/mailbox-activities.ts); without it a mailbox poll fails, saying so. */
  mailbox?: MailboxDeps;
  /** Outgoing webhook deliveries' back-off and auto-disable (activities/webhook-activities.ts); the production defaults when absent. */
  webhooks?: WebhookDeliveryOptions;
  /** The message path (the API's postMessage, as a port) scheduled messages are sent through; without it their send fails, saying so. */
  agentReplies?: AgentReplyPort<Tx>;
}
