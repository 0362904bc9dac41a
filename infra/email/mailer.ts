// Outgoing email through SMTP (nodemailer, the standard Node mail client). Configured by
// SMTP_URL (smtp:// or smtps://, credentials in the URL) and MAIL_FROM. Without SMTP_URL the
// product has no way to send mail: `send` says so instead of pretending, and callers record
// that the email was not sent.
import nodemailer from 'nodemailer';
import type { Env } from '../env.js';

export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
}

export type SendResult = { sent: true; messageId: string } | { sent: false; reason: 'not_configured' | 'no_recipients' };

export interface Mailer {
  send(email: OutgoingEmail): Promise<SendResult>;
}

export function createMailer(env: Pick<Env, 'SMTP_URL' | 'MAIL_FROM'>): Mailer {
  const transport = env.SMTP_URL ? nodemailer.createTransport(env.SMTP_URL) : null;
  return {
    async send(email) {
      if (!transport) return { sent: false, reason: 'not_configured' };
      if (email.to.length === 0) return { sent: false, reason: 'no_recipients' };
      // Transport errors propagate: the calling activity is retried by Temporal.
      const info = await transport.sendMail({ from: env.MAIL_FROM, to: email.to, subject: email.subject, text: email.text });
      return { sent: true, messageId: info.messageId };
    },
  };
}
