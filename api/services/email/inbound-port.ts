// The inbound pipeline as the worker hands it to the IMAP poll activity (activities/activity-deps.ts,
// InboundMailPort): activities may not import api/, so the worker's entrypoint builds this and
// passes it in. The same ingestInboundEmail as the SMTP listener and the webhook. The worker runs
// no workflow relay: the outbox rows a message writes (its conversation's start or signal) wait for
// the API's relay, whose loop picks them up within its idle poll (2 s).
import { defaultInboundLimits } from '../../../infra/email/inbound/limits.js';
import { domainOfAddress, ingestInboundEmail, refuseOversizeEmail, type IngestDeps, type IngestResult, type OversizeInboundEmail } from './ingest-email.js';

export interface InboundPortOptions {
  /** MAIL_FROM: its domain is that of our reply addresses and Message-IDs. */
  mailFrom: string;
  /** INBOUND_EMAIL_MAX_BYTES; the pipeline's default when absent. */
  maxMessageBytes?: number;
  /** EMAIL_AUTO_ANSWERS_PER_HOUR: automatic answers per sender per hour until an admin sets the number. */
  autoAnswersPerHour?: number;
}

export function inboundMailPort(deps: IngestDeps, options: InboundPortOptions) {
  const maxMessageBytes = options.maxMessageBytes ?? defaultInboundLimits.maxMessageBytes;
  const replyDomain = domainOfAddress(options.mailFrom);
  return {
    maxMessageBytes,
    ingest: (raw: Buffer, channelId: string): Promise<IngestResult> =>
      ingestInboundEmail(deps, raw, channelId, { replyDomain, limits: { maxMessageBytes }, defaultAutoAnswersPerHour: options.autoAnswersPerHour }),
    refuseOversize: (channelId: string, mail: OversizeInboundEmail): Promise<void> => refuseOversizeEmail(deps, channelId, mail),
  };
}
