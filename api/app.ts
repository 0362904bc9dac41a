// The Express application: security headers, widget CORS and rate limits, JSON in and out,
// authentication, the routes, the built console.
import { isUtf8 } from 'node:buffer';
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import { createAi } from '../infra/ai/create-ai.js';
import { primaryReports } from '../infra/read-replica.js';
import { createPostgresSearch } from '../infra/search/postgres-search.js';
import { authenticateRequests } from './authentication.js';
import { rejectDeepBodies } from './body-depth.js';
import { rejectNulInBody, rejectNulInUrlAndHeaders } from './input-characters.js';
import { versionedPaths } from './api-version.js';
import { observeRequests } from './request-observation.js';
import { openApiRoutes } from './openapi/openapi-routes.js';
import { apiKeyRoutes } from './routes/api-key-routes.js';
import type { ApiDeps, ResolvedApiDeps } from './deps.js';
import { errorHandler, unknownApiRoute } from './error-handler.js';
import { assistRoutes } from './routes/assist-routes.js';
import { attachmentRoutes } from './routes/attachment-routes.js';
import { callRoutes } from './routes/call-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { businessHoursRoutes } from './routes/business-hours-routes.js';
import { cannedResponseRoutes } from './routes/canned-response-routes.js';
import { channelRoutes } from './routes/channel-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { conversationRoutes } from './routes/conversation-routes.js';
import { scheduledMessageRoutes } from './routes/scheduled-message-routes.js';
import { followUpRoutes } from './routes/follow-up-routes.js';
import { reminderRoutes } from './routes/reminder-routes.js';
import { explanationRoutes } from './routes/explanation-routes.js';
import { customerRoutes } from './routes/customer-routes.js';
import { dataRightsRoutes } from './routes/data-rights-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { helpCenterRoutes } from './routes/help-center-routes.js';
import { inboundEmailRoutes } from './routes/inbound-email-routes.js';
import { messageEmailRoutes } from './routes/message-email-routes.js';
import { knowledgeRoutes } from './routes/knowledge-routes.js';
import { meRoutes } from './routes/me-routes.js';
import { reportRoutes } from './routes/report-routes.js';
import { ruleRoutes } from './routes/rule-routes.js';
import { settingsRoutes } from './routes/settings-routes.js';
import { slaPolicyRoutes } from './routes/sla-policy-routes.js';
import { whatIfRoutes } from './routes/what-if-routes.js';
import { teamMemberRoutes } from './routes/team-member-routes.js';
import { teamRoutes } from './routes/team-routes.js';
import { searchRoutes } from './routes/search-routes.js';
import { ticketRoutes } from './routes/ticket-routes.js';
import { userRoutes } from './routes/user-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';
import { botActionRoutes } from './routes/bot-action-routes.js';
import { widgetRoutes } from './routes/widget-routes.js';
import { rateLimits } from './security/rate-limits.js';
import { securityHeaders } from './security/security-headers.js';
import { twoFactorGate } from './security/two-factor-gate.js';
import { resolveSecurity } from './security/security-options.js';
import { allowedOriginsFromChannels, widgetCors } from './security/widget-cors.js';
import { widgetFramePath, widgetFramePolicy, widgetLoaderPath, widgetLoaderPolicy } from './security/widget-framing.js';

/** Bodies larger than this are refused with 413 before they are parsed. */
export const maxBodyBytes = 64 * 1024;

/**
 * body-parser decodes invalid UTF-8 into U+FFFD without complaint, so a mangled body would be
 * stored changed: refuse it instead (400 invalid_utf8, error-handler.ts). Other charsets are
 * decoded by body-parser as declared.
 */
const requireValidUtf8 = (_req: unknown, _res: unknown, body: Buffer, encoding: string) => {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(body))
    throw Object.assign(new Error('The request body is not valid UTF-8.'), { status: 400, type: 'encoding.invalid_utf8' });
};

/**
 * The optional dependencies, decided once: PostgreSQL search when no search engine is configured,
 * the local AI fallback when no model endpoint is, the primary for reports when no read replica is.
 */
export function resolveOptionalDeps(deps: ApiDeps): ResolvedApiDeps {
  return { ...deps, search: deps.search ?? createPostgresSearch(deps.db), ai: deps.ai ?? createAi(), reports: deps.reports ?? primaryReports(deps.db) };
}

