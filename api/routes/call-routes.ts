// Voice and video calls (issue 24, api/services/call-service.ts). The call's life is REST; the
// peers' negotiation travels over /ws (realtime/call-relay.ts).
// - POST /api/widget/conversations/:id/calls: the visitor asks for a call in their conversation.
// - POST /api/conversations/:id/calls: an agent or admin who may see the conversation calls its customer.
// - GET /api/conversations/:id/calls: the conversation's calls (agents who see it, admins).
// - GET /api/calls/:id, POST /api/calls/:id/{accept,decline,hangup,transfer}: the agent side.
// - GET /api/widget/calls/:id, POST /api/widget/calls/:id/{accept,decline,hangup}: the visitor side.
// - GET /api/widget/conversations/:id/call: the visitor's call under way (the widget shows it again after a reload).
// - POST /api/calls/:id/recording, POST /api/widget/calls/:id/recording: a party gives or withdraws consent to record.
// - POST /api/calls/:id/recordings: the agent's browser uploads the recording (the file itself as the body).
// - GET /api/reports/calls: offered, answered, missed, average duration and wait per day and per agent.
// A call of a conversation the caller may not see, or one not theirs to answer, is 404.
import { Router } from 'express';
import { callReportQuery, recordingConsentBody, startCallBody, transferCallBody } from '../../contract/calls.js';
import { idParams } from '../../contract/requests/common.js';
import { requireCustomer, requireUser } from '../authentication.js';
import type { ResolvedApiDeps } from '../deps.js';
import { badRequest } from '../http-error.js';
import { resolveAttachmentSettings } from '../services/attachments.js';
import { receiveUpload } from './attachment-routes.js';
import { readCallReport } from '../services/call-report.js';
import {
  changeCall,
  changeRecordingConsent,
  checkRecordingUpload,
  findCall,
  findCurrentCall,
  listCalls,
  saveCallRecording,
  startCall,
  transferCall,
  type CallCaller,
} from '../services/call-service.js';
import { visibleConversation } from '../services/conversation-service.js';
import { parse } from '../validate.js';

const callActions = ['accept', 'decline', 'hangup'] as const;

export function callRoutes(deps: ResolvedApiDeps): Router {
  const router = Router();
  const agent = (res: Parameters<typeof requireUser>[0]): CallCaller => ({ kind: 'user', viewer: requireUser(res) });
  const visitor = (res: Parameters<typeof requireCustomer>[0]): CallCaller => ({ kind: 'customer', customerId: requireCustomer(res).customerId });

  router.post('/api/widget/conversations/:id/calls', async (req, res) => {
    const caller = visitor(res);
    const { id } = parse(idParams, req.params, 'path');
    const { media } = parse(startCallBody, req.body);
    res.status(201).json(await startCall(deps, caller, id, media));
  });

  router.post('/api/conversations/:id/calls', async (req, res) => {
    const caller = agent(res);
    const { id } = parse(idParams, req.params, 'path');
    const { media } = parse(startCallBody, req.body);
    res.status(201).json(await startCall(deps, caller, id, media));
  });

  router.get('/api/conversations/:id/calls', async (req, res) => {
    const viewer = requireUser(res);
    const conversation = await visibleConversation(deps.db, viewer, parse(idParams, req.params, 'path').id);
    res.json({ calls: await listCalls(deps, conversation.id) });
  });

  router.get('/api/calls/:id', async (req, res) => {
    const caller = agent(res);
    res.json(await findCall(deps, caller, parse(idParams, req.params, 'path').id));
  });

  router.get('/api/widget/calls/:id', async (req, res) => {
    const caller = visitor(res);
    res.json(await findCall(deps, caller, parse(idParams, req.params, 'path').id));
  });

  router.get('/api/widget/conversations/:id/call', async (req, res) => {
    const { customerId } = requireCustomer(res);
    res.json(await findCurrentCall(deps, customerId, parse(idParams, req.params, 'path').id));
  });

  router.post('/api/calls/:id/transfer', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    const { agentId } = parse(transferCallBody, req.body);
    res.json(await transferCall(deps, { kind: 'user', viewer }, id, agentId));
  });

  for (const action of callActions) {
    router.post(`/api/calls/:id/${action}`, async (req, res) => {
      const caller = agent(res);
      res.json(await changeCall(deps, caller, parse(idParams, req.params, 'path').id, action));
    });
    router.post(`/api/widget/calls/:id/${action}`, async (req, res) => {
      const caller = visitor(res);
      res.json(await changeCall(deps, caller, parse(idParams, req.params, 'path').id, action));
    });
  }

  router.post('/api/calls/:id/recording', async (req, res) => {
    const caller = agent(res);
    const { id } = parse(idParams, req.params, 'path');
    const { consent } = parse(recordingConsentBody, req.body);
    res.json(await changeRecordingConsent(deps, caller, id, consent));
  });

  router.post('/api/widget/calls/:id/recording', async (req, res) => {
    const caller = visitor(res);
    const { id } = parse(idParams, req.params, 'path');
    const { consent } = parse(recordingConsentBody, req.body);
    res.json(await changeRecordingConsent(deps, caller, id, consent));
  });

  const attachments = resolveAttachmentSettings(deps.attachments);
  router.post('/api/calls/:id/recordings', async (req, res) => {
    const viewer = requireUser(res);
    const { id } = parse(idParams, req.params, 'path');
    await checkRecordingUpload(deps, { kind: 'user', viewer }, id);
    await receiveUpload(req, res, attachments.maxUploadBytes, (fileName) =>
      saveCallRecording(deps, attachments, { kind: 'user', viewer }, id, { fileName, content: req }),
    );
  });

  router.get('/api/reports/calls', async (req, res) => {
    requireUser(res);
    const query = parse(callReportQuery, req.query, 'query');
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * 86_400_000);
    if (from >= to) throw badRequest('invalid_period', '"from" must be before "to".');
    // A report over a period: the read replica when there is one (api/routes/report-routes.ts).
    res.json(await deps.reports.read((db) => readCallReport(db, { from, to, timeZone: query.timeZone ?? 'UTC' })));
  });

  return router;
}
