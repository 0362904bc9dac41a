// Ties the answers whose types live in api/ (contract/ cannot import them) to the schemas the
// registry documents them with: typecheck fails when a service's answer and its schema differ in
// any field. The answers typed in contract/ or domain/ are tied where their schemas are
// (contract/api/view-schemas/, `tied`).
import type { routeRegistry } from '../../contract/api/routes.js';
import type { SameAs } from '../../contract/api/view-schemas/support.js';
import {
  aiUsageReportSchema,
  calibrationSchema,
  callAnswerSchema,
  csatViewSchema,
  currentCallSchema,
  erasureSchema,
  imapTestResultSchema,
  ownSessionSchema,
  privacySettingsSchema,
  publicArticleSchema,
  readinessSchema,
  recoveryCodesSchema,
  securitySettingsSchema,
  selfServiceReportSchema,
  sessionsRevokedSchema,
  twoFactorEnrolmentSchema,
  twoFactorStatusSchema,
  visitorCustomerSchema,
  widgetConfigSchema,
} from '../../contract/api/view-schemas/index.js';
import type { selfServiceReport } from '../../domain/self-service.js';
import type { findAiUsage } from '../finders/report-finder.js';
import type { listOwnSessions, changeOwnPassword } from '../services/account-service.js';
import type { listAuditEvents } from '../services/audit-service.js';
import type { readCalibration } from '../services/calibration-service.js';
import type { CallAnswer, findCurrentCall } from '../services/call-service.js';
import type { CsatView } from '../services/csat-service.js';
import type { eraseCustomer } from '../services/data-rights/customer-erasure.js';
import type { testImapSettings } from '../services/email/imap-settings.js';
import type { PublicArticleView } from '../services/knowledge-service.js';
import type { Readiness } from '../services/readiness.js';
import type { readPrivacySettings, readSecuritySettings } from '../services/settings-service.js';
import type { beginTwoFactorEnrolment, confirmTwoFactor, twoFactorStatus } from '../services/two-factor-service.js';
import type { savePreChat, widgetConfig } from '../services/visitor-service.js';

type Answer<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

/** Each entry compiles only when its schema's output is exactly the type the route sends. */
export const answerTypesTied: true[] = [
  true satisfies SameAs<typeof selfServiceReportSchema, { from: string; to: string } & ReturnType<typeof selfServiceReport>>,
  true satisfies SameAs<typeof aiUsageReportSchema, { from: string; to: string; calls: Answer<typeof findAiUsage> }>,
  true satisfies SameAs<typeof readinessSchema, Readiness>,
  true satisfies SameAs<typeof securitySettingsSchema, Answer<typeof readSecuritySettings>>,
  true satisfies SameAs<typeof privacySettingsSchema, Answer<typeof readPrivacySettings>>,
  true satisfies SameAs<typeof calibrationSchema, Answer<typeof readCalibration>>,
  true satisfies SameAs<typeof erasureSchema, Answer<typeof eraseCustomer>>,
  true satisfies SameAs<typeof imapTestResultSchema, Answer<typeof testImapSettings>>,
  true satisfies SameAs<typeof widgetConfigSchema, Answer<typeof widgetConfig>>,
  true satisfies SameAs<typeof visitorCustomerSchema, Answer<typeof savePreChat>>,
  true satisfies SameAs<typeof csatViewSchema, CsatView>,
  true satisfies SameAs<typeof twoFactorStatusSchema, Answer<typeof twoFactorStatus>>,
  true satisfies SameAs<typeof twoFactorEnrolmentSchema, Answer<typeof beginTwoFactorEnrolment>>,
  true satisfies SameAs<typeof recoveryCodesSchema, Answer<typeof confirmTwoFactor>>,
  true satisfies SameAs<typeof ownSessionSchema, Answer<typeof listOwnSessions>[number]>,
  true satisfies SameAs<typeof sessionsRevokedSchema, Answer<typeof changeOwnPassword>>,
  true satisfies SameAs<typeof publicArticleSchema, PublicArticleView>,
  true satisfies SameAs<typeof callAnswerSchema, CallAnswer>,
  true satisfies SameAs<typeof currentCallSchema, Answer<typeof findCurrentCall>>,
  true satisfies SameAs<(typeof routeRegistry)['GET /api/audit-events']['responses'][200], Answer<typeof listAuditEvents>>,
];
