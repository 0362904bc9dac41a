// A real SMTP server in the test process (smtp-server, the protocol implementation nodemailer's
// authors maintain): mail the product sends over SMTP lands here, parsed, for the test to read.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpInbox {
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  url: string;
  port: number;
  received: ParsedMail[];
  /** The same mails as the bytes that came over SMTP (for checks on the wire form, such as DKIM). */
  raw: Buffer[];
  /** Resolves once `count` mails have arrived (rejects after `timeoutMs`). */
  waitForCount(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export interface SmtpInboxOptions {
  /** A fixed port (a test that stops the inbox and starts it again where the mailer points); default any free one. */
  port?: number;
  /** Recipients answered "550 mailbox unavailable" (a permanent refusal). */
  refuse?: (recipient: string) => boolean;
}

export async function startSmtpInbox(options: SmtpInboxOptions = {}): Promise<SmtpInbox> {
  const received: ParsedMail[] = [];
  const raw: Buffer[] = [];
  const arrived = new EventEmitter();
  const server = new SMTPServer({
    // Local plain SMTP: no TLS certificate to manage, no login.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address)) return callback(Object.assign(new Error('5.1.1 Mailbox unavailable'), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      new Promise<Buffer>((resolve, reject) => {
        stream.once('end', () => resolve(Buffer.concat(chunks)));
        stream.once('error', reject);
      })
        .then(async (bytes) => ({ bytes, mail: await simpleParser(bytes) }))
        .then(({ bytes, mail }) => {
          raw.push(bytes);
          received.push(mail);
          callback();
          arrived.emit('mail');
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    raw,
    waitForCount: (count, timeoutMs = 15_000) =>
      new Promise<ParsedMail[]>((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          arrived.off('mail', check);
          resolve(received);
        };
        const timer = setTimeout(() => {
          arrived.off('mail', check);
          reject(new Error(`${received.length} of ${count} mails arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        arrived.on('mail', check);
        check();
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
