// What the API needs from the outside world, built by main.ts (or a test) and passed down.
import type { Client } from '@temporalio/client';
import type { AiApi } from '../infra/ai/ai-api.js';
import type { Authenticate } from '../infra/auth/principal.js';
import type { Db } from '../infra/db.js';
import type { Mailer } from '../infra/email/mailer.js';
import type { ReportReader } from '../infra/read-replica.js';
import type { KnowledgeSearch } from '../infra/search/knowledge-search.js';
import type { AttachmentSettings } from './services/attachments.js';
import type { CallSettings } from './services/call-service.js';
import type { SecurityOverrides } from './security/security-options.js';
import type { WorkflowRelay } from './services/workflow-relay.js';
import type { Tracer } from '@opentelemetry/api';
import type { Logger } from '../infra/logging/logger.js';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** Signs visitor tokens; webhook secrets are sealed under a key derived from it (infra/secrets/). */
  secret: string;
  /** Internal hosts rule webhooks may call (OUTBOUND_ALLOWED_HOSTS, infra/outbound/); none when absent. */
  outboundAllowedHosts?: readonly string[];
  authenticate: Authenticate;
  log: (message: string, error?: unknown) => void;
  /** Knowledge search (infra/search/create-search.ts); PostgreSQL search over `db` when absent. */
  search?: KnowledgeSearch;
  /** The AI layer (infra/ai/create-ai.ts) for agent assist; the local fallback when absent. */
  ai?: AiApi;
  /** Where the reports read (DATABASE_READ_URL's replica, infra/read-replica.ts); the primary `db` when absent. */
  reports?: ReportReader;
  /** Keeps workflow starts and signals Temporal refused, and delivers them later (startApi makes one). */
  relay?: WorkflowRelay;
  /** Built console (console/dist) to serve, if any. */
  consoleDir?: string;
  /**
   * Inbound email (api/services/email/): the largest message accepted, the domain of our reply
   * addresses (MAIL_FROM's), and automatic answers per sender per hour until an admin sets the number.
   */
  inboundEmail?: { maxMessageBytes?: number; replyDomain?: string; autoAnswersPerHour?: number };
  /** The attachment store and the upload limit (api/services/attachments.ts); a temporary folder when absent (tests). */
  attachments?: AttachmentSettings;
  /** STUN/TURN servers for calls (api/services/call-service.ts); none when absent: host candidates only. */
  calls?: CallSettings;
  /**
   * Mail the API sends itself (invitations, reset links: api/services/team-members.ts); without
   * it, or without SMTP_URL, the admin is shown the link to pass on.
   */
  mailer?: Mailer;
  /** Rate limits, login lockout, PUBLIC_URL, proxy trust, clock (api/security/security-options.ts); defaults when absent. */
  security?: SecurityOverrides;
  /** Structured logs (infra/logging/): one line per answered request; none when absent (tests). */
  logger?: Logger;
  /** With tracing on (infra/tracing/): each request is a server span. */
  tracer?: Tracer;
  /** Whether live events reach this process's sockets now (startApi passes its realtime server's); readiness requires it when given. */
  eventStreamListening?: () => boolean;
}

/**
 * ApiDeps with the optional dependencies decided once, when the app is built (app.ts
 * resolveOptionalDeps): the routes never ask per request whether there is a search engine, an AI or a read replica.
 */
export type ResolvedApiDeps = ApiDeps & Required<Pick<ApiDeps, 'search' | 'ai' | 'reports'>>;