export function createApp(options: ApiDeps): Express {
  const deps = resolveOptionalDeps(options);
  const security = resolveSecurity(deps.security);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', security.trustProxy);
  // /api/v1/... is the same API as /api/... (api/README.md, "Versioning"): one version so far.
  app.use(versionedPaths());
  // First, so every answer counts, refusals included: the request's id, metrics (GET /metrics on
  // its own port: api/main.ts), its log line and, with tracing on, its span.
  app.use(observeRequests({ logger: deps.logger, tracer: deps.tracer }));
  app.use(securityHeaders(security.publicUrl));
  // Before any route: PostgreSQL cannot store U+0000 (input-characters.ts).
  app.use(rejectNulInUrlAndHeaders());

  // Liveness and readiness (GET /api/health, /api/health/ready): before CORS, body parsing,
  // authentication and rate limits, so probes are never refused or counted.
  app.use(healthRoutes(deps));
  // The OpenAPI document and its documentation page (api/openapi/): public, nothing to read or count.
  app.use(openApiRoutes());

  // Before the body is read: preflights end here, and refused origins get no CORS headers.
  const widgetOrigins = allowedOriginsFromChannels(deps.db, {
    publicUrl: security.publicUrl,
    ttlMs: security.allowedOriginsTtlMs,
    now: security.now,
    log: deps.log,
  });
  app.use('/api/widget', widgetCors(widgetOrigins));
  app.use(
    '/api',
    express.json({ limit: maxBodyBytes, strict: true, verify: requireValidUtf8 }),
    rejectDeepBodies(),
    rejectNulInBody(),
    authenticateRequests(deps.authenticate),
  );
  // After authentication: widget messages are limited per visitor, the rest per IP.
  app.use(rateLimits(security.rateLimits));
  // An admin the organisation requires two-factor sign-in of may only set it up until they have.
  app.use(twoFactorGate(deps.db));
  // The message routes first: a request walks every router mounted before its own, layer by layer
  // (the router was 8.5 % of the API's busy time under message load: bench/README.md), and none of those share a path
  // with these, so the order changes nothing else.
  app.use(widgetRoutes(deps), conversationRoutes(deps));
  app.use(knowledgeRoutes(deps));
  app.use(helpCenterRoutes(deps));
  app.use(
    authRoutes(deps),
    meRoutes(deps),
    explanationRoutes(deps),
    ticketRoutes(deps),
    searchRoutes(deps),
    customerRoutes(deps),
    dataRightsRoutes(deps),
    userRoutes(deps),
    settingsRoutes(deps),
    reportRoutes(deps),
    assistRoutes(deps),
    ruleRoutes(deps),
    messageEmailRoutes(deps),
    attachmentRoutes(deps),
    callRoutes(deps),
    scheduledMessageRoutes(deps),
    followUpRoutes(deps),
    reminderRoutes(deps),
  );
  app.use(apiKeyRoutes(deps));
  // Raw MIME from mail providers, authenticated by the channel's own secret (not a session).
  app.use(inboundEmailRoutes(deps));
  // The admin pages: teams, business hours, SLA policies, channels, canned responses, audit log.
  app.use(
    teamRoutes(deps),
    businessHoursRoutes(deps),
    slaPolicyRoutes(deps),
    whatIfRoutes(deps),
    channelRoutes(deps, widgetOrigins),
    cannedResponseRoutes(deps),
    auditRoutes(deps),
    teamMemberRoutes(deps),
    webhookRoutes(deps),
    botActionRoutes(deps),
  );
  app.use('/api', unknownApiRoute);

  if (deps.consoleDir && existsSync(deps.consoleDir)) {
    const consoleDir = deps.consoleDir;
    // The widget's loader runs on other sites; its page may be framed by the channels' allowed
    // origins (widget-framing.ts).
    app.get(widgetLoaderPath, widgetLoaderPolicy());
    app.get(widgetFramePath, widgetFramePolicy(deps.db, security.publicUrl, deps.log));
    app.use(express.static(consoleDir, { index: 'index.html' }));
    // The console is a single-page app: unknown paths render it and the router takes over.
    app.get('/{*path}', (_req, res) => res.sendFile(path.join(consoleDir, 'index.html')));
  }

  app.use(errorHandler(deps.log));
  return app;
}
