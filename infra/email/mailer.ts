// Outgoing email through SMTP (nodemailer, the standard Node mail client). Configured by
// SMTP_URL (smtp:// or smtps://, credentials in the URL) and MAIL_FROM. Without SMTP_URL the
// product has no way to send mail: `send` says so instead of pretending, and callers record
// that the email was not sent. DKIM_* (dkim.ts) sign every mail when set.
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import type { Env } from '../env.js';
import { dkimKeyFromEnv, type DkimEnv } from './dkim.js';

export interface MailAddress {
  /** The display name ('' for none). */
  name: string;
  address: string;
}

export interface OutgoingEmail {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  /** An HTML alternative of `text` (multipart/alternative); text only when absent. */
  html?: string;
  /** The sender; MAIL_FROM when absent. */
  from?: MailAddress;
  replyTo?: string;
  /** Our Message-ID, with angle brackets (threading.ts createOutgoingMessageId); nodemailer makes one up when absent. */
  messageId?: string;
  inReplyTo?: string;
  /** Oldest first, with angle brackets. */
  references?: string[];
  /** Extra headers (X-Loop, Auto-Submitted, …). */
  headers?: Record<string, string>;
  /** Files sent with the message (multipart/mixed), in order. */
  attachments?: OutgoingAttachment[];
}

/** A file of an outgoing mail: its display name, the type sniffed when it was stored, the bytes. */
export interface OutgoingAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
}

export type SendResult = { sent: true; messageId: string } | { sent: false; reason: 'not_configured' | 'no_recipients' };

export interface Mailer {
  send(email: OutgoingEmail): Promise<SendResult>;
}

/** The message as nodemailer takes it: `defaultFrom` (MAIL_FROM) when the email names no sender. */
export function toMailOptions(email: OutgoingEmail, defaultFrom: string): SendMailOptions {
  return {
    from: email.from ? { name: email.from.name, address: email.from.address } : defaultFrom,
    to: email.to,
    ...(email.cc && email.cc.length > 0 ? { cc: email.cc } : {}),
    subject: email.subject,
    text: email.text,
    ...(email.html === undefined ? {} : { html: email.html }),
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    ...(email.messageId ? { messageId: email.messageId } : {}),
    ...(email.inReplyTo ? { inReplyTo: email.inReplyTo } : {}),
    ...(email.references && email.references.length > 0 ? { references: email.references } : {}),
    ...(email.headers ? { headers: email.headers } : {}),
    ...(email.attachments && email.attachments.length > 0
      ? { attachments: email.attachments.map((file) => ({ filename: file.fileName, contentType: file.contentType, content: file.content })) }
      : {}),
  };
}

/**
 * What an SMTP failure means for a retry: a 5xx reply (550 mailbox unknown, 554 refused) is
 * permanent — the same mail will be refused again; everything else (4xx, a refused or dropped
 * connection, a timeout) is transient.
 */
export function smtpFailure(error: unknown): { permanent: boolean; code: number | null; message: string } {
  const details = error as { responseCode?: unknown; response?: unknown; message?: unknown } | null;
  const code = typeof details?.responseCode === 'number' ? details.responseCode : null;
  const text = typeof details?.response === 'string' ? details.response : typeof details?.message === 'string' ? details.message : String(error);
  return { permanent: code !== null && code >= 500 && code < 600, code, message: text.slice(0, 500) };
}

/** With a DKIM key in the environment (dkim.ts) every mail is signed; a half-configured key throws here, at start. */
export function createMailer(env: Pick<Env, 'SMTP_URL' | 'MAIL_FROM'> & DkimEnv): Mailer {
  const dkim = dkimKeyFromEnv(env);
  const transport = env.SMTP_URL ? nodemailer.createTransport(env.SMTP_URL) : null;
  return {
    async send(email) {
      if (!transport) return { sent: false, reason: 'not_configured' };
      if (email.to.length === 0) return { sent: false, reason: 'no_recipients' };
      // Transport errors propagate: the calling activity is retried by Temporal (smtpFailure says whether it should be).
      const info = await transport.sendMail({ ...toMailOptions(email, env.MAIL_FROM), ...(dkim ? { dkim } : {}) });
      return { sent: true, messageId: info.messageId };
    },
  };
}
