// The built-in SMTP listener (issue 17): mail forwarded or MX-routed to the product. Off unless
// SMTP_LISTEN_PORT is set (api/main.ts). Each RCPT address is mapped to an enabled email channel
// (its settings.address, or one of our reply+<token> addresses); oversize mail is refused at DATA
// with 552 before anything is stored; accepted mail goes to the one pipeline (ingest-email.ts).
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { createReplyTokens } from '../../../infra/email/threading.js';
import { defaultInboundLimits } from '../../../infra/email/inbound/limits.js';
import { ingestInboundEmail, type IngestDeps, type IngestOptions } from './ingest-email.js';

export interface SmtpListenerOptions extends Omit<IngestOptions, 'envelopeRecipients'> {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
}

export interface SmtpListener {
  /** smtp://host:port */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The enabled email channel an envelope recipient belongs to, or null. */
export async function channelForRecipient(deps: IngestDeps, replyDomain: string, recipient: string): Promise<string | null> {
  const address = recipient.trim().toLowerCase();
  const channels = await deps.db.channel.findMany({ where: { kind: 'email', enabled: true }, select: { id: true, settings: true } });
  const byAddress = channels.find((channel) => {
    const settings = channel.settings as { address?: unknown } | null;
    return typeof settings?.address === 'string' && settings.address.toLowerCase() === address;
  });
  if (byAddress) return byAddress.id;
  const conversationId = createReplyTokens({ secret: deps.secret, domain: replyDomain }).conversationOfAddress(address);
  if (!conversationId) return null;
  const conversation = await deps.db.conversation.findUnique({ where: { id: conversationId }, select: { channelId: true } });
  return conversation && channels.some((channel) => channel.id === conversation.channelId) ? conversation.channelId : null;
}

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

export async function startSmtpListener(deps: IngestDeps, options: SmtpListenerOptions): Promise<SmtpListener> {
  const maxBytes = options.limits?.maxMessageBytes ?? defaultInboundLimits.maxMessageBytes;
  const channelsOf = new WeakMap<object, Map<string, string>>();
  const server = new SMTPServer({
    // Plain SMTP behind the MX or a forwarder: no login, no TLS certificate to manage here.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    size: maxBytes,
    logger: false,
    onRcptTo(address: SMTPServerAddress, session, callback) {
      channelForRecipient(deps, options.replyDomain, address.address)
        .then((channelId) => {
          if (!channelId) return callback(smtpError(`5.1.1 <${address.address}>: no such mailbox here`, 550));
          const map = channelsOf.get(session) ?? new Map<string, string>();
          map.set(address.address.toLowerCase(), channelId);
          channelsOf.set(session, map);
          callback();
        })
        .catch((error: unknown) => {
          deps.log('smtp listener: looking up a recipient failed', error);
          callback(smtpError('4.3.0 Temporary failure, try again later', 451));
        });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(`5.3.4 Message too big: the limit is ${maxBytes} bytes`, 552));
        const raw = Buffer.concat(chunks);
        const recipients = session.envelope.rcptTo.map((entry) => entry.address);
        const channelIds = [...new Set(channelsOf.get(session)?.values() ?? [])];
        Promise.all(channelIds.map((channelId) => ingestInboundEmail(deps, raw, channelId, { ...options, envelopeRecipients: recipients })))
          .then((results) => {
            const refused = results.find((result) => result.outcome === 'refused');
            // A message refused on its content was still stored (the raw copy says what came); the
            // sender learns why when nothing else took it.
            if (refused && refused.code !== 'own_loop' && results.every((result) => result.outcome === 'refused')) {
              const tooLarge = refused.code === 'message_too_large' || refused.code === 'attachment_too_large';
              return callback(smtpError(`5.6.0 ${refused.reason}`, tooLarge ? 552 : 554));
            }
            callback();
          })
          .catch((error: unknown) => {
            deps.log('smtp listener: storing a message failed', error);
            callback(smtpError('4.3.0 Temporary failure, try again later', 451));
          });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  server.on('error', (error) => deps.log('smtp listener error', error));
  return {
    url: `smtp://${options.host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
