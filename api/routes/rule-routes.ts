// Automation rules (docs/RULES.md): admins only, reads included. Rules hold webhook URLs (often
// credentials in themselves), email addresses and the executions list every team's conversations;
// the console shows them to admins only. A dry-run reads every conversation, whatever its team.
// Export and dry-run are bulk reads, audited (rule.exported, rule.dry_run). Webhook secrets are
// write-only for everyone (rule-service.ts). Fixed paths are registered before `/:id`, which takes
// UUIDs only.
import { Router } from 'express';
import { idParams } from '../../contract/requests/common.js';
import { dryRunBody, importRulesBody, reorderRulesBody, ruleExecutionsQuery, rulePatchBody } from '../../contract/requests/rules.js';
import { ruleDefinitionSchema } from '../../domain/rules/rule-schema.js';
import { outboundPolicyOf } from '../../infra/outbound/outbound-guard.js';
import { webhookSecretBox } from '../../infra/secrets/webhook-secrets.js';
import { requireAdmin } from '../authentication.js';
import type { ApiDeps } from '../deps.js';
import {
  createRule,
  deleteRule,
  dryRunRule,
  exportRules,
  importRules,
  listExecutions,
  listRules,
  readRule,
  reorderRules,
  updateRule,
} from '../services/rule-service.js';
import { parse } from '../validate.js';
import { createRoute, deleteRoute, readRoute, updateRoute } from './admin-writes.js';

export function ruleRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;
  const webhooks = { box: webhookSecretBox(deps.secret), outbound: outboundPolicyOf(deps.outboundAllowedHosts) };

  readRoute(router, '/api/rules', 'admins', 'rules', () => listRules(db));
  createRoute(router, '/api/rules', ruleDefinitionSchema, 'rule', (adminId, definition) => createRule(db, adminId, definition, webhooks));

  router.get('/api/rules/export', async (_req, res) => {
    const admin = requireAdmin(res);
    res.json(await exportRules(db, admin.userId));
  });

  router.post('/api/rules/import', async (req, res) => {
    const admin = requireAdmin(res);
    const { rules } = parse(importRulesBody, req.body);
    res.status(201).json({ rules: await importRules(db, admin.userId, rules, webhooks) });
  });

  router.post('/api/rules/reorder', async (req, res) => {
    const admin = requireAdmin(res);
    const { ids } = parse(reorderRulesBody, req.body);
    res.json({ rules: await reorderRules(db, admin.userId, ids) });
  });

  router.post('/api/rules/dry-run', async (req, res) => {
    const admin = requireAdmin(res);
    const { rule, days } = parse(dryRunBody, req.body);
    res.json(await dryRunRule(db, admin.userId, rule, days));
  });

  router.get('/api/rules/:id', async (req, res) => {
    requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    res.json(await readRule(db, id));
  });

  updateRoute(router, '/api/rules', rulePatchBody, 'rule', (adminId, id, patch) => updateRule(db, adminId, id, patch, webhooks));
  deleteRoute(router, '/api/rules', (adminId, id) => deleteRule(db, adminId, id));

  router.get('/api/rules/:id/executions', async (req, res) => {
    requireAdmin(res);
    const { id } = parse(idParams, req.params, 'path');
    const { limit } = parse(ruleExecutionsQuery, req.query, 'query');
    res.json({ executions: await listExecutions(db, id, limit) });
  });

  return router;
}
