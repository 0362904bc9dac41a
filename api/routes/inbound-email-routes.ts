// POST /api/inbound/email/:channelKey: raw MIME (message/rfc822 or text/plain) from a provider's
// inbound forwarding (Postmark, Mailgun, SendGrid, SES), authenticated by the channel's secret in
// the X-Inbound-Secret header (api/services/email/inbound-secret.ts). 202 once stored; the same
// pipeline as the SMTP listener (api/services/email/ingest-email.ts).
import express, { Router } from 'express';
import { z } from 'zod';
import { inboundEmailParams } from '../../contract/requests/channels.js';
import { defaultInboundLimits } from '../../infra/email/inbound/limits.js';
import type { ApiDeps } from '../deps.js';
import { requireAdmin } from '../authentication.js';
import { conflict, forbidden, HttpError, notFound } from '../http-error.js';
import { domainOfAddress, ingestInboundEmail } from '../services/email/ingest-email.js';
import { inboundSecretMatches, setInboundEmailSecret } from '../services/email/inbound-secret.js';

const unauthorized = () => new HttpError(401, 'unauthorized', 'A valid X-Inbound-Secret header is required.');

export function inboundEmailRoutes(deps: ApiDeps): Router {
  const router = Router();
  const maxMessageBytes = deps.inboundEmail?.maxMessageBytes ?? defaultInboundLimits.maxMessageBytes;
  const replyDomain = deps.inboundEmail?.replyDomain ?? domainOfAddress('support@seamless.local');

  router.post(
    '/api/inbound/email/:channelKey',
    // Authenticate before reading the body: an unauthenticated sender never gets megabytes parsed.
    async (req, res, next) => {
      // A session or API key is the wrong kind of credential here (403); no credential at all is 401.
      const refuse = () => (res.locals.principal ? forbidden("This route takes the email channel's X-Inbound-Secret, not a sign-in.") : unauthorized());
      const key = inboundEmailParams.safeParse(req.params);
      if (!key.success) throw refuse();
      const channel = await deps.db.channel.findUnique({ where: { id: key.data.channelKey }, select: { kind: true, enabled: true, inboundSecretHash: true } });
      if (!channel || channel.kind !== 'email' || !channel.enabled || !inboundSecretMatches(channel.inboundSecretHash, req.get('x-inbound-secret'))) {
        throw refuse();
      }
      next();
    },
    express.raw({ type: ['message/rfc822', 'text/plain'], limit: maxMessageBytes }),
    async (req, res) => {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        throw new HttpError(415, 'unsupported_media_type', 'Send the raw message as message/rfc822 or text/plain.');
      }
      const result = await ingestInboundEmail(deps, req.body, req.params.channelKey as string, {
        replyDomain,
        limits: { maxMessageBytes },
        defaultAutoAnswersPerHour: deps.inboundEmail?.autoAnswersPerHour,
      });
      if (result.outcome === 'refused') {
        const status = result.code === 'message_too_large' || result.code === 'attachment_too_large' ? 413 : 422;
        throw new HttpError(status, 'email_refused', result.reason);
      }
      res.status(202).json({ outcome: result.outcome, inboundEmailId: result.inboundEmailId, conversationId: result.conversationId });
    },
  );
  /** A new webhook secret for an email channel, shown once (the old one stops working). */
  router.post('/api/channels/:id/inbound-email-secret', async (req, res) => {
    requireAdmin(res);
    const id = z.uuid().safeParse(req.params.id);
    const channel = id.success ? await deps.db.channel.findUnique({ where: { id: id.data }, select: { id: true, kind: true } }) : null;
    if (!channel) throw notFound('Channel');
    if (channel.kind !== 'email') throw conflict('not_an_email_channel', 'Only an email channel has an inbound email webhook.');
    const secret = await setInboundEmailSecret(deps.db, channel.id);
    res.set('Cache-Control', 'no-store').json({ secret, path: `/api/inbound/email/${channel.id}`, header: 'X-Inbound-Secret' });
  });
  return router;
}
